// A module's data segments as the diff reads them (layout-diff.ts `SegmentLike`), in
// typed columns: one worker hands its side of a diff to another through the host, and
// 100,000 segments as objects cost about 200 ms to clone, each way; columns cost nothing.
// Starts stay exact (64-bit, memory64 addresses included), unlike the webview's packed
// diff, whose messages cannot carry bigints.

import type { SegmentLike, SegmentRef } from "./layout-diff";

export interface SegmentColumns {
  count: number;
  index: Int32Array;
  /** -1: passive. */
  memory: Int32Array;
  start: BigUint64Array;
  /** 0: start unknown (passive, or an offset that depends on an unknown value). */
  startKnown: Uint8Array;
  size: Float64Array;
  /** Each segment's name; null when no segment has one. */
  names: (string | null)[] | null;
}

/** Columns for `count` segments, zeroed, with the names given (null when none is). */
export function emptySegmentColumns(
  count: number,
  names: (string | null)[] | null,
): SegmentColumns {
  return {
    count,
    index: new Int32Array(count),
    memory: new Int32Array(count),
    start: new BigUint64Array(count),
    startKnown: new Uint8Array(count),
    size: new Float64Array(count),
    names: names?.some((name) => name !== null) ? names : null,
  };
}

export function segmentColumns(segments: readonly SegmentLike[]): SegmentColumns {
  const columns = emptySegmentColumns(
    segments.length,
    segments.map((s) => s.name),
  );
  segments.forEach((segment, i) => {
    columns.index[i] = segment.index;
    columns.memory[i] = segment.memory ?? -1;
    if (segment.start !== null) {
      columns.start[i] = BigInt(segment.start);
      columns.startKnown[i] = 1;
    }
    columns.size[i] = segment.size;
  });
  return columns;
}

/** The segments, as the diff reads them (`LayoutSide.segmentRefs`). */
export function segmentsOfColumns(columns: SegmentColumns): SegmentRef[] {
  const segments: SegmentRef[] = new Array(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const memory = columns.memory[i]!;
    segments[i] = {
      index: columns.index[i]!,
      memory: memory < 0 ? null : memory,
      name: columns.names?.[i] ?? null,
      size: columns.size[i]!,
      start: columns.startKnown[i] ? columns.start[i]! : null,
    };
  }
  return segments;
}
