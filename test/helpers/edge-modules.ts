// Generated modules for the Wasmtime differential test: EDGE_MODULES probe the corners of
// Wasmtime's image rules (density limits, zero trimming at page boundaries, overlaps,
// empty segments, bounds, memory64, shared, multi-memory, imports, custom page sizes,
// offsets, start functions); FEATURE_PROBES are the smallest modules using one
// WebAssembly feature each, to learn Wasmtime 49's default compile verdict per feature.

import type { WasmFeature } from "../../common/wasm-features";
import {
  activeData,
  activeDataOn,
  type Bytes,
  codeSection,
  concat,
  constExpr,
  dataCountSection,
  dataSection,
  EXPORT_KIND,
  exportSection,
  funcBody,
  functionSection,
  funcType,
  globalSection,
  globalType,
  HEADER,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  op,
  passiveData,
  SECTION,
  section,
  startSection,
  tagSection,
  typeSection,
  u32,
  uleb,
  VALTYPE,
} from "./binary-builder";

export interface EdgeModule {
  id: string;
  bytes: Uint8Array;
  /** Config switches Wasmtime needs to compile it (its verdict is still taken with the
   *  default configuration). */
  switches?: readonly string[];
}

export interface FeatureProbe {
  id: string;
  feature: WasmFeature;
  bytes: Uint8Array;
  /** The feature's `Config::wasm_*` switch, without "wasm_" (as the oracle takes it);
   *  empty when Wasmtime has none. */
  switches: readonly string[];
}

const KIB = 1024;
const MIB = 1024 * KIB;
const PAGE = 64 * KIB;
/** Config::memory_guaranteed_dense_image_size's default. */
const DENSE_LIMIT = 16 * MIB;

const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const ascii = (text: string): number[] => [...Buffer.from(text, "latin1")];
const at = (offset: number, payload: Bytes): number[] => activeData(i32Offset(offset), payload);

/** One memory of `pages` 64 KiB pages and the given data segments. */
function memoryWith(pages: number, ...segments: Bytes[]): Uint8Array {
  return module(memorySection({ min: pages }), dataSection(...segments));
}

/** A non-zero byte at `first` and one at `last`, nothing between: the span is
 *  last - first + 1 bytes with 2 bytes of data, so only the dense limit can accept it. */
function twoBytesApart(first: number, last: number): Uint8Array {
  const pages = Math.ceil((last + 1) / PAGE);
  return memoryWith(pages, at(first, [0x11]), at(last, [0x22]));
}

/**
 * Two segments of `each` non-zero bytes at both ends of a span of `span` bytes, so the
 * data is 2 × `each` bytes; with a span of at least the dense limit only the 2× rule
 * can accept it. Written here rather than with the builder: its number arrays do not
 * scale to megabytes of payload.
 */
function twoBlocksSpanning(span: number, each: number): Uint8Array {
  const segment = (offset: number): Buffer =>
    Buffer.concat([
      Buffer.from(concat([0], i32Offset(offset), uleb(each))),
      Buffer.alloc(each, 0x5a),
    ]);
  const payload = Buffer.concat([Buffer.from(uleb(2)), segment(0), segment(span - each)]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(HEADER),
      Buffer.from(memorySection({ min: Math.ceil(span / PAGE) })),
      Buffer.from(concat([SECTION.data], uleb(payload.length))),
      payload,
    ]),
  );
}

/** Segments of 4 MiB + 1 bytes: 2× their data is 16 MiB + 4, above the dense limit. */
const QUARTER = 4 * MIB + 1;

const VOID = funcType();
/** A module whose only function (type () -> ()) has `code` (without the final end). */
function withFunction(code: Bytes, ...before: Bytes[]): Uint8Array {
  return module(
    typeSection(VOID),
    functionSection(0),
    ...before,
    codeSection(funcBody([], concat(code, op.end))),
  );
}

/** "abc" at 70,000 in a memory of 2 pages. */
const ABC_AT_70000 = dataSection(at(70_000, ascii("abc")));

/** The memory above with a start function running `code`. */
function startFunction(code: Bytes): Uint8Array {
  return module(
    typeSection(VOID),
    functionSection(0),
    memorySection({ min: 2 }),
    startSection(0),
    codeSection(funcBody([], concat(code, op.end))),
    ABC_AT_70000,
  );
}

