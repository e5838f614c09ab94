// Which data segments touch an address range, fast for 100,000 segments: the placed
// segments of one memory sorted by start, with the running maximum of their ends, so a
// binary search finds the last one starting before the range and a walk back stops as
// soon as no earlier segment can reach into it.

import { displayText } from "../../../common/display-text";
import type { SegmentJson } from "../../../common/report-json";

export interface PlacedSegment {
  index: number;
  name: string | null;
  start: number;
  end: number;
}

export class SegmentIndex {
  private readonly sorted: PlacedSegment[];
  private readonly starts: Float64Array;
  /** maxEnd[i] = max(end of sorted[0..i]). */
  private readonly maxEnd: Float64Array;

  constructor(segments: readonly SegmentJson[], memory: number) {
    this.sorted = segments
      .filter((s) => s.mode === "active" && s.memory === memory && s.start !== null && s.size > 0)
      .map((s) => ({ index: s.index, name: s.name, start: s.start!, end: s.start! + s.size }))
      .sort((a, b) => a.start - b.start || a.index - b.index);
    this.starts = Float64Array.from(this.sorted, (s) => s.start);
    this.maxEnd = new Float64Array(this.sorted.length);
    let max = -Infinity;
    this.sorted.forEach((s, i) => (this.maxEnd[i] = max = Math.max(max, s.end)));
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Segments overlapping [from, to), by start address. */
  overlapping(from: number, to: number): PlacedSegment[] {
    // The first sorted index whose start is >= to.
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.starts[mid]! < to) low = mid + 1;
      else high = mid;
    }
    const found: PlacedSegment[] = [];
    for (let i = low - 1; i >= 0 && this.maxEnd[i]! > from; i--) {
      if (this.sorted[i]!.end > from) found.push(this.sorted[i]!);
    }
    return found.reverse();
  }
}

/** "segments #3 "name", #4" (at most `limit` named, then how many more), or "". */
export function segmentsText(segments: readonly PlacedSegment[], limit = 4): string {
  if (!segments.length) return "no data segment";
  const named = segments
    .slice(0, limit)
    .map((s) => (s.name ? `#${s.index} "${displayText(s.name)}"` : `#${s.index}`));
  const more = segments.length - named.length;
  const word = segments.length === 1 ? "segment" : "segments";
  return `${word} ${named.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}
