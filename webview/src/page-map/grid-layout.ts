// The page map's geometry: pages laid out in rows of a power-of-two number of columns
// (so every row starts at a round address), square cells of a zoom-dependent size, and a
// vertical scroll offset. Everything is in integer device pixels so cells never blur.

/** Cell sizes in CSS pixels, smallest first: the zoom levels. */
export const ZOOM_STEPS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32] as const;

/** Fitting never makes cells larger than this (a one-page memory is not one big box). */
const FIT_MAX_ZOOM = 16;

/** Space for the row address labels on the left, in CSS pixels. */
export const GUTTER_CSS = 84;

/** Cells this large (device pixels) get a 1-pixel gap, so single cells stand out. */
export const GAP_FROM = 6;

export interface GridLayout {
  pages: number;
  /** Device pixels per CSS pixel. */
  dpr: number;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
  gutter: number;
  /** Cell pitch in device pixels (the filled part is `cell - gap`). */
  cell: number;
  gap: number;
  columns: number;
  rows: number;
  /** Vertical scroll in device pixels, within [0, maxScroll]. */
  scroll: number;
  maxScroll: number;
}

export interface LayoutInput {
  pages: number;
  /** Canvas size in CSS pixels. */
  cssWidth: number;
  cssHeight: number;
  dpr: number;
  /** Cell size in CSS pixels (one of ZOOM_STEPS). */
  zoom: number;
  /** Wanted scroll in device pixels (clamped). */
  scroll: number;
}

function floorPowerOfTwo(n: number): number {
  return n < 1 ? 1 : 2 ** Math.floor(Math.log2(n));
}

export function layoutGrid(input: LayoutInput): GridLayout {
  const dpr = input.dpr > 0 ? input.dpr : 1;
  const width = Math.max(1, Math.round(input.cssWidth * dpr));
  const height = Math.max(1, Math.round(input.cssHeight * dpr));
  const gutter = Math.min(Math.round(GUTTER_CSS * dpr), Math.floor(width / 3));
  const cell = Math.max(1, Math.min(Math.round(input.zoom * dpr), width - gutter));
  const gap = cell >= GAP_FROM ? 1 : 0;
  const fit = Math.max(1, Math.floor((width - gutter) / cell));
  // Never more columns than pages: a small map is one row.
  const columns = Math.min(floorPowerOfTwo(fit), Math.max(1, input.pages));
  const rows = Math.ceil(input.pages / columns);
  const maxScroll = Math.max(0, rows * cell - height);
  const scroll = Math.min(Math.max(0, Math.round(input.scroll)), maxScroll);
  return {
    pages: input.pages,
    dpr,
    width,
    height,
    gutter,
    cell,
    gap,
    columns,
    rows,
    scroll,
    maxScroll,
  };
}

/** The zoom that shows the whole map if any does (the largest such), else the smallest. */
export function fitZoom(input: Omit<LayoutInput, "zoom" | "scroll">): number {
  const fits = ZOOM_STEPS.filter(
    (zoom) => zoom <= FIT_MAX_ZOOM && layoutGrid({ ...input, zoom, scroll: 0 }).maxScroll === 0,
  );
  return fits.at(-1) ?? ZOOM_STEPS[0];
}

export function zoomStep(zoom: number, direction: 1 | -1): number {
  const index = ZOOM_STEPS.findIndex((step) => step >= zoom);
  const at = index < 0 ? ZOOM_STEPS.length - 1 : index;
  const next = ZOOM_STEPS[ZOOM_STEPS[at] === zoom ? at + direction : direction > 0 ? at : at - 1];
  return next ?? zoom;
}

/** The page under a point (device pixels on the canvas), or null outside the cells. */
export function pageAt(layout: GridLayout, x: number, y: number): number | null {
  if (x < layout.gutter || y < 0 || y >= layout.height) return null;
  const column = Math.floor((x - layout.gutter) / layout.cell);
  if (column >= layout.columns) return null;
  const row = Math.floor((y + layout.scroll) / layout.cell);
  const page = row * layout.columns + column;
  return page < layout.pages ? page : null;
}

/** The top-left corner of a page's cell (device pixels on the canvas). */
export function cellOrigin(layout: GridLayout, page: number): { x: number; y: number } {
  const row = Math.floor(page / layout.columns);
  const column = page - row * layout.columns;
  return { x: layout.gutter + column * layout.cell, y: row * layout.cell - layout.scroll };
}

/** Visible rows [first, end). */
export function visibleRows(layout: GridLayout): [number, number] {
  const first = Math.floor(layout.scroll / layout.cell);
  const end = Math.min(layout.rows, Math.ceil((layout.scroll + layout.height) / layout.cell));
  return [first, end];
}

/** Rows fully visible at once (at least 1): what PageUp/PageDown move by. */
export function rowsPerView(layout: GridLayout): number {
  return Math.max(1, Math.floor(layout.height / layout.cell));
}

/** The scroll that brings a page's row into view (unchanged if it already is). */
export function scrollToShow(layout: GridLayout, page: number): number {
  const top = Math.floor(page / layout.columns) * layout.cell;
  if (top < layout.scroll) return top;
  if (top + layout.cell > layout.scroll + layout.height) return top + layout.cell - layout.height;
  return layout.scroll;
}

/** The scroll that puts a page's row in the middle of the view (as near as it goes). */
export function scrollToCentre(layout: GridLayout, page: number): number {
  const top = Math.floor(page / layout.columns) * layout.cell;
  const wanted = Math.round(top + layout.cell / 2 - layout.height / 2);
  return Math.min(Math.max(0, wanted), layout.maxScroll);
}

type Polygon = [number, number][];

/** The outline of pages [first, end) as closed polygons in canvas device pixels: one of
 *  up to 8 corners (a partial first row, whole rows, a partial last row), or two boxes
 *  when the range's two rows do not touch. */
export function rangeOutline(layout: GridLayout, first: number, end: number): Polygon[] {
  const last = Math.min(end, layout.pages) - 1;
  if (last < first || first < 0) return [];
  const { columns, cell, gutter } = layout;
  const x = (column: number): number => gutter + column * cell;
  const y = (row: number): number => row * cell - layout.scroll;
  const r0 = Math.floor(first / columns);
  const c0 = first - r0 * columns;
  const r1 = Math.floor(last / columns);
  const c1 = last - r1 * columns + 1; // exclusive
  const box = (left: number, right: number, row: number): Polygon => [
    [x(left), y(row)],
    [x(right), y(row)],
    [x(right), y(row + 1)],
    [x(left), y(row + 1)],
  ];
  if (r0 === r1) return [box(c0, c1, r0)];
  if (r1 === r0 + 1 && c1 <= c0) return [box(c0, columns, r0), box(0, c1, r1)];
  return [
    [
      [x(c0), y(r0)],
      [x(columns), y(r0)],
      [x(columns), y(r1)],
      [x(c1), y(r1)],
      [x(c1), y(r1 + 1)],
      [x(0), y(r1 + 1)],
      [x(0), y(r0 + 1)],
      [x(c0), y(r0 + 1)],
    ],
  ];
}
