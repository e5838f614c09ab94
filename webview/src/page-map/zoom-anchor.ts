// Zooming that keeps the page under the pointer (or the focused page) where it was, so
// the user does not lose their place when the rows reflow.

import type { Dispatch, MutableRefObject, SetStateAction } from "react";
import {
  cellOrigin,
  fitZoom,
  layoutGrid,
  pageAt,
  visibleRows,
  type GridLayout,
} from "./grid-layout";
import type { Size } from "./use-element-size";

export interface ZoomAnchorOptions {
  layoutRef: MutableRefObject<GridLayout>;
  pages: number;
  size: Size;
  dpr: number;
  setScroll: Dispatch<SetStateAction<number>>;
  /** The zoom chosen (null: fit the whole map) and the cell size it comes to. */
  setZoom(zoom: number | null, resolved: number): void;
}

/** zoomTo(zoom or null to fit, a canvas point to keep still, else a page to keep still). */
export function zoomAnchored(options: ZoomAnchorOptions) {
  return (zoom: number | null, at: { x: number; y: number } | null, page: number | null): void => {
    const layout = options.layoutRef.current;
    const { pages, size, dpr } = options;
    if (pages === 0) return;
    const view = { pages, cssWidth: size.width, cssHeight: size.height, dpr };
    let anchor: number;
    let y: number;
    if (at) {
      const row = Math.floor((at.y + layout.scroll) / layout.cell);
      anchor = pageAt(layout, at.x, at.y) ?? Math.min(pages - 1, row * layout.columns);
      y = at.y;
    } else if (page !== null) {
      anchor = page;
      y = cellOrigin(layout, page).y;
      if (y < 0 || y >= layout.height) y = 0;
    } else {
      anchor = visibleRows(layout)[0] * layout.columns;
      y = 0;
    }
    const resolved = zoom ?? fitZoom(view);
    const next = layoutGrid({ ...view, zoom: resolved, scroll: 0 });
    const top = Math.floor(anchor / next.columns) * next.cell - y;
    options.setScroll(Math.min(next.maxScroll, Math.max(0, top)));
    options.setZoom(zoom, resolved);
  };
}
