// The pages that matter on a map, which may be anywhere in it (ruby.wasm's image starts at
// 16 MiB, behind 4,096 untouched pages; a run's writes are scattered): where the map opens
// when nothing is selected (the static layer: the image's first page; page states: the
// first page a step wrote, else the first present one), and what "next" and "previous"
// step through (pages written, pages that differ on a compare map, or the image's data).

import { LAYER_IMAGE_DATA, LAYER_OUTSIDE } from "../../../common/layer-values";
import { PAGE_STATES } from "../../../common/page-states";
import type { PageMapPalette } from "./page-map-props";

const NOT_PRESENT = PAGE_STATES.indexOf("notPresent");
const WRITTEN = new Set([PAGE_STATES.indexOf("imageDirty"), PAGE_STATES.indexOf("anonDirty")]);

export function pageOfInterest(pages: Uint8Array, palette: PageMapPalette): number | null {
  if (palette === "layer") {
    const first = pages.findIndex((value) => value !== LAYER_OUTSIDE);
    return first < 0 ? null : first;
  }
  const written = pages.findIndex((state) => WRITTEN.has(state));
  if (written >= 0) return written;
  const present = pages.findIndex((state) => state !== NOT_PRESENT);
  return present < 0 ? null : present;
}

/** What next/previous step through, in words ("written page"). */
export function targetName(palette: PageMapPalette, marked: Uint8Array | null): string {
  if (marked) return "differing page";
  return palette === "runtime" ? "written page" : "data page";
}

/** The nearest such page after (direction 1) or before (−1) `from`, or null. */
export function stepToTarget(
  pages: Uint8Array,
  palette: PageMapPalette,
  marked: Uint8Array | null,
  from: number,
  direction: 1 | -1,
): number | null {
  const isTarget = marked
    ? (page: number) => marked[page] === 1
    : palette === "runtime"
      ? (page: number) => WRITTEN.has(pages[page]!)
      : (page: number) => pages[page] === LAYER_IMAGE_DATA;
  for (let page = from + direction; page >= 0 && page < pages.length; page += direction) {
    if (isTarget(page)) return page;
  }
  return null;
}
