// Decides, for every linear memory, the copy-on-write image Wasmtime would build, with
// the rules of `try_static_init` (crates/environ/src/compile/module_environ.rs) applied
// in Wasmtime's order and the runtime bail-outs of `ModuleMemoryImages::new`
// (crates/wasmtime/src/runtime/vm/cow.rs). Every refusal carries a stable code.

import { createHash } from "node:crypto";
import { segmentConstant } from "./const-expr";
import { formatBytes, grouped, plural } from "../../common/format";
import { pageHashesOfRuns } from "../../common/layout-diff";
import type { DataSegment, WasmModule } from "./module-types";
import {
  memoryByteSize,
  placeSegments,
  visiblePieces,
  type ImportBindings,
  type SegmentPlacement,
  type VisiblePieces,
} from "./segment-layout";
import type { ReasonCode } from "../../common/report-types";

export const DEFAULT_DENSE_LIMIT = 16 * 1024 * 1024; // Config::memory_guaranteed_dense_image_size
export const TARGET_PAGE_SIZES = [4096, 16384, 65536] as const;

export interface PlanOptions {
  /** The target's page size (x86-64: 4 KiB; Apple aarch64: 16 KiB; other aarch64 and Pulley: 64 KiB). */
  pageSize: number;
  /** Spans strictly below this many bytes always qualify, however sparse. */
  denseLimit: number;
  bindings?: ImportBindings;
}

export interface Reason {
  code: ReasonCode;
  message: string;
  /** The data segment that caused a module-wide refusal, if one did. */
  segment?: number;
  /** The memory that caused a module-wide refusal, if one did. */
  memory?: number;
}

export interface ImageGeometry {
  /** Page-aligned start address (Wasmtime's `linear_memory_offset`). */
  offset: bigint;
  /** Page-aligned length in bytes; 0 only when no active segment has a byte (Wasmtime's
   *  `None` image). All-zero data still gets an image, of zeros. */
  length: number;
  pages: number;
  nonzeroPages: number;
  sha256: string | null;
  /** Span of the non-empty segments before zero trimming (the density test's `image_size`). */
  span: number;
  /** Zero bytes trimmed before the first non-zero byte (before page alignment). */
  leadingZeros: number;
  /** Visible segment bytes in address order, addresses relative to `offset`. */
  pieces: VisiblePieces;
  /** One flag per image page: 1 when the page holds a non-zero byte; null for huge
   *  images Wasmtime would refuse (see FULLY_DESCRIBED_BYTES). */
  nonzeroPageMap: Uint8Array | null;
}

export interface MemoryPlan {
  memory: number;
  static: boolean;
  reason: Reason | null;
  /** Sum of the lengths of the active segments on this memory (overlaps count twice). */
  dataBytes: number;
  activeSegments: number;
  /** Null when some active offset is not a plain constant (or the span is not addressable). */
  image: ImageGeometry | null;
}

export interface ImagePlan {
  pageSize: number;
  denseLimit: number;
  /** Wasmtime's `MemoryInitialization`: all-or-nothing for the module. */
  initialization: "static" | "segmented";
  /** Why the module is segmented, or null when static. */
  segmentedBy: Reason | null;
  /** What the plan assumed of the imports. */
  bindings: ImportBindings;
  /** Every active segment's placement, made on first read: an analysis for the editor
   *  needs none (the diff's columns take starts from `segmentStarts`), and 100,000 of them
   *  with their bigints would outlive it (three objects per segment for the collector). */
  readonly segments: SegmentPlacement[];
  memories: MemoryPlan[];
}

