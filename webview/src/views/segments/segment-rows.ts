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
  offsetText: string;
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

function startText(segment: SegmentJson): string {
  if (segment.mode === "passive") return "—";
  return segment.start === null ? "unknown" : hex(segment.start);
}

export function segmentRows(segments: readonly SegmentJson[], pageSize: number): SegmentRow[] {
  return segments.map((segment) => {
    const pages = pagesSpanned(segment, pageSize);
    const offset = offsetText(segment.offset);
    return {
      segment,
      offsetText: offset,
      startText: startText(segment),
      pages,
      pagesText: pagesText(pages),
      boundsText: segment.bounds ?? "—",
      haystack: `${segment.index}\n${segment.name ?? ""}\n${offset}`.toLowerCase(),
    };
  });
}
