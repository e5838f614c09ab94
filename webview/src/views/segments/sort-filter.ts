// Sorting and filtering of the Segments table: pure functions over the row model that
// return the rows to show, in order. Unknown values (null) sort last either way; equal
// keys keep index order, so every sort is deterministic.

import type { SegmentRow } from "./segment-rows";

export const SORT_KEYS = [
  "index",
  "name",
  "mode",
  "memory",
  "start",
  "size",
  "pages",
  "bounds",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "ascending" | "descending";

export interface SortOrder {
  key: SortKey;
  direction: SortDirection;
}

/** "data": active segments with bytes, the ones that make an image. */
export type ModeFilter = "data" | "all" | "active" | "passive";

/** What the mode filter offers, in words. */
export const MODE_LABELS: Record<ModeFilter, string> = {
  data: "active, with bytes",
  all: "all",
  active: "active",
  passive: "passive",
};

export interface RowFilter {
  text: string;
  mode: ModeFilter;
}

type Key = number | string | null;

/** A row's sort key for a column: numbers or strings, null when unknown. */
function sortKey(row: SegmentRow, key: SortKey): Key {
  const s = row.segment;
  switch (key) {
    case "index":
      return s.index;
    case "name":
      return s.name;
    case "mode":
      return s.mode;
    case "memory":
      return s.memory;
    case "start":
      return s.start;
    case "size":
      return s.size;
    case "pages":
      return row.pages?.first ?? null;
    case "bounds":
      return s.bounds;
  }
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The rows in the requested order (a new array; the input is not changed). */
export function sortRows(rows: readonly SegmentRow[], order: SortOrder): SegmentRow[] {
  const sign = order.direction === "ascending" ? 1 : -1;
  const keyed = rows.map((row) => ({ row, key: sortKey(row, order.key) }));
  keyed.sort((x, y) => {
    const a = x.key;
    const b = y.key;
    if (a === null || b === null) {
      if (a !== b) return a === null ? 1 : -1;
    } else {
      const c = compareKeys(a, b);
      if (c !== 0) return sign * c;
    }
    return x.row.segment.index - y.row.segment.index;
  });
  return keyed.map((entry) => entry.row);
}

/** Rows whose mode matches and whose index, name or offset text contains the filter
 *  text (case-insensitive; surrounding spaces ignored). */
export function filterRows(rows: readonly SegmentRow[], filter: RowFilter): SegmentRow[] {
  const needle = filter.text.trim().toLowerCase();
  if (!needle && filter.mode === "all") return rows.slice();
  return rows.filter(
    (row) => modeMatches(row, filter.mode) && (!needle || row.haystack.includes(needle)),
  );
}

function modeMatches(row: SegmentRow, mode: ModeFilter): boolean {
  if (mode === "all") return true;
  if (mode === "data") return row.segment.mode === "active" && row.segment.size > 0;
  return row.segment.mode === mode;
}

/** The filter a module's table opens with: the segments that make its image (active, with
 *  bytes) when it has any, so a module of thousands of empty passive segments (ruby.wasm
 *  has 8,931) opens on what matters; otherwise all of them. */
export function defaultMode(rows: readonly SegmentRow[]): ModeFilter {
  return rows.some((row) => modeMatches(row, "data")) ? "data" : "all";
}

/** A persisted sort order, unless it names a column that no longer exists. */
export function knownOrder(order: SortOrder): SortOrder {
  return (SORT_KEYS as readonly string[]).includes(order.key)
    ? order
    : { key: "index", direction: "ascending" };
}

/** The order after activating a column header: a new column sorts ascending, the
 *  current one flips. */
export function nextOrder(current: SortOrder, key: SortKey): SortOrder {
  if (current.key !== key) return { key, direction: "ascending" };
  return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
}
