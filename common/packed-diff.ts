// A layout diff (layout-diff.ts) packed into typed arrays, as the analysis worker sends it
// to the compare view: a 100,000-segment comparison has as many segment changes and
// differences, and as objects with their descriptions they would be tens of MB of
// messages and garbage. Packed, every row is a few numbers; the view rebuilds the rows it
// shows (`differenceAt`, `segmentChangeAt`, `pageRangeAt`) with the same builders the
// diff used, so the words are the diff's own.
//
// Everything here survives VS Code's webview messages (JSON plus typed arrays): no bigint.
// Addresses travel as doubles, exact below 2^53 (as in the report JSON the webview reads).

import {
  describePages,
  imageDifference,
  pagesDifference,
  segmentChange,
  segmentDifference,
  type Delta,
  type Difference,
  type DifferenceKind,
  type LayoutDiff,
  type MemoryDiff,
  type PageKind,
  type PageRangeDiff,
  type SegmentChange,
  type SegmentChangeKind,
  type SegmentRef,
} from "./layout-diff";

/** One side of every segment change, column by column. */
export interface PackedSegmentRefs {
  /** -1: the change has no segment on this side (added or removed). */
  index: Int32Array;
  /** -1: passive. */
  memory: Int32Array;
  /** NaN: start unknown (or passive). */
  start: Float64Array;
  size: Float64Array;
  /** Each change's segment name on this side; null when no segment here has a name. */
  names: (string | null)[] | null;
}

export interface PackedSegmentChanges {
  count: number;
  kind: Uint8Array;
  /** 0: none, 1: by name, 2: by index. */
  matchedBy: Uint8Array;
  left: PackedSegmentRefs;
  right: PackedSegmentRefs;
  /** The change's position in the difference list, or -1 when it has no address. */
  difference: Int32Array;
}

export interface PackedPageRanges {
  count: number;
  firstPage: Float64Array;
  endPage: Float64Array;
  left: Uint8Array;
  right: Uint8Array;
  /** -1: not compared, 0: same bytes, 1: bytes differ. */
  contentDiffers: Int8Array;
  /** The range's position in the difference list. */
  difference: Int32Array;
  /** Pages in all ranges together. */
  pages: number;
}

/** A memory's diff without bigints, its page ranges packed. */
export type PackedMemoryDiff = Omit<MemoryDiff, "offset" | "pageRanges"> & {
  offset: Delta<number>;
  pageRanges: PackedPageRanges;
};

export interface PackedDiff {
  pageSize: number;
  memories: PackedMemoryDiff[];
  segments: PackedSegmentChanges;
  unchangedSegments: number;
  /** In address order, as `LayoutDiff.differences`; each names the row it comes from: a
   *  memory (image), a segment change, or a page range of its memory. */
  differences: { count: number; memory: Int32Array; kind: Uint8Array; row: Int32Array };
}

const CHANGE_KINDS: readonly SegmentChangeKind[] = [
  "added",
  "removed",
  "moved",
  "resized",
  "moved-resized",
];
const MATCHES = [null, "name", "index"] as const;
const PAGE_KINDS: readonly PageKind[] = ["outside", "zero", "data"];
const DIFFERENCE_KINDS: readonly DifferenceKind[] = ["image", "segment", "pages"];

export function packDiff(diff: LayoutDiff): PackedDiff {
  const changeRow = new Map<SegmentChange, number>();
  for (let row = 0; row < diff.segments.length; row++) changeRow.set(diff.segments[row]!, row);
  const rangeRow = new Map<PageRangeDiff, number>();
  for (const memory of diff.memories) memory.pageRanges.forEach((r, row) => rangeRow.set(r, row));

  const count = diff.differences.length;
  const differences = {
    count,
    memory: new Int32Array(count),
    kind: new Uint8Array(count),
    row: new Int32Array(count),
  };
  const segments = packChanges(diff.segments);
  const memories = diff.memories.map(packMemory);
  for (let i = 0; i < count; i++) {
    const d = diff.differences[i]!;
    differences.memory[i] = d.memory;
    differences.kind[i] = DIFFERENCE_KINDS.indexOf(d.kind);
    const row = d.segmentChange
      ? changeRow.get(d.segmentChange)!
      : d.pageRange
        ? rangeRow.get(d.pageRange)!
        : d.memory;
    differences.row[i] = row;
    if (d.segmentChange) segments.difference[row] = i;
    if (d.pageRange) memories[d.memory]!.pageRanges.difference[row] = i;
  }
  return {
    pageSize: diff.pageSize,
    memories,
    segments,
    unchangedSegments: diff.unchangedSegments,
    differences,
  };
}