export function planImages(module: WasmModule, options: PlanOptions): ImagePlan {
  const { pageSize, denseLimit } = options;
  if (!(TARGET_PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new RangeError(
      `page size must be one of ${TARGET_PAGE_SIZES.join(", ")}, got ${pageSize}`,
    );
  }
  const bindings = options.bindings ?? {};
  const segmentedBy = staticInitRefusal(module, options);
  const memories = module.memories.map((memory): MemoryPlan => {
    const active = module.dataSegments.filter(
      (s) => s.mode === "active" && s.memory === memory.index,
    );
    const dataBytes = active.reduce((sum, s) => sum + s.size, 0);
    const image = buildImage(module, memory.index, pageSize, denseLimit);
    const reason =
      segmentedBy ??
      (memory.import
        ? {
            code: "memory-imported" as const,
            message: `memory ${memory.index} is imported: its contents come from the importer`,
          }
        : runtimeRefusal(module, memory.index, image, bindings));
    return {
      memory: memory.index,
      static: reason === null,
      reason,
      dataBytes,
      activeSegments: active.length,
      image,
    };
  });
  let placements: SegmentPlacement[] | null = null;
  return {
    pageSize,
    denseLimit,
    initialization: segmentedBy ? "segmented" : "static",
    segmentedBy,
    bindings,
    get segments() {
      return (placements ??= placeSegments(module, bindings));
    },
    memories,
  };
}

const MAX_U64 = (1n << 64n) - 1n;

/** `try_static_init`: pass 1 over active segments in module order, then pass 2 per
 *  memory with data. The first refusal leaves the whole module segmented. */
function staticInitRefusal(
  module: WasmModule,
  { pageSize, denseLimit }: PlanOptions,
): Reason | null {
  interface Extent {
    dataSize: number;
    min: bigint;
    max: bigint;
  }
  const extents = new Map<number, Extent>();
  const minimumBytesOf = module.memories.map((m) => m.type.min << BigInt(m.type.pageSizeLog2));
  for (const segment of module.dataSegments) {
    if (segment.mode !== "active" || segment.memory === null) continue;
    const memory = module.memories[segment.memory];
    const where = `data segment ${segment.index}`;
    if (!memory)
      return {
        code: "out-of-bounds",
        segment: segment.index,
        memory: segment.memory,
        message: `${where} targets memory ${segment.memory}, which does not exist`,
      };
    if (memory.import) {
      return {
        code: "imported-memory-segment",
        segment: segment.index,
        memory: segment.memory,
        message: `${where} initialises imported memory ${memory.index} (${memory.import.module}.${memory.import.name}): Wasmtime cannot build an image for memory it does not own`,
      };
    }
    const start = segmentConstant(segment);
    const rightWidth =
      segment.i32Offset >= 0
        ? !memory.type.memory64
        : segment.offsetExpr!.instrs[0]?.op === (memory.type.memory64 ? "i64.const" : "i32.const");
    if (start === null || !rightWidth) {
      return {
        code: "non-constant-offset",
        segment: segment.index,
        memory: segment.memory,
        message: `${where} has a non-constant offset: only a single ${memory.type.memory64 ? "i64" : "i32"}.const qualifies`,
      };
    }
    const end = start + BigInt(segment.size);
    if (end > MAX_U64)
      return {
        code: "offset-overflow",
        segment: segment.index,
        memory: segment.memory,
        message: `${where} ends past 2^64 (offset ${start} + ${segment.size} bytes)`,
      };
    const minimumBytes = minimumBytesOf[memory.index]!;
    if (minimumBytes > MAX_U64) {
      return {
        code: "minimum-size-overflow",
        segment: segment.index,
        memory: segment.memory,
        message: `memory ${memory.index}'s minimum size overflows 64 bits: left to run time`,
      };
    }
    if (end > minimumBytes) {
      return {
        code: "out-of-bounds",
        segment: segment.index,
        memory: segment.memory,
        message: `${where} ends at ${end}, past memory ${memory.index}'s minimum size of ${grouped(minimumBytes)} bytes (${plural(Number(memory.type.min), "page")}): instantiation would trap`,
      };
    }
    if (segment.size === 0) continue;
    const extent = extents.get(memory.index);
    if (!extent) extents.set(memory.index, { dataSize: segment.size, min: start, max: end });
    else {
      extent.dataSize += segment.size;
      if (start < extent.min) extent.min = start;
      if (end > extent.max) extent.max = end;
    }
  }
  for (const [index, extent] of [...extents].sort(([a], [b]) => a - b)) {
    const memoryPageSize = 2 ** module.memories[index]!.type.pageSizeLog2;
    if (memoryPageSize < pageSize) {
      return {
        code: "page-size-too-small",
        memory: index,
        message: `memory ${index} uses ${memoryPageSize}-byte pages, smaller than the ${pageSize}-byte target page`,
      };
    }
    const span = extent.max - extent.min;
    if (span < 2n * BigInt(extent.dataSize) || span < BigInt(denseLimit)) continue;
    return {
      code: "too-sparse",
      memory: index,
      message: `memory ${index}'s segments span ${grouped(span)} bytes (${formatBytes(span)}): not less than twice their ${grouped(extent.dataSize)} bytes of data, nor less than the dense limit of ${grouped(denseLimit)} bytes`,
    };
  }
  return null;
}

/** `ModuleMemoryImages::new` and the image itself: reasons a static module's defined
 *  memory still gets no CoW mapping. */
function runtimeRefusal(
  module: WasmModule,
  memory: number,
  image: ImageGeometry | null,
  bindings: ImportBindings,
): Reason | null {
  if (!image || image.length === 0) {
    return {
      code: "no-image-needed",
      message: `memory ${memory} has no data segment bytes: it starts as zero pages and needs no image`,
    };
  }
  const imported = module.memories.find((m) => m.import);
  if (imported) {
    return {
      code: "module-imports-memory",
      message: `the module imports memory ${imported.index} (${imported.import!.module}.${imported.import!.name}): Wasmtime maps no CoW image for a module that imports any memory and copies the image instead`,
    };
  }
  const end = image.offset + BigInt(image.length);
  if (end > memoryByteSize(module, memory, bindings)) {
    return {
      code: "image-exceeds-minimum",
      message: `the page-aligned image ends at ${end}, past memory ${memory}'s minimum size`,
    };
  }
  return null;
}

/** Builds the page-aligned image of one memory when all of its active offsets are
 *  plain constants, whether or not Wasmtime would use it. */
function buildImage(
  module: WasmModule,
  memory: number,
  pageSize: number,
  denseLimit: number,
): ImageGeometry | null {
  // Two passes over the segments, the bounds first: no object per segment in between
  // (100,000 of them, all alive until the pieces are made, are a good part of planning).
  let base: bigint | null = null;
  let top = 0n;
  let dataBytes = 0;
  for (const segment of module.dataSegments) {
    if (segment.mode !== "active" || segment.memory !== memory) continue;
    const start = segmentConstant(segment);
    if (start === null) return null;
    const size = segment.size;
    dataBytes += size;
    if (!size) continue;
    if (base === null || start < base) base = start;
    const end = start + BigInt(size);
    if (end > top) top = end;
  }
  if (base === null) return emptyImage();
  // Addresses relative to `base` are doubles; a span past 2^53 cannot be described
  // (and is never an image Wasmtime builds: those spans are bounded by the data).
  if (top - base > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const span = Number(top - base);
  const placed = { segments: [] as DataSegment[], addresses: [] as number[] };
  for (const segment of module.dataSegments) {
    if (segment.mode !== "active" || segment.memory !== memory || !segment.size) continue;
    placed.segments.push(segment);
    placed.addresses.push(Number(segmentConstant(segment)! - base));
  }
  const pieces = visiblePieces(placed);
  // Wasmtime trims zeros with `position`/`rposition` of a non-zero byte: when every
  // byte is zero neither finds one and nothing is trimmed, so all-zero data keeps its
  // whole span as an image of zeros (verified against Wasmtime 49: four zero bytes at 0
  // map a 4,096-byte memfd of zeros).
  const first = firstNonZero(pieces, module);
  const last = first === null ? span - 1 : lastNonZero(pieces, module);
  const page = BigInt(pageSize);
  const alignedStart = ((base + BigInt(first ?? 0)) / page) * page;
  const alignedEnd = ((base + BigInt(last) + page) / page) * page;
  const length = Number(alignedEnd - alignedStart);
  const shifted = clipPieces(pieces, Number(alignedStart - base), length);
  const pages = length / pageSize;
  // Hashing streams every zero byte, and the page map has an entry per page: both are
  // skipped for huge images that Wasmtime would refuse anyway (too sparse).
  const describable =
    length <= Math.max(2 * dataBytes, denseLimit) + 2 * pageSize || length <= FULLY_DESCRIBED_BYTES;
  return {
    offset: alignedStart,
    length,
    pages,
    nonzeroPages: countNonzeroPages(shifted, module, pageSize),
    sha256: describable ? imageSha256(shifted, module, length) : null,
    span,
    leadingZeros: first ?? 0,
    pieces: shifted,
    nonzeroPageMap: describable ? markNonzeroPages(shifted, module, pageSize, pages) : null,
  };
}

/** Images up to this size get a hash and a page map even when Wasmtime would not use them. */
const FULLY_DESCRIBED_BYTES = 256 * 1024 * 1024;

/** Calls `visit` once for every image page holding a non-zero byte, in address order,
 *  from the pieces alone: the cost follows the data, not the span. */
export function forEachNonzeroPage(
  pieces: VisiblePieces,
  module: WasmModule,
  pageSize: number,
  visit: (page: number) => void,
): void {
  let lastVisited = -1;
  for (let p = 0; p < pieces.count; p++) {
    const bytes = pieceBytes(pieces, p, module);
    const address = pieces.address[p]!;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) continue;
      const page = Math.floor((address + i) / pageSize);
      if (page !== lastVisited) {
        visit(page);
        lastVisited = page;
      }
      // The rest of this page cannot add anything.
      i = (page + 1) * pageSize - address - 1;
    }
  }
}

