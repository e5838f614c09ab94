// What is drawn with the 2D context over the cells: row address labels, highlighted
// ranges (outlined), and on the overlay canvas the hover/focus/selection rings and the
// scroll position.

import { cellOrigin, rangeOutline, visibleRows, type GridLayout } from "./grid-layout";
import { formatAddress } from "./page-text";
import type { MapTheme } from "./theme-colors";

/** Row start addresses in the gutter, spaced so the labels never overlap. */
export function paintGutter(
  context: CanvasRenderingContext2D,
  layout: GridLayout,
  theme: MapTheme,
  pageSize: number,
  addressEnd: number,
): void {
  const fontPx = Math.round(10 * layout.dpr);
  const spacing = fontPx * 1.6;
  let every = 1;
  while (every * layout.cell < spacing) every *= 2;
  context.font = `${fontPx}px ${theme.fontFamily}`;
  context.fillStyle = theme.mutedCss;
  context.textBaseline = "top";
  context.textAlign = "right";
  const [first, end] = visibleRows(layout);
  for (let row = Math.ceil(first / every) * every; row < end; row += every) {
    const y = row * layout.cell - layout.scroll;
    if (y < 0 || y + fontPx > layout.height) continue;
    const address = formatAddress(row * layout.columns * pageSize, addressEnd);
    context.fillText(address, layout.gutter - 6 * layout.dpr, y);
  }
}

/** Outlines [first, end) ranges: a wide background line under a narrower coloured one,
 *  so the outline shows on every state's colour and in every theme. */
export function paintHighlights(
  context: CanvasRenderingContext2D,
  layout: GridLayout,
  theme: MapTheme,
  ranges: readonly (readonly [number, number])[],
): void {
  const [firstRow, endRow] = visibleRows(layout);
  const shown = ranges.filter(
    ([first, end]) =>
      end > first &&
      Math.floor((end - 1) / layout.columns) >= firstRow &&
      Math.floor(first / layout.columns) < endRow,
  );
  if (!shown.length) return;
  context.beginPath();
  for (const [first, end] of shown) {
    for (const polygon of rangeOutline(layout, first, end)) {
      polygon.forEach(([x, y], i) => (i ? context.lineTo(x, y) : context.moveTo(x, y)));
      context.closePath();
    }
  }
  context.lineJoin = "miter";
  context.strokeStyle = theme.backgroundCss;
  context.lineWidth = 4 * layout.dpr;
  context.stroke();
  context.strokeStyle = theme.highlightCss;
  context.lineWidth = 2 * layout.dpr;
  context.stroke();
}

export interface Rings {
  hover: number | null;
  focus: number | null;
  selected: number | null;
  /** Whether the map has keyboard focus (the focus ring is drawn only then). */
  focused: boolean;
}

/** A ring around a cell, at least 7 device pixels wide so it shows around tiny cells. */
function ring(
  context: CanvasRenderingContext2D,
  layout: GridLayout,
  page: number,
  color: string,
  width: number,
  dash: number[],
): void {
  const { x, y } = cellOrigin(layout, page);
  const size = Math.max(layout.cell, 7 * layout.dpr);
  const offset = (size - layout.cell) / 2;
  context.setLineDash(dash);
  context.strokeStyle = color;
  context.lineWidth = width;
  context.strokeRect(x - offset - width / 2, y - offset - width / 2, size + width, size + width);
}

export function paintOverlay(
  context: CanvasRenderingContext2D,
  layout: GridLayout,
  theme: MapTheme,
  rings: Rings,
): void {
  context.clearRect(0, 0, layout.width, layout.height);
  const d = layout.dpr;
  const halo = (page: number, color: string, width: number, dash: number[]): void => {
    ring(context, layout, page, theme.backgroundCss, width + 2 * d, []);
    ring(context, layout, page, color, width, dash);
  };
  if (rings.selected !== null) halo(rings.selected, theme.foregroundCss, 2 * d, []);
  if (rings.hover !== null && rings.hover !== rings.selected) {
    halo(rings.hover, theme.foregroundCss, 1 * d, [3 * d, 2 * d]);
  }
  if (rings.focused && rings.focus !== null)
    halo(rings.focus, theme.focusCss, 2 * d, [4 * d, 2 * d]);
  context.setLineDash([]);
  if (layout.maxScroll > 0) {
    // Where the view is in the whole map: a thumb on the right edge.
    const total = layout.maxScroll + layout.height;
    const length = Math.max(12 * d, (layout.height * layout.height) / total);
    const top = (layout.scroll / layout.maxScroll) * (layout.height - length);
    context.fillStyle = theme.scrollbarCss;
    context.fillRect(layout.width - 5 * d, top, 4 * d, length);
  }
}
