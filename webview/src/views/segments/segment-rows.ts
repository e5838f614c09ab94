// The Segments table's row model: each data segment of the report with its display
// texts (offset, start address, pages spanned) computed once, so sorting and filtering
// 100,000 rows stays cheap.

import type { SegmentJson } from "../../../../common/report-json";
import { hex } from "../../../../common/format";

export interface PageSpan {
  first: number;
  last: number;
}

export interface SegmentRow {
  segment: SegmentJson;
  /** The start address, or the offset expression when the start is unknown. */
  startText: string;
  pages: PageSpan | null;
  pagesText: string;
  boundsText: string;
  /** Lower-case text the filter field matches: index, name and offset. */
  haystack: string;
}

/** The JSON offset as shown: a constant in hex, `global.get N`, or the expression. */
export function offsetText(offset: SegmentJson["offset"]): string {
  if (offset === null) return "—";
  switch (offset.kind) {
    case "const":
      return hex(offset.value);
    case "global":
      return `global.get ${offset.global}`;
    case "expr":
      return offset.text;
  }
}

/** Pages (of `pageSize` bytes, counted from address 0) holding the segment's bytes:
 *  null for passive segments, unknown starts and empty segments. */
export function pagesSpanned(segment: SegmentJson, pageSize: number): PageSpan | null {
  if (segment.start === null || segment.size === 0) return null;
  return {
    first: Math.floor(segment.start / pageSize),
    last: Math.floor((segment.start + segment.size - 1) / pageSize),
  };
}

/** The page the page map should show for a segment (its first page; an empty
 *  segment's page is the one its start falls on). */
export function firstPageOf(segment: SegmentJson, pageSize: number): number | null {
  return segment.start === null ? null : Math.floor(segment.start / pageSize);
}

export function pagesText(pages: PageSpan | null): string {
  if (!pages) return "—";
  return pages.first === pages.last ? String(pages.first) : `${pages.first}–${pages.last}`;
}

/** One column for where a segment goes: its start address (with the offset it came from
 *  when that was not a constant), the offset when the start is unknown, "—" if passive. */
function startText(segment: SegmentJson): string {
  if (segment.mode === "passive") return "—";
  const offset = segment.offset?.kind === "const" ? null : offsetText(segment.offset);
  if (segment.start === null) return offset ?? "unknown";
  return offset === null ? hex(segment.start) : `${hex(segment.start)} (${offset})`;
}

/** Why a cell shows "—", for its tooltip. */
export function placeholderReason(
  segment: SegmentJson,
  column: "memory" | "start" | "pages" | "bounds",
): string {
  if (segment.mode === "passive")
    return "passive: in no memory and at no address until memory.init copies it at run time";
  if (column === "pages" && segment.size === 0) return "empty: no bytes, so on no page";
  return "the start is unknown (its offset is not a constant), so neither are its pages";
}

export function segmentRows(segments: readonly SegmentJson[], pageSize: number): SegmentRow[] {
  return segments.map((segment) => {
    const pages = pagesSpanned(segment, pageSize);
    const offset = offsetText(segment.offset);
    return {
      segment,
      startText: startText(segment),
      pages,
      pagesText: pagesText(pages),
      boundsText: segment.bounds ?? "—",
      haystack: `${segment.index}\n${segment.name ?? ""}\n${offset}`.toLowerCase(),
    };
  });
}
