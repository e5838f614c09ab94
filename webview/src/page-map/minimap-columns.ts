// The minimap's content: the whole memory squeezed into one strip, each pixel column
// standing for an equal share of the pages (to scale). A column shows the most telling
// page it covers, so one written page among 4,096 untouched ones is still seen.

import { PAGE_STATES } from "../../../common/page-states";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, LAYER_OUTSIDE } from "../../../common/layer-values";
import type { PageMapPalette } from "./page-map-props";

/** How telling each value is, per palette (higher wins a column); unknown values win all. */
const RANK: Record<PageMapPalette, number[]> = {
  layer: rankOf([LAYER_OUTSIDE, LAYER_IMAGE_ZERO, LAYER_IMAGE_DATA]),
  runtime: rankOf(
    (["notPresent", "zero", "imageClean", "swapped", "imageDirty", "anonDirty"] as const).map(
      (state) => PAGE_STATES.indexOf(state),
    ),
  ),
};

/** Ranks from which a column is drawn wider than one pixel, so a lone data or written page
 *  in a memory thousands of times wider than the strip is seen. */
const STANDOUT_FROM: Record<PageMapPalette, number> = { layer: 2, runtime: 3 };

export function standsOut(palette: PageMapPalette, value: number): boolean {
  return (RANK[palette][value] ?? Infinity) >= STANDOUT_FROM[palette];
}

function rankOf(leastFirst: number[]): number[] {
  const rank: number[] = [];
  leastFirst.forEach((value, i) => (rank[value] = i));
  return rank;
}

export interface MinimapColumns {
  /** Per pixel column: the page value shown. */
  values: Uint8Array;
  /** Per pixel column: 1 when any page it covers is marked (differs). */
  marked: Uint8Array;
}

/** The first page of pixel column `column` of `width` (its end is the next one's first). */
export function columnFirstPage(column: number, width: number, pages: number): number {
  return Math.floor((column * pages) / width);
}

/** The pixel column that shows `page`. */
export function pageColumn(page: number, width: number, pages: number): number {
  // The last column whose first page is at or before `page`.
  return Math.min(width - 1, Math.floor(((page + 1) * width - 1) / pages));
}

/** Pages summarised into `width` columns; when there are fewer pages than columns a
 *  page spans several columns. */
export function minimapColumns(
  pages: Uint8Array,
  marked: Uint8Array | null,
  palette: PageMapPalette,
  width: number,
): MinimapColumns {
  const rank = RANK[palette];
  const values = new Uint8Array(width);
  const markedColumns = new Uint8Array(width);
  if (pages.length === 0) return { values, marked: markedColumns };
  const rankOfValue = (value: number): number => rank[value] ?? rank.length;
  for (let column = 0; column < width; column++) {
    const first = columnFirstPage(column, width, pages.length);
    const end = Math.max(first + 1, columnFirstPage(column + 1, width, pages.length));
    let best = pages[first]!;
    let bestRank = rankOfValue(best);
    let anyMarked = 0;
    for (let page = first; page < end; page++) {
      const value = pages[page]!;
      if (value !== best && rankOfValue(value) > bestRank) {
        best = value;
        bestRank = rankOfValue(value);
      }
      if (marked?.[page]) anyMarked = 1;
    }
    values[column] = best;
    markedColumns[column] = anyMarked;
  }
  return { values, marked: markedColumns };
}
