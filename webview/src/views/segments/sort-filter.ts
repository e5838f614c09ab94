// Sorting and filtering of the Segments table: pure functions over the row model that
// return the rows to show, in order. Unknown values (null) sort last either way; equal
// keys keep index order, so every sort is deterministic.

import type { SegmentRow } from "./segment-rows";

export const SORT_KEYS = [
  "index",
  "name",
  "mode",
  "memory",
  "offset",
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

export type ModeFilter = "all" | "active" | "passive";

export interface RowFilter {
  text: string;
  mode: ModeFilter;
}

type Key = number | string | null;

const OFFSET_KIND_RANK = { const: 0, global: 1, expr: 2 } as const;

/** A row's sort key for a column: numbers or strings, null when unknown. Offsets sort
 *  by kind (constants, then globals, then expressions) and value within a kind. */
function sortKey(row: SegmentRow, key: SortKey): Key | [number, Key] {
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
    case "offset": {
      const offset = s.offset;
      if (offset === null) return null;
      const rank = OFFSET_KIND_RANK[offset.kind];
      if (offset.kind === "const") return [rank, offset.value];
      if (offset.kind === "global") return [rank, offset.global];
      return [rank, offset.text];
    }
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
      let c: number;
      if (Array.isArray(a) && Array.isArray(b)) c = a[0] - b[0] || compareKeys(a[1], b[1]);
      else c = compareKeys(a as Key, b as Key);
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
    (row) =>
      (filter.mode === "all" || row.segment.mode === filter.mode) &&
      (!needle || row.haystack.includes(needle)),
  );
}

/** The order after activating a column header: a new column sorts ascending, the
 *  current one flips. */
export function nextOrder(current: SortOrder, key: SortKey): SortOrder {
  if (current.key !== key) return { key, direction: "ascending" };
  return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
}
