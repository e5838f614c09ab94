// The Segments table's columns: title, sort key and cell text of each.

import type { SegmentRow } from "./segment-rows";
import type { SortKey } from "./sort-filter";

export interface Column {
  key: SortKey;
  title: string;
  numeric: boolean;
  text(row: SegmentRow): string;
}

export function segmentColumns(pageSize: number): Column[] {
  return [
    { key: "index", title: "Index", numeric: true, text: (r) => String(r.segment.index) },
    { key: "name", title: "Name", numeric: false, text: (r) => r.segment.name ?? "" },
    { key: "mode", title: "Mode", numeric: false, text: (r) => r.segment.mode },
    {
      key: "memory",
      title: "Memory",
      numeric: true,
      text: (r) => (r.segment.memory === null ? "—" : String(r.segment.memory)),
    },
    { key: "offset", title: "Offset", numeric: false, text: (r) => r.offsetText },
    { key: "start", title: "Start", numeric: true, text: (r) => r.startText },
    { key: "size", title: "Size (bytes)", numeric: true, text: (r) => String(r.segment.size) },
    { key: "pages", title: `Pages (${pageSize} B)`, numeric: true, text: (r) => r.pagesText },
    { key: "bounds", title: "Bounds", numeric: false, text: (r) => r.boundsText },
  ];
}
