// The words for a page: its address range in hex and the sentence the info line and the
// screen reader get.

import { stateLabel } from "./palettes";
import type { PageMapPalette } from "./page-map-props";

/** `0x` + hex, zero-padded to the digits of `end` (at least 8) so columns line up. */
export function formatAddress(address: number, end: number): string {
  const digits = Math.max(8, Math.max(0, end - 1).toString(16).length);
  return `0x${address.toString(16).padStart(digits, "0")}`;
}

export function pageRange(page: number, pageSize: number, pages: number): string {
  const end = pages * pageSize;
  const first = page * pageSize;
  return `${formatAddress(first, end)}–${formatAddress(first + pageSize - 1, end)}`;
}

export interface PageFacts {
  page: number;
  pages: number;
  pageSize: number;
  palette: PageMapPalette;
  value: number;
  marked: boolean;
  extra: string;
}

export function describePageFacts(facts: PageFacts): string {
  const parts = [
    `Page ${facts.page} of ${facts.pages}`,
    pageRange(facts.page, facts.pageSize, facts.pages),
    stateLabel(facts.palette, facts.value),
  ];
  if (facts.marked) parts.push("marked");
  if (facts.extra) parts.push(facts.extra);
  return parts.join(" · ");
}
