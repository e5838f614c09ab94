// Which rows of a long list to render for a scroll position: only the visible ones
// (plus a few either side), positioned at their place in a body as tall as all rows.
// Past `maxHeight` the body is capped (browsers limit element heights to a few million
// pixels) and scroll positions map proportionally onto rows.

export interface WindowInput {
  rowCount: number;
  /** Height of one row in pixels (all rows are equally tall). */
  rowHeight: number;
  /** Scroll position of the rows' body (0 = first row at the top). */
  scrollTop: number;
  /** Visible height for rows (the viewport minus a sticky header). */
  viewportHeight: number;
  /** Extra rows rendered above and below the visible ones. */
  overscan?: number;
  /** Tallest body in pixels before scaling kicks in. */
  maxHeight?: number;
}

export interface RowWindow {
  /** First rendered row. */
  first: number;
  /** One past the last rendered row. */
  end: number;
  /** Pixel offset of row `first` inside the body. */
  offset: number;
  /** Height of the body in pixels. */
  totalHeight: number;
}

export const DEFAULT_MAX_HEIGHT = 8_000_000;

/** The rows to render and where; `first === end` for an empty list. */
export function visibleWindow(input: WindowInput): RowWindow {
  const { rowCount, rowHeight, viewportHeight } = input;
  const overscan = input.overscan ?? 4;
  const contentHeight = rowCount * rowHeight;
  const totalHeight = Math.min(contentHeight, input.maxHeight ?? DEFAULT_MAX_HEIGHT);
  if (rowCount === 0 || rowHeight <= 0) return { first: 0, end: 0, offset: 0, totalHeight: 0 };
  const scrollTop = clamp(input.scrollTop, 0, Math.max(0, totalHeight - viewportHeight));
  const virtualTop = toVirtual(scrollTop, contentHeight, totalHeight, viewportHeight);
  const top = Math.min(rowCount - 1, Math.floor(virtualTop / rowHeight));
  const first = Math.max(0, top - overscan);
  const end = Math.min(rowCount, Math.ceil((virtualTop + viewportHeight) / rowHeight) + overscan);
  // Row `top` sits where it would be on screen; the rows above it stack upwards.
  const offset = scrollTop - (virtualTop - top * rowHeight) - (top - first) * rowHeight;
  return { first, end, offset, totalHeight };
}

/** The scroll position that brings `row` fully into view, or null when it already is. */
export function scrollTopForRow(row: number, input: Omit<WindowInput, "overscan">): number | null {
  const { rowCount, rowHeight, viewportHeight } = input;
  const contentHeight = rowCount * rowHeight;
  const totalHeight = Math.min(contentHeight, input.maxHeight ?? DEFAULT_MAX_HEIGHT);
  const virtualTop = toVirtual(input.scrollTop, contentHeight, totalHeight, viewportHeight);
  const rowTop = row * rowHeight;
  let target: number;
  if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewportHeight)
    target = rowTop + rowHeight - viewportHeight;
  else return null;
  return toScroll(Math.max(0, target), contentHeight, totalHeight, viewportHeight);
}

/** Scroll position (in the capped body) → position in the full content. */
function toVirtual(scrollTop: number, content: number, total: number, viewport: number): number {
  if (content <= total) return scrollTop;
  const scrollable = total - viewport;
  return scrollable <= 0 ? 0 : (scrollTop / scrollable) * (content - viewport);
}

function toScroll(virtualTop: number, content: number, total: number, viewport: number): number {
  if (content <= total) return virtualTop;
  const contentScrollable = content - viewport;
  return contentScrollable <= 0 ? 0 : (virtualTop / contentScrollable) * (total - viewport);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