function countNonzeroPages(pieces: VisiblePieces, module: WasmModule, pageSize: number): number {
  let count = 0;
  forEachNonzeroPage(pieces, module, pageSize, () => count++);
  return count;
}

function emptyImage(): ImageGeometry {
  return {
    offset: 0n,
    length: 0,
    pages: 0,
    nonzeroPages: 0,
    sha256: null,
    span: 0,
    leadingZeros: 0,
    pieces: visiblePieces({ segments: [], addresses: [] }),
    nonzeroPageMap: new Uint8Array(0),
  };
}

/** Moves pieces to image-relative addresses and cuts off the trimmed zero bytes
 *  outside [0, length), in place (the pieces are this plan's own). */
function clipPieces(pieces: VisiblePieces, shift: number, length: number): VisiblePieces {
  let kept = 0;
  for (let p = 0; p < pieces.count; p++) {
    const address = pieces.address[p]! - shift;
    const from = Math.max(address, 0);
    const to = Math.min(address + pieces.length[p]!, length);
    if (to <= from) continue;
    pieces.segment[kept] = pieces.segment[p]!;
    pieces.sourceOffset[kept] = pieces.sourceOffset[p]! + (from - address);
    pieces.address[kept] = from;
    pieces.length[kept] = to - from;
    kept++;
  }
  pieces.count = kept;
  return pieces;
}

