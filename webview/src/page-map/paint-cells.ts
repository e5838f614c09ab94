// Paints the visible cells into an ImageData: one tile row copied per cell and pixel
// row, and for cells of one device pixel a single fill per run of equal pages. The cost
// is bounded by the canvas size, not by the number of pages.

import { cellTile, markedTile } from "./cell-tiles";
import { visibleRows, type GridLayout } from "./grid-layout";
import { paletteStates } from "./palettes";
import type { PageMapPalette } from "./page-map-props";
import type { MapTheme } from "./theme-colors";

/** Tiles per page value, unmarked and marked; unknown values share the last one. */
function tilesFor(palette: PageMapPalette, theme: MapTheme, layout: GridLayout) {
  const { cell, gap } = layout;
  const styles = [...paletteStates(palette), null];
  const plain = styles.map((style, i) =>
    cellTile(style?.pattern ?? "columns", theme.states[palette][i]!, cell, gap),
  );
  const marked = plain.map((tile) => markedTile(tile, cell, gap, theme.mark, theme.background));
  return { plain, marked };
}

export function paintCells(
  image: ImageData,
  layout: GridLayout,
  pages: Uint8Array,
  marked: Uint8Array | null | undefined,
  palette: PageMapPalette,
  theme: MapTheme,
): void {
  const pixels = new Uint32Array(
    image.data.buffer,
    image.data.byteOffset,
    image.width * image.height,
  );
  pixels.fill(theme.background);
  const { plain, marked: markedTiles } = tilesFor(palette, theme, layout);
  const unknown = plain.length - 1;
  const { cell, columns, gutter, width, height } = layout;
  const [firstRow, endRow] = visibleRows(layout);
  // Cells past the right edge (a single column wider than the canvas) are cut off.
  const fitColumns = Math.min(columns, Math.floor((width - gutter) / cell));
  for (let row = firstRow; row < endRow; row++) {
    const first = row * columns;
    const end = Math.min(first + fitColumns, pages.length);
    const top = row * cell - layout.scroll;
    if (cell === 1 && !marked) {
      // One device pixel per page: fill runs of equal values.
      if (top < 0 || top >= height) continue;
      let run = first;
      while (run < end) {
        const value = pages[run]!;
        let stop = run + 1;
        while (stop < end && pages[stop] === value) stop++;
        const color = plain[Math.min(value, unknown)]![0]!;
        const at = top * width + gutter + (run - first);
        pixels.fill(color, at, at + (stop - run));
        run = stop;
      }
      continue;
    }
    for (let py = Math.max(0, -top); py < cell && top + py < height; py++) {
      const line = (top + py) * width + gutter;
      const from = py * cell;
      for (let page = first; page < end; page++) {
        const value = Math.min(pages[page]!, unknown);
        const tile = marked && marked[page] ? markedTiles[value]! : plain[value]!;
        const at = line + (page - first) * cell;
        if (cell === 1) pixels[at] = tile[0]!;
        else pixels.set(tile.subarray(from, from + cell), at);
      }
    }
  }
}
