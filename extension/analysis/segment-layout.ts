// Where each data segment lands in memory and which of its bytes survive: the
// evaluated offset and bounds of every active segment, and the "visible pieces" of a
// memory's initial contents, where a later segment overwrites an earlier one exactly as
// instantiation applies them in order.

import { evaluateIntExpr } from "./const-expr";
import type { DataSegment, WasmModule } from "./module-types";
import type { SegmentBounds } from "../../common/report-types";

export interface SegmentPlacement {
  segment: number;
  memory: number;
  /** Evaluated start address, or null when it depends on an unknown value. */
  start: bigint | null;
  end: bigint | null;
  bounds: SegmentBounds;
}

/** What the caller knows about imports: values of imported globals and sizes (in
 *  pages) of imported memories. Unbound memories are assumed to have their declared
 *  minimum, which is what instantiating with fresh memories gives. */
export interface ImportBindings {
  globals?: ReadonlyMap<number, bigint>;
  memoryPages?: ReadonlyMap<number, bigint>;
}

export function memoryByteSize(
  module: WasmModule,
  memory: number,
  bindings: ImportBindings,
): bigint {
  const { type } = module.memories[memory]!;
  const pages = bindings.memoryPages?.get(memory) ?? type.min;
  return pages << BigInt(type.pageSizeLog2);
}

/** Values of every global that is known: bound imports and defined globals whose
 *  initialiser only uses known values. */
export function knownGlobalValues(module: WasmModule, bindings: ImportBindings): (bigint | null)[] {
  const values: (bigint | null)[] = [];
  for (const global of module.globals) {
    if (global.import) values.push(bindings.globals?.get(global.index) ?? null);
    else
      values.push(
        global.init
          ? evaluateIntExpr(global.init, (i) => (i < values.length ? values[i]! : null))
          : null,
      );
  }
  return values;
}

/** Where an active segment starts: the one rule for placements and for the diff's
 *  columns. A lone i32.const is read as it was decoded; any other offset is evaluated
 *  with the known globals, and is null when it reads an unknown one. */
export function segmentStarts(
  module: WasmModule,
  bindings: ImportBindings,
): (segment: DataSegment) => bigint | null {
  const globals = knownGlobalValues(module, bindings);
  const global = (i: number) => globals[i] ?? null;
  return (segment) =>
    segment.i32Offset >= 0
      ? BigInt(segment.i32Offset)
      : evaluateIntExpr(segment.offsetExpr!, global);
}

export function placeSegments(
  module: WasmModule,
  bindings: ImportBindings = {},
): SegmentPlacement[] {
  const startOf = segmentStarts(module, bindings);
  // Once per memory, not per segment: 100,000 segments.
  const sizes = module.memories.map((m) => memoryByteSize(module, m.index, bindings));
  const placements: SegmentPlacement[] = [];
  for (const segment of module.dataSegments) {
    if (segment.memory === null) continue;
    const start = startOf(segment);
    const end = start === null ? null : start + BigInt(segment.size);
    const size = sizes[segment.memory];
    const bounds: SegmentBounds =
      end === null || size === undefined ? "unknown" : end > size ? "out-of-bounds" : "in-bounds";
    placements.push({ segment: segment.index, memory: segment.memory, start, end, bounds });
  }
  return placements;
}

/** Runs of segments' bytes still visible after all later segments were applied, in address
 *  order and without overlaps, as columns: a module may have 100,000 pieces, and as objects
 *  they would all outlive its analysis (each a cost to the garbage collector). Addresses
 *  are relative to the caller's base. Entries past `count` are unused. */
export interface VisiblePieces {
  count: number;
  /** Index of the segment each piece's bytes come from. */
  segment: Int32Array;
  /** Relative address of the piece's first byte. */
  address: Float64Array;
  length: Float64Array;
  /** Offset of the piece's first byte within its segment's payload. */
  sourceOffset: Float64Array;
}

