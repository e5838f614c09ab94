// Keyboard movement over the grid, as in an ARIA grid: arrows move one cell, Home/End to
// the row's ends, Ctrl+Home/End to the first/last page, PageUp/PageDown by a view.

export interface GridShape {
  pages: number;
  columns: number;
  /** Rows that fit the view. */
  rowsPerView: number;
}

/** The page a key moves focus to, or null if the key is not a movement key. */
export function movePage(key: string, ctrl: boolean, page: number, grid: GridShape): number | null {
  const { pages, columns } = grid;
  if (pages <= 0) return null;
  const last = pages - 1;
  const clamp = (p: number): number => Math.min(last, Math.max(0, p));
  const rowStart = page - (page % columns);
  switch (key) {
    case "ArrowLeft":
      return clamp(page - 1);
    case "ArrowRight":
      return clamp(page + 1);
    case "ArrowUp":
      return page - columns >= 0 ? page - columns : page;
    case "ArrowDown":
      // From above the short last row's gap, go to the last page.
      return page + columns <= last ? page + columns : rowStart + columns <= last ? last : page;
    case "Home":
      return ctrl ? 0 : rowStart;
    case "End":
      return ctrl ? last : Math.min(last, rowStart + columns - 1);
    case "PageUp": {
      const up = page - grid.rowsPerView * columns;
      return up >= 0 ? up : page % columns;
    }
    case "PageDown": {
      const down = page + grid.rowsPerView * columns;
      if (down <= last) return down;
      const lastRowStart = last - (last % columns);
      return Math.min(last, lastRowStart + (page % columns));
    }
    default:
      return null;
  }
}
