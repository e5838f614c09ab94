// Where an observed memory lives and how it was initialised, in words: the stepper's
// headings and the CLI's instantiate lines say it the same way.

import { displayText } from "./display-text";
import type { MemoryOrigin, MemoryStepState } from "./run-types";

/** "in slot 2", or where outside the pool. */
export function memoryPlaceText(memory: Pick<MemoryStepState, "slot" | "origin">): string {
  switch (memory.origin.place) {
    case "slot":
      return `in slot ${memory.slot}`;
    case "imported":
      return "imported (the runner's memory for the import, outside the pool)";
    case "own":
      return "outside the pool (the module runs unmodified)";
  }
}

/** "mapped from the copy-on-write image", or how it was filled and why not from one. The
 *  reason may name the module's imports: it is shown through displayText. */
export function memoryInitText(origin: MemoryOrigin): string {
  const why = origin.noImage === null ? "" : `: no image because ${displayText(origin.noImage)}`;
  switch (origin.init) {
    case "image":
      return "mapped from the copy-on-write image";
    case "userfaultfd":
      return "filled by the userfaultfd handler: each page copied from the image (or the zero page) when first touched";
    case "copied":
      return `data segments copied at instantiation${why}`;
    case "none":
      return `no data to write${why}`;
  }
}