/** Segments at relative addresses: `segments[i]` starts at `addresses[i]`. */
export interface PlacedSegments {
  segments: readonly DataSegment[];
  addresses: readonly number[];
}

function piecesFor(capacity: number): VisiblePieces {
  return {
    count: 0,
    segment: new Int32Array(capacity),
    address: new Float64Array(capacity),
    length: new Float64Array(capacity),
    sourceOffset: new Float64Array(capacity),
  };
}

function addPiece(
  pieces: VisiblePieces,
  segment: number,
  address: number,
  length: number,
  sourceOffset: number,
): void {
  const i = pieces.count++;
  pieces.segment[i] = segment;
  pieces.address[i] = address;
  pieces.length[i] = length;
  pieces.sourceOffset[i] = sourceOffset;
}

/** Resolves overlaps with a sweep over start/end points, keeping the highest segment
 *  index (the last writer) active at each point: O(n log n), no byte buffer. */
export function visiblePieces({ segments, addresses }: PlacedSegments): VisiblePieces {
  // Positions of the segments with bytes.
  const nonEmpty: number[] = [];
  for (let i = 0; i < segments.length; i++) if (segments[i]!.size > 0) nonEmpty.push(i);
  const endOf = (at: number): number => addresses[at]! + segments[at]!.size;
  // Each segment at or after the end of the one before is what linkers emit: then every
  // segment is visible whole, in this order.
  let disjointInOrder = true;
  for (let k = 1; k < nonEmpty.length && disjointInOrder; k++)
    disjointInOrder = addresses[nonEmpty[k]!]! >= endOf(nonEmpty[k - 1]!);
  if (disjointInOrder) {
    const pieces = piecesFor(nonEmpty.length);
    for (const at of nonEmpty)
      addPiece(pieces, segments[at]!.index, addresses[at]!, segments[at]!.size, 0);
    return pieces;
  }
  return sweptPieces(segments, addresses, nonEmpty, endOf);
}

function sweptPieces(
  segments: readonly DataSegment[],
  addresses: readonly number[],
  nonEmpty: readonly number[],
  endOf: (at: number) => number,
): VisiblePieces {
  const points = new Float64Array(nonEmpty.length * 2);
  nonEmpty.forEach((at, i) => {
    points[2 * i] = addresses[at]!;
    points[2 * i + 1] = endOf(at);
  });
  points.sort();
  const byStart = [...nonEmpty].sort((a, b) => addresses[a]! - addresses[b]!);
  const heap = new MaxHeap<number>((a, b) => segments[a]!.index - segments[b]!.index);
  // Every piece starts at a point: at most one per point.
  const pieces = piecesFor(points.length);
  let next = 0;
  for (let i = 0; i < points.length; i++) {
    const from = points[i]!;
    if (i + 1 < points.length && points[i + 1] === from) continue;
    const to = i + 1 < points.length ? points[i + 1]! : from;
    while (next < byStart.length && addresses[byStart[next]!]! <= from) heap.push(byStart[next++]!);
    while (heap.size && endOf(heap.top!) <= from) heap.pop();
    const top = heap.top;
    if (top === undefined || to <= from) continue;
    const index = segments[top]!.index;
    const last = pieces.count - 1;
    if (
      last >= 0 &&
      pieces.segment[last] === index &&
      pieces.address[last]! + pieces.length[last]! === from
    ) {
      pieces.length[last] += to - from;
    } else {
      addPiece(pieces, index, from, to - from, from - addresses[top]!);
    }
  }
  return pieces;
}

class MaxHeap<T> {
  private items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  get top(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(items[i]!, items[parent]!) <= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (!items.length) return;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < items.length && this.compare(items[left]!, items[largest]!) > 0) largest = left;
      if (right < items.length && this.compare(items[right]!, items[largest]!) > 0) largest = right;
      if (largest === i) return;
      [items[i], items[largest]] = [items[largest]!, items[i]!];
      i = largest;
    }
  }
}
