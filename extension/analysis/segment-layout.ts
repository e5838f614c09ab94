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

/** A run of bytes of one segment that is still visible after all later segments were
 *  applied. Addresses are relative to the caller's base. */
export interface VisiblePiece {
  segment: number;
  /** Relative address of the first byte. */
  address: number;
  length: number;
  /** Offset of the first byte within the segment's payload. */
  sourceOffset: number;
}

export interface PlacedSegment {
  segment: DataSegment;
  /** Relative start address. */
  address: number;
}

/** Resolves overlaps with a sweep over start/end points, keeping the highest segment
 *  index (the last writer) active at each point: O(n log n), no byte buffer. */
export function visiblePieces(placed: readonly PlacedSegment[]): VisiblePiece[] {
  const nonEmpty = placed.filter((p) => p.segment.size > 0);
  return disjointInOrder(nonEmpty) ? nonEmpty.map(wholePiece) : sweptPieces(nonEmpty);
}

/** Whether each segment starts at or after the end of the one before: what linkers emit,
 *  and then every segment is visible whole, in this order. */
function disjointInOrder(placed: readonly PlacedSegment[]): boolean {
  for (let i = 1; i < placed.length; i++) {
    const before = placed[i - 1]!;
    if (placed[i]!.address < before.address + before.segment.size) return false;
  }
  return true;
}

function wholePiece({ segment, address }: PlacedSegment): VisiblePiece {
  return { segment: segment.index, address, length: segment.size, sourceOffset: 0 };
}

function sweptPieces(nonEmpty: readonly PlacedSegment[]): VisiblePiece[] {
  const points = new Float64Array(nonEmpty.length * 2);
  nonEmpty.forEach((p, i) => {
    points[2 * i] = p.address;
    points[2 * i + 1] = p.address + p.segment.size;
  });
  points.sort();
  const byStart = [...nonEmpty].sort((a, b) => a.address - b.address);
  const heap = new MaxHeap<PlacedSegment>((a, b) => a.segment.index - b.segment.index);
  const pieces: VisiblePiece[] = [];
  let next = 0;
  for (let i = 0; i < points.length; i++) {
    const from = points[i]!;
    if (i + 1 < points.length && points[i + 1] === from) continue;
    const to = i + 1 < points.length ? points[i + 1]! : from;
    while (next < byStart.length && byStart[next]!.address <= from) heap.push(byStart[next++]!);
    while (heap.size && heap.top!.address + heap.top!.segment.size <= from) heap.pop();
    const top = heap.top;
    if (!top || to <= from) continue;
    const last = pieces.at(-1);
    if (last && last.segment === top.segment.index && last.address + last.length === from) {
      last.length += to - from;
    } else {
      pieces.push({
        segment: top.segment.index,
        address: from,
        length: to - from,
        sourceOffset: from - top.address,
      });
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