function packMemory(memory: MemoryDiff): PackedMemoryDiff {
  const ranges = memory.pageRanges;
  const n = ranges.length;
  const packed: PackedPageRanges = {
    count: n,
    firstPage: new Float64Array(n),
    endPage: new Float64Array(n),
    left: new Uint8Array(n),
    right: new Uint8Array(n),
    contentDiffers: new Int8Array(n),
    difference: new Int32Array(n).fill(-1),
    pages: 0,
  };
  ranges.forEach((r, i) => {
    packed.firstPage[i] = r.firstPage;
    packed.endPage[i] = r.endPage;
    packed.left[i] = PAGE_KINDS.indexOf(r.left);
    packed.right[i] = PAGE_KINDS.indexOf(r.right);
    packed.contentDiffers[i] = r.contentDiffers === null ? -1 : r.contentDiffers ? 1 : 0;
    packed.pages += r.endPage - r.firstPage;
  });
  const { offset, pageRanges: _ranges, ...rest } = memory;
  const number = (v: bigint | null): number | null => (v === null ? null : Number(v));
  return {
    ...rest,
    offset: {
      ...offset,
      left: number(offset.left),
      right: number(offset.right),
      delta: number(offset.delta),
    },
    pageRanges: packed,
  };
}

/** One side of every change: `side` picks it. Loops, not `from`/`map`: 100,000 rows. */
function packRefs(
  changes: readonly SegmentChange[],
  side: (change: SegmentChange) => SegmentRef | null,
): PackedSegmentRefs {
  const n = changes.length;
  const packed: PackedSegmentRefs = {
    index: new Int32Array(n),
    memory: new Int32Array(n),
    start: new Float64Array(n),
    size: new Float64Array(n),
    names: null,
  };
  for (let i = 0; i < n; i++) {
    const r = side(changes[i]!);
    packed.index[i] = r ? r.index : -1;
    packed.memory[i] = r?.memory ?? -1;
    packed.start[i] = r?.start == null ? NaN : Number(r.start);
    packed.size[i] = r?.size ?? 0;
    if (r?.name != null) (packed.names ??= new Array<string | null>(n).fill(null))[i] = r.name;
  }
  return packed;
}

function packChanges(changes: readonly SegmentChange[]): PackedSegmentChanges {
  const n = changes.length;
  const kind = new Uint8Array(n);
  const matchedBy = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    kind[i] = CHANGE_KINDS.indexOf(changes[i]!.kind);
    matchedBy[i] = MATCHES.indexOf(changes[i]!.matchedBy);
  }
  return {
    count: n,
    kind,
    matchedBy,
    left: packRefs(changes, (c) => c.left),
    right: packRefs(changes, (c) => c.right),
    difference: new Int32Array(n).fill(-1),
  };
}

// ---------------------------------------------------------------------------------------
// Rows rebuilt on demand

function refAt(refs: PackedSegmentRefs, row: number): SegmentRef | null {
  const index = refs.index[row]!;
  if (index < 0) return null;
  const memory = refs.memory[row]!;
  const start = refs.start[row]!;
  return {
    index,
    name: refs.names?.[row] ?? null,
    memory: memory < 0 ? null : memory,
    start: Number.isNaN(start) ? null : BigInt(start),
    size: refs.size[row]!,
  };
}

export function segmentChangeAt(diff: PackedDiff, row: number): SegmentChange {
  const s = diff.segments;
  return segmentChange(
    CHANGE_KINDS[s.kind[row]!]!,
    MATCHES[s.matchedBy[row]!]!,
    refAt(s.left, row),
    refAt(s.right, row),
  );
}

export function pageRangeAt(diff: PackedDiff, memory: number, row: number): PageRangeDiff {
  const r = diff.memories[memory]!.pageRanges;
  const content = r.contentDiffers[row]!;
  const range: PageRangeDiff = {
    firstPage: r.firstPage[row]!,
    endPage: r.endPage[row]!,
    left: PAGE_KINDS[r.left[row]!]!,
    right: PAGE_KINDS[r.right[row]!]!,
    contentDiffers: content < 0 ? null : content === 1,
    description: "",
  };
  range.description = describePages(range, diff.pageSize);
  return range;
}

/** The memory's diff with bigints again and without its page ranges. */
export function memoryAt(diff: PackedDiff, memory: number): Omit<MemoryDiff, "pageRanges"> {
  const { offset, pageRanges: _ranges, ...rest } = diff.memories[memory]!;
  const big = (v: number | null): bigint | null => (v === null ? null : BigInt(v));
  return {
    ...rest,
    offset: {
      ...offset,
      left: big(offset.left),
      right: big(offset.right),
      delta: big(offset.delta),
    },
  };
}

export function differenceAt(diff: PackedDiff, index: number): Difference {
  const d = diff.differences;
  const memory = d.memory[index]!;
  const row = d.row[index]!;
  switch (DIFFERENCE_KINDS[d.kind[index]!]) {
    case "image":
      return imageDifference(memoryAt(diff, row), diff.pageSize)[0]!;
    case "segment":
      return segmentDifference(segmentChangeAt(diff, row), diff.pageSize)!;
    default:
      return pagesDifference(memory, pageRangeAt(diff, memory, row), diff.pageSize);
  }
}

/** The page range of `memory` that holds `page` (binary search), or null. */
export function pageRangeHolding(diff: PackedDiff, memory: number, page: number): number | null {
  const r = diff.memories[memory]?.pageRanges;
  if (!r) return null;
  let [low, high] = [0, r.count];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (r.endPage[middle]! <= page) low = middle + 1;
    else high = middle;
  }
  return low < r.count && r.firstPage[low]! <= page ? low : null;
}
