// Words and numbers of a layout diff (the compare view and `wasm-cow diff`): plain
// integers, signed deltas, and a text label (with a glyph) for every kind of change, so
// nothing is told by colour alone.

import { exactBytes, grouped, hex } from "./format";
import type { Delta, Difference, SegmentChangeKind, SegmentRef, Verdict } from "./layout-diff";

/** A count grouped ("12,288"), a byte count also with its size ("51,200,000 (48.8
 *  MiB)"), "—" for no value. */
export function formatValue(value: number | bigint | null, bytes: boolean): string {
  if (value === null) return "—";
  return bytes ? exactBytes(value) : grouped(value);
}

/** right − left with its sign ("+4,096 (4 KiB)", "−4", "0"), or "—" when a side has no
 *  value. */
export function formatDelta(delta: Delta<number> | Delta<bigint>, bytes: boolean): string {
  const value = delta.delta;
  if (value === null) return delta.changed ? "changed" : "—";
  if (value > 0) return `+${formatValue(value, bytes)}`;
  if (value < 0) return `−${formatValue(-value, bytes)}`;
  return "0";
}

export function formatVerdict(verdict: Verdict | null): string {
  if (verdict === null) return "no such memory";
  return verdict.static ? "yes" : `no (${verdict.reason ?? "no reason"})`;
}

/** [start, end) as an inclusive hex range, or "at 0x…" when it is empty. */
export function addressRange(start: bigint, end: bigint): string {
  return end > start ? `${hex(start)}–${hex(end - 1n)}` : `at ${hex(start)}`;
}

export const CHANGE_LABELS: Record<SegmentChangeKind, string> = {
  added: "+ added",
  removed: "− removed",
  moved: "→ moved",
  resized: "↔ resized",
  "moved-resized": "→↔ moved and resized",
};

export const DIFFERENCE_KIND_LABELS: Record<Difference["kind"], string> = {
  image: "image",
  segment: "segment",
  pages: "pages",
};

export function segmentName(segment: SegmentRef): string {
  return `${segment.index}${segment.name === null ? "" : ` "${segment.name}"`}`;
}

export function segmentPlacement(segment: SegmentRef | null): string {
  if (segment === null) return "—";
  if (segment.memory === null) return `passive, ${segment.size} bytes`;
  const start = segment.start === null ? "start unknown" : `at ${hex(segment.start)}`;
  return `memory ${segment.memory}, ${start}, ${segment.size} bytes`;
}