const UNREACHABLE = [0x00];
const LOOP_FOREVER = [0x03, 0x40, 0x0c, 0x00, 0x0b]; // loop br 0 end

const memory64With = (...segments: Bytes[]): Uint8Array =>
  module(memorySection({ min: 1, memory64: true }), dataSection(...segments));

const twoMemories = (min0: number, min1: number, ...segments: Bytes[]): Uint8Array =>
  module(memorySection({ min: min0 }, { min: min1 }), dataSection(...segments));

/** A memory with a custom page size (2^log2 bytes) of `pages` pages and "xyz" at 100. */
const customPages = (log2: number, pages: number): Uint8Array =>
  module(memorySection({ min: pages, pageSizeLog2: log2 }), dataSection(at(100, ascii("xyz"))));

const IMPORTED_MEMORY = importEntry("env", "memory", importDesc.memory({ min: 1 }));

export const EDGE_MODULES: readonly EdgeModule[] = [
  // Density: a span is accepted when smaller than twice its data, else when smaller
  // than the dense limit (both strict).
  { id: "density/span 2x data - 1", bytes: twoBlocksSpanning(4 * QUARTER - 1, QUARTER) },
  { id: "density/span exactly 2x data", bytes: twoBlocksSpanning(4 * QUARTER, QUARTER) },
  { id: "density/span 2x data + 1", bytes: twoBlocksSpanning(4 * QUARTER + 1, QUARTER) },
  { id: "density/span dense limit - 1", bytes: twoBytesApart(0, DENSE_LIMIT - 2) },
  { id: "density/span exactly the dense limit", bytes: twoBytesApart(0, DENSE_LIMIT - 1) },
  { id: "density/span dense limit + 1", bytes: twoBytesApart(0, DENSE_LIMIT) },
  {
    id: "density/span dense limit - 1, not at 0",
    bytes: twoBytesApart(5000, 5000 + DENSE_LIMIT - 2),
  },
  { id: "density/huge sparse span (100 MiB)", bytes: twoBytesApart(PAGE, PAGE + 100 * MIB) },

  // Zeros: all-zero data keeps its whole span as an image of zeros; partly zero data
  // is trimmed to its non-zero bytes.
  { id: "zeros/4 zero bytes at 0", bytes: memoryWith(1, at(0, zeros(4))) },
  { id: "zeros/10,000 zero bytes at 5,000", bytes: memoryWith(1, at(5000, zeros(10_000))) },
  { id: "zeros/1 zero byte, last of the memory", bytes: memoryWith(1, at(PAGE - 1, [0])) },
  {
    id: "zeros/two all-zero segments pages apart",
    bytes: memoryWith(2, at(100, zeros(10)), at(70_000, zeros(10))),
  },
  { id: "zeros/5,000 zeros then x", bytes: memoryWith(1, at(0, [...zeros(5000), 0x78])) },
  { id: "zeros/x then 9,000 zeros", bytes: memoryWith(1, at(10, [0x78, ...zeros(9000)])) },
  {
    id: "zeros/x, 9,000 zeros, y",
    bytes: memoryWith(1, at(0, [0x78, ...zeros(9000), 0x79])),
  },
  {
    id: "zeros/zero segments around one non-zero",
    bytes: memoryWith(1, at(0, zeros(6000)), at(6000, [0x78]), at(6001, zeros(6000))),
  },

  // Page boundaries (4 KiB): the first and last non-zero byte right at, before and after one.
  {
    id: "page boundary/first non-zero at 4,095",
    bytes: memoryWith(1, at(4000, [...zeros(95), 1])),
  },
  {
    id: "page boundary/first non-zero at 4,096",
    bytes: memoryWith(1, at(4000, [...zeros(96), 1])),
  },
  {
    id: "page boundary/first non-zero at 4,097",
    bytes: memoryWith(1, at(4000, [...zeros(97), 1])),
  },
  { id: "page boundary/last non-zero at 8,190", bytes: memoryWith(1, at(8190, [1, ...zeros(50)])) },
  { id: "page boundary/last non-zero at 8,191", bytes: memoryWith(1, at(8191, [1, ...zeros(50)])) },
  { id: "page boundary/last non-zero at 8,192", bytes: memoryWith(1, at(8192, [1, ...zeros(50)])) },
  { id: "page boundary/one byte at 4,096", bytes: memoryWith(1, at(4096, [1])) },

  // Overlaps: later segments overwrite earlier ones.
  {
    id: "overlap/later overwrites earlier",
    bytes: memoryWith(1, at(100, ascii("aaaa")), at(101, ascii("bb"))),
  },
  {
    id: "overlap/later zeros wipe all data",
    bytes: memoryWith(1, at(100, ascii("xyz")), at(100, zeros(3))),
  },
  {
    id: "overlap/later zeros wipe the second page",
    bytes: memoryWith(1, at(4094, ascii("wxyz")), at(4096, zeros(2))),
  },
  {
    id: "overlap/later inside earlier",
    bytes: memoryWith(1, at(0, ascii("abcdefgh")), at(3, ascii("XY"))),
  },
  {
    id: "overlap/earlier page wiped, later page kept",
    bytes: memoryWith(1, at(0, ascii("a")), at(8192, ascii("b")), at(0, zeros(1))),
  },

  // Empty segments are skipped unless out of bounds.
  { id: "empty/only an empty segment", bytes: memoryWith(1, at(100, [])) },
  {
    id: "empty/empty segment beside data",
    bytes: memoryWith(1, at(60_000, []), at(10, ascii("x"))),
  },
  {
    id: "empty/empty segment at the minimum",
    bytes: memoryWith(1, at(10, ascii("x")), at(PAGE, [])),
  },
  {
    id: "empty/empty segment past the minimum",
    bytes: memoryWith(1, at(10, ascii("x")), at(PAGE + 1, [])),
  },

  // Bounds: the memory's minimum size, not its maximum, bounds the segments.
  { id: "bounds/segment ends at the minimum", bytes: memoryWith(1, at(PAGE - 2, ascii("xy"))) },
  {
    id: "bounds/segment ends one byte past the minimum",
    bytes: memoryWith(1, at(PAGE - 1, ascii("xy"))),
  },
  {
    id: "bounds/past the minimum, within the maximum",
    bytes: module(memorySection({ min: 1, max: 2 }), dataSection(at(PAGE, ascii("x")))),
  },
  { id: "bounds/memory of 0 pages, no data", bytes: module(memorySection({ min: 0 })) },
  { id: "bounds/memory of 0 pages, empty segment at 0", bytes: memoryWith(0, at(0, [])) },
  { id: "bounds/memory of 0 pages with data", bytes: memoryWith(0, at(0, ascii("x"))) },

  // memory64: i64.const offsets.
  {
    id: "memory64/data at i64.const 5,000",
    bytes: memory64With(activeData(i64Offset(5000n), ascii("xyz"))),
  },
  {
    id: "memory64/offset + length overflows 64 bits",
    bytes: memory64With(activeData(i64Offset(2n ** 64n - 1n), ascii("xy"))),
  },
  {
    id: "memory64/minimum byte size overflows 64 bits",
    bytes: module(memorySection({ min: 2n ** 48n, memory64: true })),
  },

  // Shared memories (a maximum is required) get images like any other.
  {
    id: "shared/shared memory with data",
    bytes: module(
      memorySection({ min: 1, max: 2, shared: true }),
      dataSection(at(5000, ascii("xyz"))),
    ),
  },

  // Several memories: each gets its own image, a failure in one fails all.
  {
    id: "multi-memory/data in the second memory only",
    bytes: twoMemories(1, 2, activeDataOn(1, i32Offset(70_000), ascii("xyz"))),
  },
  {
    id: "multi-memory/data in both memories",
    bytes: twoMemories(
      1,
      1,
      at(5000, ascii("abc")),
      activeDataOn(1, i32Offset(9000), ascii("xyz")),
    ),
  },
  {
    id: "multi-memory/second memory too sparse",
    bytes: twoMemories(
      1,
      400,
      at(0, ascii("abc")),
      activeDataOn(1, i32Offset(0), [1]),
      activeDataOn(1, i32Offset(DENSE_LIMIT + 10), [1]),
    ),
  },

  // Imports: a module importing any memory maps no image at all.
  {
    id: "imported/imported memory plus defined memory with data",
    bytes: module(
      importSection(IMPORTED_MEMORY),
      memorySection({ min: 1 }),
      dataSection(activeDataOn(1, i32Offset(100), ascii("xyz"))),
    ),
  },
  {
    id: "imported/segment into the imported memory",
    bytes: module(importSection(IMPORTED_MEMORY), dataSection(at(100, ascii("xyz")))),
  },

  // Custom page sizes: off in Wasmtime's default configuration.
  {
    id: "custom page size/1 byte, 8,192 pages",
    bytes: customPages(0, 8192),
    switches: ["custom_page_sizes"],
  },
  {
    id: "custom page size/1 byte, 5,000 pages",
    bytes: customPages(0, 5000),
    switches: ["custom_page_sizes"],
  },
  {
    id: "custom page size/65,536 bytes explicit",
    bytes: customPages(16, 1),
    switches: ["custom_page_sizes"],
  },

  // Offsets other than one constant.
  {
    id: "offset/global.get of an imported global",
    bytes: module(
      importSection(importEntry("env", "base", importDesc.global(VALTYPE.i32))),
      memorySection({ min: 1 }),
      dataSection(activeData(constExpr(op.globalGet(0)), ascii("xyz"))),
    ),
  },
  {
    id: "offset/global.get of a defined global",
    bytes: module(
      memorySection({ min: 1 }),
      globalSection({ type: globalType(VALTYPE.i32), init: i32Offset(4096) }),
      dataSection(activeData(constExpr(op.globalGet(0)), ascii("xyz"))),
    ),
  },
  {
    id: "offset/extended-const i32.add",
    bytes: memoryWith(
      1,
      activeData(constExpr(op.i32Const(4096), op.i32Const(16), op.i32Add), ascii("xyz")),
    ),
  },

  // Passive segments never enter the image.
  {
    id: "passive/only passive segments",
    bytes: module(
      memorySection({ min: 1 }),
      dataCountSection(1),
      dataSection(passiveData(ascii("xyz"))),
    ),
  },
  {
    id: "passive/passive beside active",
    bytes: memoryWith(1, passiveData(ascii("passive")), at(200, ascii("active"))),
  },

  // Start functions: the image is mapped before the start function runs. The first
  // module has the same image, exported: the oracle finds that memory's base through
  // data_ptr, the others' through the guard region, and the offsets must agree.
  {
    id: "start/no start function, memory exported",
    bytes: module(
      memorySection({ min: 2 }),
      exportSection(["memory", EXPORT_KIND.memory, 0]),
      ABC_AT_70000,
    ),
  },
  { id: "start/start function traps", bytes: startFunction(UNREACHABLE) },
  { id: "start/start function loops forever", bytes: startFunction(LOOP_FOREVER) },
];