/** Piece `p`'s bytes: a view into its segment's payload. */
function pieceBytes(pieces: VisiblePieces, p: number, module: WasmModule): Uint8Array {
  const from = pieces.sourceOffset[p]!;
  return module.dataSegments[pieces.segment[p]!]!.data.subarray(from, from + pieces.length[p]!);
}

/** Relative address of the first non-zero visible byte, or null for all-zero data. */
function firstNonZero(pieces: VisiblePieces, module: WasmModule): number | null {
  for (let p = 0; p < pieces.count; p++) {
    const bytes = pieceBytes(pieces, p, module);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return pieces.address[p]! + i;
  }
  return null;
}

function lastNonZero(pieces: VisiblePieces, module: WasmModule): number {
  for (let p = pieces.count - 1; p >= 0; p--) {
    const bytes = pieceBytes(pieces, p, module);
    for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] !== 0) return pieces.address[p]! + i;
  }
  throw new Error("lastNonZero called on all-zero data");
}

/** Scans visible bytes page by page, skipping the rest of a page once it is known to
 *  be non-zero, so dense data costs about one byte per page. */
function markNonzeroPages(
  pieces: VisiblePieces,
  module: WasmModule,
  pageSize: number,
  pageCount: number,
): Uint8Array {
  const map = new Uint8Array(pageCount);
  for (let p = 0; p < pieces.count; p++) {
    const bytes = pieceBytes(pieces, p, module);
    const start = pieces.address[p]!;
    let i = 0;
    while (i < bytes.length) {
      const page = Math.floor((start + i) / pageSize);
      const pageEnd = Math.min(bytes.length, (page + 1) * pageSize - start);
      if (!map[page]) {
        for (let j = i; j < pageEnd; j++) {
          if (bytes[j] !== 0) {
            map[page] = 1;
            break;
          }
        }
      }
      i = pageEnd;
    }
  }
  return map;
}

