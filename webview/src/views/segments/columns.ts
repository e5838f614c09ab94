// The Segments table's columns: title, sort key and cell text of each.

import { displayText } from "../../../../common/display-text";
import { exactBytes } from "../../../../common/format";
import { placeholderReason, type SegmentRow } from "./segment-rows";
import type { SortKey } from "./sort-filter";

export interface Column {
  key: SortKey;
  title: string;
  /** The header's tooltip, when the title alone does not say it all. */
  description?: string;
  numeric: boolean;
  text(row: SegmentRow): string;
  /** The cell's tooltip: the whole text where it may be cut, or why it shows "—". */
  hint?(row: SegmentRow): string | undefined;
}

const PLACEHOLDER = "—";

/** The tooltip of a cell that may show "—". */
const placeholder =
  (column: "memory" | "start" | "pages" | "bounds", text: (row: SegmentRow) => string) =>
  (row: SegmentRow): string | undefined => {
    const shown = text(row);
    return shown === PLACEHOLDER ? placeholderReason(row.segment, column) : shown;
  };

export function segmentColumns(pageSize: number): Column[] {
  const memory = (r: SegmentRow) =>
    r.segment.memory === null ? PLACEHOLDER : String(r.segment.memory);
  const start = (r: SegmentRow) => r.startText;
  const pages = (r: SegmentRow) => r.pagesText;
  const bounds = (r: SegmentRow) => r.boundsText;
  return [
    { key: "index", title: "Index", numeric: true, text: (r) => String(r.segment.index) },
    {
      key: "name",
      title: "Name",
      numeric: false,
      // A name-section name is the module's text: escaped like every such string.
      text: (r) => displayText(r.segment.name ?? ""),
      hint: (r) => (r.segment.name === null ? undefined : displayText(r.segment.name)),
    },
    { key: "mode", title: "Mode", numeric: false, text: (r) => r.segment.mode },
    {
      key: "memory",
      title: "Memory",
      numeric: true,
      text: memory,
      hint: placeholder("memory", memory),
    },
    {
      key: "start",
      title: "Start",
      description:
        "The address the segment's bytes start at, and the offset it came from when that is not a constant",
      numeric: false,
      text: start,
      hint: placeholder("start", start),
    },
    { key: "size", title: "Size", numeric: true, text: (r) => exactBytes(r.segment.size) },
    {
      key: "pages",
      title: "Pages",
      description: `The pages of ${pageSize.toLocaleString("en-US")} bytes (counted from address 0) its bytes lie on`,
      numeric: true,
      text: pages,
      hint: placeholder("pages", pages),
    },
    {
      key: "bounds",
      title: "Bounds",
      numeric: false,
      text: bounds,
      hint: placeholder("bounds", bounds),
    },
  ];
}