// --- feature probes -------------------------------------------------------------------

const V128_CONST = [0xfd, ...u32(12), ...zeros(16)];
const DROP = [0x1a];
const I32_ZERO = op.i32Const(0);
const I64_ZERO = op.i64Const(0n);
const MEMORY_ONE = memorySection({ min: 1 });

/** Type 0 is a struct of one mutable i32 (a GC type); type 1 the function's. */
const structAndFunction = (code: Bytes): Uint8Array =>
  module(
    section(SECTION.type, concat(u32(2), [0x5f, 0x01, VALTYPE.i32, 0x01], VOID)),
    functionSection(1),
    codeSection(funcBody([], concat(code, op.end))),
  );

export const FEATURE_PROBES: readonly FeatureProbe[] = [
  {
    id: "simd: v128.const",
    feature: "simd",
    switches: ["simd"],
    bytes: withFunction(concat(V128_CONST, DROP)),
  },
  {
    id: "relaxed-simd: i8x16.relaxed_swizzle",
    feature: "relaxed-simd",
    switches: ["relaxed_simd"],
    bytes: withFunction(concat(V128_CONST, V128_CONST, [0xfd, ...u32(0x100)], DROP)),
  },
  {
    id: "threads: shared memory",
    feature: "threads",
    switches: ["threads"],
    bytes: module(memorySection({ min: 1, max: 1, shared: true })),
  },
  {
    id: "threads: i32.atomic.load",
    feature: "threads",
    switches: ["threads"],
    bytes: withFunction(concat(I32_ZERO, [0xfe, 0x10, 0x02, 0x00], DROP), MEMORY_ONE),
  },
  {
    id: "exceptions: tag",
    feature: "exceptions",
    switches: ["exceptions"],
    bytes: module(typeSection(VOID), tagSection(0)),
  },
  {
    id: "exceptions: try_table, throw",
    feature: "exceptions",
    switches: ["exceptions"],
    // block { try_table (catch_all 0) { throw 0 } }
    bytes: withFunction(
      [0x02, 0x40, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x08, 0x00, 0x0b, 0x0b],
      tagSection(0),
    ),
  },
  {
    id: "legacy-exceptions: try, catch_all",
    feature: "legacy-exceptions",
    switches: [],
    bytes: withFunction([0x06, 0x40, 0x01, 0x19, 0x0b]),
  },
  {
    id: "gc: struct.new",
    feature: "gc",
    switches: ["gc"],
    bytes: structAndFunction(concat(op.i32Const(1), [0xfb, 0x00, 0x00], DROP)),
  },
  {
    id: "gc: ref.i31",
    feature: "gc",
    switches: ["gc"],
    bytes: withFunction(concat(I32_ZERO, [0xfb, 0x1c], DROP)),
  },
  {
    id: "function-references: call_ref",
    feature: "function-references",
    switches: ["function_references"],
    // ref.null 0; call_ref 0
    bytes: withFunction([0xd0, 0x00, 0x14, 0x00]),
  },
  {
    id: "tail-call: return_call",
    feature: "tail-call",
    switches: ["tail_call"],
    bytes: withFunction([0x12, 0x00]),
  },
  {
    id: "multi-memory: two memories",
    feature: "multi-memory",
    switches: ["multi_memory"],
    bytes: module(memorySection({ min: 1 }, { min: 1 })),
  },
  {
    id: "memory64: i64 memory",
    feature: "memory64",
    switches: ["memory64"],
    bytes: module(memorySection({ min: 1, memory64: true })),
  },
  {
    id: "custom-page-sizes: 1-byte pages",
    feature: "custom-page-sizes",
    switches: ["custom_page_sizes"],
    bytes: module(memorySection({ min: 1, pageSizeLog2: 0 })),
  },
  {
    id: "extended-const: i32.add in a global",
    feature: "extended-const",
    switches: [],
    bytes: module(
      globalSection({
        type: globalType(VALTYPE.i32),
        init: constExpr(op.i32Const(1), op.i32Const(2), op.i32Add),
      }),
    ),
  },
  {
    id: "bulk-memory: memory.fill",
    feature: "bulk-memory",
    switches: ["bulk_memory"],
    bytes: withFunction(concat(I32_ZERO, I32_ZERO, I32_ZERO, [0xfc, 0x0b, 0x00]), MEMORY_ONE),
  },
  {
    id: "reference-types: ref.null extern",
    feature: "reference-types",
    switches: ["reference_types"],
    bytes: withFunction(concat([0xd0, 0x6f], DROP)),
  },
  {
    id: "wide-arithmetic: i64.add128",
    feature: "wide-arithmetic",
    switches: ["wide_arithmetic"],
    bytes: withFunction(concat(I64_ZERO, I64_ZERO, I64_ZERO, I64_ZERO, [0xfc, 0x13], DROP, DROP)),
  },
  {
    id: "stack-switching: cont type",
    feature: "stack-switching",
    switches: ["stack_switching"],
    bytes: module(section(SECTION.type, concat(u32(2), VOID, [0x5d, 0x00]))),
  },
  {
    id: "multi-value: two results",
    feature: "multi-value",
    switches: ["multi_value"],
    bytes: module(
      typeSection(funcType([], [VALTYPE.i32, VALTYPE.i32])),
      functionSection(0),
      codeSection(funcBody([], concat(I32_ZERO, I32_ZERO, op.end))),
    ),
  },
  {
    id: "sign-extension: i32.extend8_s",
    feature: "sign-extension",
    switches: [],
    bytes: withFunction(concat(I32_ZERO, [0xc0], DROP)),
  },
  {
    id: "saturating-float-to-int: i32.trunc_sat_f32_s",
    feature: "saturating-float-to-int",
    switches: [],
    bytes: withFunction([0x43, 0, 0, 0, 0, 0xfc, 0x00, ...DROP]),
  },
  {
    id: "mutable-globals: imported mutable global",
    feature: "mutable-globals",
    switches: [],
    bytes: module(importSection(importEntry("env", "g", importDesc.global(VALTYPE.i32, true)))),
  },
];
