// Where a page map should open when nothing is selected: a memory's image may start far
// into it (ruby.wasm's at 16 MiB, behind 4,096 untouched pages), and a run's writes may be
// anywhere. For the static layer: the image's first page. For page states: the first page
// a step wrote (a private copy), else the first present one.

import { LAYER_OUTSIDE } from "../../../common/layer-values";
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