const ZERO_CHUNK = new Uint8Array(1 << 20);

/** SHA-256 of the page-aligned image bytes, streamed: gaps are hashed from a shared
 *  zero buffer, so sparse images cost no allocation. */
function imageSha256(pieces: VisiblePieces, module: WasmModule, length: number): string {
  const hash = createHash("sha256");
  let position = 0;
  const zeros = (until: number): void => {
    while (position < until) {
      const n = Math.min(ZERO_CHUNK.length, until - position);
      hash.update(ZERO_CHUNK.subarray(0, n));
      position += n;
    }
  };
  for (let p = 0; p < pieces.count; p++) {
    zeros(pieces.address[p]!);
    hash.update(pieceBytes(pieces, p, module));
    position = pieces.address[p]! + pieces.length[p]!;
  }
  zeros(length);
  return hash.digest("hex");
}

/** Segments whose visible bytes lie on image page `page`. */
export function segmentsOnPage(image: ImageGeometry, page: number, pageSize: number): number[] {
  const from = page * pageSize;
  const to = from + pageSize;
  const { address, length, segment, count } = image.pieces;
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (address[mid]! + length[mid]! <= from) low = mid + 1;
    else high = mid;
  }
  const result: number[] = [];
  for (let i = low; i < count && address[i]! < to; i++) {
    if (!result.includes(segment[i]!)) result.push(segment[i]!);
  }
  return result;
}

/** The page-aligned image bytes, ready to put in a memfd. */
export function materializeImage(module: WasmModule, image: ImageGeometry): Uint8Array {
  const bytes = new Uint8Array(image.length);
  const pieces = image.pieces;
  for (let p = 0; p < pieces.count; p++)
    bytes.set(pieceBytes(pieces, p, module), pieces.address[p]!);
  return bytes;
}

/** The hash of every page of the image (`pageHashes` of its bytes), from its pieces. */
export function imagePageHashes(
  module: WasmModule,
  image: ImageGeometry,
  pageSize: number,
): Uint32Array {
  const pieces = image.pieces;
  return pageHashesOfRuns(image.length, pageSize, (visit) => {
    for (let p = 0; p < pieces.count; p++) {
      const data = module.dataSegments[pieces.segment[p]!]!.data;
      const from = pieces.sourceOffset[p]!;
      visit(pieces.address[p]!, data, from, from + pieces.length[p]!);
    }
  });
}
