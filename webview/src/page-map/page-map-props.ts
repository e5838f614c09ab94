// The contract of the page map component (webview/src/page-map/PageMap.tsx): every page
// of a memory drawn on a canvas, up to 1,048,576 pages (4 GiB of 4 KiB pages).

/** How page values are read: the static image layer (LAYER_* in protocol.ts) or the
 *  runner's page states (PAGE_STATES order in extension/runner/page-states.ts:
 *  notPresent, zero, imageClean, imageDirty, anonDirty, swapped). */
export type PageMapPalette = "layer" | "runtime";

export interface PageMapProps {
  /** Accessible name, e.g. "Memory 0 pages after step 5 (invoke touch)". */
  label: string;
  palette: PageMapPalette;
  /** One value per page. */
  pages: Uint8Array;
  /** Bytes per page (4096 for runtime states; the plan's page size for layers). */
  pageSize: number;
  /** Pages to outline (e.g. the selected segment's pages): [first, end) ranges. */
  highlight?: readonly (readonly [number, number])[];
  /** What the outline means here, for the legend (e.g. "The selected segment"). */
  highlightMeaning?: string;
  /** Pages that differ (compare view), drawn with a marker. */
  marked?: Uint8Array | null;
  /** What the marker means here, for the legend (e.g. "Differs from the other module"). */
  markedMeaning?: string;
  /** The focused/selected page, controlled by the parent. */
  selectedPage: number | null;
  onSelectPage(page: number): void;
  /** Extra text for the hover/focus description of a page (e.g. the segments on it). */
  describePage?(page: number): string;
  /** Show a legend with counts per value (default true). */
  legend?: boolean;
  /** Shared zoom level (pages per row scale), persisted by the parent if wanted. */
  zoom?: number;
  onZoom?(zoom: number): void;
}
