// The image planner against wasmtime-cow.md §1.2-1.4. Expected geometry comes from a
// naive model inside this file (a byte array of the memory's initial size, segments
// applied in order, trimmed, aligned and hashed) or from hand computation. Modules
// are built with the binary builder: multi-memory modules need no V8 here.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, test } from "node:test";
import { adviseMemory } from "../../extension/analysis/image-advice";
import {
  materializeImage,
  planImages,
  segmentsOnPage,
  type ImagePlan,
  type PlanOptions,
} from "../../extension/analysis/image-planner";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import {
  VALTYPE,
  activeData,
  activeDataOn,
  concat,
  constExpr,
  dataSection,
  globalSection,
  globalType,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  op,
  passiveData,
  type Bytes,
  type MemoryTypeOptions,
} from "../helpers/binary-builder";

const KiB = 1024;
const WASM_PAGE = 65536;
const DEFAULT_DENSE_LIMIT = 16 * KiB * KiB; // Wasmtime's default, §1.1

// --- building modules ---------------------------------------------------------------

interface Segment {
  memory?: number;
  /** number: i32.const; bigint: i64.const; bytes: a raw constant expression. */
  offset: number | bigint | Bytes;
  data: Bytes;
}

interface ModuleSpec {
  importedMemories?: MemoryTypeOptions[];
  /** Imported globals: [field name, value type]. */
  importedGlobals?: [string, number][];
  /** Defined globals: [type, init expr]. */
  globals?: { type: Bytes; init: Bytes }[];
  memories?: MemoryTypeOptions[];
  segments?: (Segment | { passive: Bytes })[];
}

function offsetExpr(offset: Segment["offset"]): Bytes {
  if (typeof offset === "number") return i32Offset(offset);
  if (typeof offset === "bigint") return i64Offset(offset);
  return offset;
}

function build(spec: ModuleSpec): WasmModule {
  const imports = [
    ...(spec.importedMemories ?? []).map((m, i) =>
      importEntry("env", `memory${i}`, importDesc.memory(m)),
    ),
    ...(spec.importedGlobals ?? []).map(([field, type]) =>
      importEntry("env", field, importDesc.global(type)),
    ),
  ];
  const segments = (spec.segments ?? []).map((s) => {
    if ("passive" in s) return passiveData(s.passive);
    const expr = offsetExpr(s.offset);
    return s.memory ? activeDataOn(s.memory, expr, s.data) : activeData(expr, s.data);
  });
  return readModule(
    module(
      imports.length ? importSection(...imports) : [],
      spec.memories?.length ? memorySection(...spec.memories) : [],
      spec.globals?.length ? globalSection(...spec.globals) : [],
      segments.length ? dataSection(...segments) : [],
    ),
  );
}

function plan(spec: ModuleSpec, options: Partial<PlanOptions> = {}): ImagePlan {
  return planImages(build(spec), {
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
    ...options,
  });
}

const analysisFile = (name: string): string =>
  path.resolve(__dirname, "../../extension/analysis", `${name}.ts`);

const bytesOf = (length: number, value: number): number[] => new Array<number>(length).fill(value);

// --- the naive model ----------------------------------------------------------------

interface NaiveImage {
  offset: number;
  length: number;
  sha256: string;
  nonzeroPages: number;
  /** Segments whose bytes are visible on each image page, in address order. */
  segmentsByPage: number[][];
}

/** Instantiation by hand: zeroed memory, segments copied in order, then Wasmtime's
 *  trim and page alignment. `segments` carry their index in the data section. When every
 *  byte is zero nothing is trimmed: the image is the whole span of the non-empty
 *  segments, all zeros; only a memory with no segment bytes at all has no image. */
function naiveImage(
  memoryBytes: number,
  segments: { index: number; offset: number; data: Bytes }[],
  pageSize: number,
): NaiveImage | null {
  const memory = new Uint8Array(memoryBytes);
  const owner = new Int32Array(memoryBytes).fill(-1);
  for (const s of segments) {
    memory.set(s.data, s.offset);
    owner.fill(s.index, s.offset, s.offset + s.data.length);
  }
  const nonEmpty = segments.filter((s) => s.data.length > 0);
  if (!nonEmpty.length) return null;
  let first = memory.findIndex((b) => b !== 0);
  let last = memoryBytes - 1;
  while (last >= 0 && memory[last] === 0) last--;
  if (first < 0) {
    first = Math.min(...nonEmpty.map((s) => s.offset));
    last = Math.max(...nonEmpty.map((s) => s.offset + s.data.length)) - 1;
  }
  const start = Math.floor(first / pageSize) * pageSize;
  const end = Math.ceil((last + 1) / pageSize) * pageSize;
  assert.ok(end <= memoryBytes, "naive model: the aligned image fits the memory");
  const image = memory.subarray(start, end);
  const segmentsByPage: number[][] = [];
  let nonzeroPages = 0;
  for (let page = start; page < end; page += pageSize) {
    if (memory.subarray(page, page + pageSize).some((b) => b !== 0)) nonzeroPages++;
    const seen: number[] = [];
    for (const o of owner.subarray(page, page + pageSize)) {
      if (o >= 0 && !seen.includes(o)) seen.push(o);
    }
    segmentsByPage.push(seen);
  }
  return {
    offset: start,
    length: end - start,
    sha256: createHash("sha256").update(image).digest("hex"),
    nonzeroPages,
    segmentsByPage,
  };
}

/** Plans `segments` on one defined memory of `pages` wasm pages and compares the
 *  image with the naive model at `pageSize`. */
function checkAgainstNaive(
  pages: number,
  segments: { offset: number; data: Bytes }[],
  pageSize: number,
): void {
  const wasm = build({ memories: [{ min: pages }], segments: segments.map((s) => ({ ...s })) });
  const result = planImages(wasm, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT });
  const expected = naiveImage(
    pages * WASM_PAGE,
    segments.map((s, index) => ({ index, ...s })),
    pageSize,
  );
  const memory = result.memories[0]!;
  const image = memory.image!;
  if (!expected) {
    assert.equal(image.length, 0, "no segment bytes, no image");
    assert.equal(memory.reason?.code, "no-image-needed");
    return;
  }
  assert.equal(result.initialization, "static");
  assert.equal(memory.static, true);
  assert.equal(image.offset, BigInt(expected.offset), "offset");
  assert.equal(image.length, expected.length, "length");
  assert.equal(image.pages, expected.length / pageSize, "pages");
  assert.equal(image.nonzeroPages, expected.nonzeroPages, "nonzeroPages");
  assert.equal(image.sha256, expected.sha256, "sha256");
  assert.equal(
    createHash("sha256").update(materializeImage(wasm, image)).digest("hex"),
    expected.sha256,
    "materialised bytes",
  );
  expected.segmentsByPage.forEach((owners, page) => {
    assert.deepEqual(segmentsOnPage(image, page, pageSize), owners, `segments on page ${page}`);
  });
}

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % below;
  };
}

// --- §1.2 pass 1 --------------------------------------------------------------------

describe("pass 1: per-segment refusals", () => {
  test("a segment on an imported memory: imported-memory-segment", () => {
    const result = plan({ importedMemories: [{ min: 1 }], segments: [{ offset: 0, data: [1] }] });
    assert.equal(result.initialization, "segmented");
    assert.equal(result.segmentedBy?.code, "imported-memory-segment");
    assert.equal(result.memories[0]!.static, false);
    assert.equal(result.memories[0]!.reason?.code, "imported-memory-segment");
  });

  test("global.get offsets: non-constant-offset, PIC advice for __memory_base", () => {
    for (const [field, pic] of [
      ["__memory_base", true],
      ["heap_start", false],
    ] as const) {
      const wasm = build({
        importedGlobals: [[field, VALTYPE.i32]],
        memories: [{ min: 1 }],
        segments: [{ offset: constExpr(op.globalGet(0)), data: [1, 2] }],
      });
      const result = planImages(wasm, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
      assert.equal(result.segmentedBy?.code, "non-constant-offset");
      assert.equal(result.memories[0]!.reason?.code, "non-constant-offset");
      assert.equal(result.memories[0]!.image, null, "no geometry without constant offsets");
      const advice = adviseMemory(wasm, result, result.memories[0]!).join("\n");
      assert.equal(/position-independent/.test(advice), pic, advice);
      assert.match(advice, new RegExp(field));
    }
  });

  test("extended-const offsets are non-constant even when computable", () => {
    const result = plan({
      memories: [{ min: 1 }],
      segments: [{ offset: constExpr(op.i32Const(16), op.i32Const(16), op.i32Add), data: [1] }],
    });
    assert.equal(result.segmentedBy?.code, "non-constant-offset");
    // The offset is still evaluated for placement.
    assert.equal(result.segments[0]!.start, 32n);
    assert.equal(result.segments[0]!.bounds, "in-bounds");
  });

  test("an offset of the wrong width is non-constant", () => {
    const result = plan({
      memories: [{ min: 1, memory64: true }],
      segments: [{ offset: 0, data: [1] }],
    });
    assert.equal(result.segmentedBy?.code, "non-constant-offset");
  });

  test("offset overflow on memory64", () => {
    const memories = [{ min: 1, memory64: true }];
    const max = (1n << 64n) - 1n;
    // i64.const -1 is read as unsigned 2^64 - 1.
    const cases: [bigint, number[], string][] = [
      [-1n, [1], "offset-overflow"],
      [max - 1n, [1, 2], "offset-overflow"],
      [max - 1n, [1], "out-of-bounds"], // ends exactly at 2^64 - 1
      [max, [], "out-of-bounds"], // empty: no overflow, but past the memory
    ];
    for (const [offset, data, code] of cases) {
      const result = plan({ memories, segments: [{ offset, data }] });
      assert.equal(result.segmentedBy?.code, code, `offset ${offset}, ${data.length} bytes`);
    }
  });

  test("a minimum size that overflows 64 bits", () => {
    const result = plan({
      memories: [{ min: 1n << 48n, memory64: true }],
      segments: [{ offset: 0n, data: [1] }],
    });
    assert.equal(result.segmentedBy?.code, "minimum-size-overflow");
  });

  test("segments past the minimum size: out-of-bounds", () => {
    const memories = [{ min: 1, max: 4 }];
    const refused = (offset: number, data: Bytes): string | undefined =>
      plan({ memories, segments: [{ offset, data }] }).segmentedBy?.code;
    assert.equal(refused(WASM_PAGE - 1, [1, 2]), "out-of-bounds", "one byte past");
    assert.equal(refused(WASM_PAGE - 2, [1, 2]), undefined, "ends exactly at the end");
    assert.equal(refused(WASM_PAGE, []), undefined, "empty, exactly at the end");
    assert.equal(refused(WASM_PAGE + 1, []), "out-of-bounds", "empty, past the end");
    // The maximum does not count: the bound is the initial size.
    assert.equal(refused(WASM_PAGE, [1]), "out-of-bounds");
  });

  test("the first failing segment in module order decides", () => {
    const result = plan({
      importedGlobals: [["g", VALTYPE.i32]],
      memories: [{ min: 1 }],
      segments: [
        { offset: 0, data: [1] },
        { offset: WASM_PAGE, data: [1] },
        { offset: constExpr(op.globalGet(0)), data: [1] },
      ],
    });
    assert.equal(result.segmentedBy?.code, "out-of-bounds");
    // Pass 1 failures come before pass 2 (density) of any memory.
    const sparseThenBad = plan(
      {
        memories: [{ min: 2 }],
        segments: [
          { offset: 0, data: [1] },
          { offset: WASM_PAGE, data: [1] },
          { offset: 2 * WASM_PAGE, data: [1] },
        ],
      },
      { denseLimit: 0 },
    );
    assert.equal(sparseThenBad.segmentedBy?.code, "out-of-bounds");
  });
});

// --- §1.2 pass 2 --------------------------------------------------------------------

describe("pass 2: page size and density", () => {
  const oneMemory = (segments: Segment[], pages = 2): ModuleSpec => ({
    memories: [{ min: pages }],
    segments,
  });
  const code = (spec: ModuleSpec, denseLimit: number): string | null =>
    plan(spec, { denseLimit }).segmentedBy?.code ?? null;

  test("span exactly twice the data is refused unless below the dense limit", () => {
    // Two 1-byte segments at 0 and 3: span 4 = 2 × 2.
    const spec = oneMemory([
      { offset: 0, data: [1] },
      { offset: 3, data: [1] },
    ]);
    assert.equal(code(spec, 0), "too-sparse");
    assert.equal(code(spec, 4), "too-sparse");
    assert.equal(code(spec, 5), null);
    // Span 3 < 4: dense enough with no dense limit at all.
    const denser = oneMemory([
      { offset: 0, data: [1] },
      { offset: 2, data: [1] },
    ]);
    assert.equal(code(denser, 0), null);
  });

  test("the dense limit is a strict bound", () => {
    const spec = oneMemory([
      { offset: 0, data: [1] },
      { offset: 100_000, data: [1] },
    ]);
    const span = 100_001;
    assert.equal(code(spec, span), "too-sparse", "span = limit");
    assert.equal(code(spec, span + 1), null, "span = limit - 1");
    assert.equal(code(spec, DEFAULT_DENSE_LIMIT), null);
  });

  test("density is measured before trimming: zero bytes widen the span", () => {
    const spec = oneMemory([
      { offset: 0, data: [7] },
      { offset: 100, data: [0] },
    ]);
    assert.equal(code(spec, 101), "too-sparse");
    const accepted = plan(spec, { denseLimit: 102 });
    assert.equal(accepted.initialization, "static");
    assert.equal(accepted.memories[0]!.image!.span, 101);
    assert.equal(accepted.memories[0]!.image!.length, 4096, "trimmed to one page");
  });

  test("overlapping bytes count twice; empty segments do not widen the span", () => {
    // 10 + 10 + 1 = 21 data bytes over a span of 40: 40 < 42.
    const overlapping = oneMemory([
      { offset: 0, data: bytesOf(10, 1) },
      { offset: 0, data: bytesOf(10, 2) },
      { offset: 39, data: [3] },
    ]);
    assert.equal(code(overlapping, 0), null);
    const withEmpty = oneMemory([
      { offset: 0, data: [1] },
      { offset: 60_000, data: [] },
    ]);
    assert.equal(code(withEmpty, 0), null);
  });

  test("wasm pages smaller than the target page: page-size-too-small", () => {
    const tiny = (pageSizeLog2: number, min: number, data: Bytes): ModuleSpec => ({
      memories: [{ min, pageSizeLog2 }],
      segments: [{ offset: 0, data }],
    });
    assert.equal(plan(tiny(0, 65536, [1])).segmentedBy?.code, "page-size-too-small");
    // 4 KiB wasm pages: fine for a 4 KiB target, too small for 16 KiB.
    assert.equal(plan(tiny(12, 4, [1]), { pageSize: 4096 }).initialization, "static");
    assert.equal(
      plan(tiny(12, 4, [1]), { pageSize: 16384 }).segmentedBy?.code,
      "page-size-too-small",
    );
    // Only memories with data are checked.
    assert.equal(plan(tiny(0, 65536, [])).initialization, "static");
    assert.equal(plan({ memories: [{ min: 1, pageSizeLog2: 0 }] }).initialization, "static");
  });
});

// --- §1.3 the image -----------------------------------------------------------------

describe("materialising the image", () => {
  const pageSizes = [4096, 16384, 65536];

  test("trimming and alignment by hand", () => {
    // Non-zero bytes at 70003 and 70004 only.
    const segments = [{ offset: 70_000, data: [0, 0, 0, 1, 2, 0, 0] }];
    const expected: Record<number, [number, number]> = {
      4096: [69_632, 4096], // 17 × 4096
      16384: [65_536, 16_384], // 4 × 16384
      65536: [65_536, 65_536],
    };
    for (const pageSize of pageSizes) {
      const image = plan({ memories: [{ min: 2 }], segments }, { pageSize }).memories[0]!.image!;
      const [offset, length] = expected[pageSize]!;
      assert.equal(image.offset, BigInt(offset), `offset at ${pageSize}`);
      assert.equal(image.length, length, `length at ${pageSize}`);
      assert.equal(image.leadingZeros, 3);
      const bytes = new Uint8Array(length);
      bytes.set([1, 2], 70_003 - offset);
      assert.equal(image.sha256, createHash("sha256").update(bytes).digest("hex"));
    }
  });

  test("trimming across segments and pages, against the naive model", () => {
    const segments = [
      { offset: 5000, data: concat(bytesOf(3000, 0), [9], bytesOf(6000, 0), [8], bytesOf(999, 0)) },
      { offset: 20_000, data: bytesOf(40_000, 0) },
      { offset: 70_000, data: [0, 0, 5] },
    ];
    for (const pageSize of pageSizes) checkAgainstNaive(2, segments, pageSize);
  });

  const overlaps: Record<string, { offset: number; data: Bytes }[]> = {
    contained: [
      { offset: 0, data: bytesOf(100, 0x11) },
      { offset: 10, data: bytesOf(10, 0x22) },
    ],
    "partial left": [
      { offset: 50, data: bytesOf(50, 0x11) },
      { offset: 40, data: bytesOf(20, 0x22) },
    ],
    "partial right": [
      { offset: 50, data: bytesOf(50, 0x11) },
      { offset: 90, data: bytesOf(20, 0x22) },
    ],
    identical: [
      { offset: 0, data: bytesOf(100, 0x11) },
      { offset: 0, data: bytesOf(100, 0x22) },
    ],
    "later zeros win": [
      { offset: 4000, data: bytesOf(300, 0x11) },
      { offset: 4000, data: bytesOf(200, 0) },
      { offset: 4250, data: bytesOf(50, 0) },
    ],
    "earlier segment swallowed by a later one": [
      { offset: 8190, data: [1, 2, 3, 4] },
      { offset: 8000, data: bytesOf(500, 3) },
      { offset: 8100, data: [0, 7] },
    ],
    "across page boundaries": [
      { offset: 4090, data: bytesOf(20, 0x33) },
      { offset: 4095, data: [0, 0] },
      { offset: 16_380, data: bytesOf(10, 0x44) },
    ],
  };
  for (const [shape, segments] of Object.entries(overlaps)) {
    test(`later segments overwrite earlier ones: ${shape}`, () => {
      for (const pageSize of pageSizes) checkAgainstNaive(1, segments, pageSize);
    });
  }

  test("later segments overwrite earlier ones: many random overlaps", () => {
    const random = lcg(12345);
    for (let round = 0; round < 20; round++) {
      const segments = Array.from({ length: 1 + random(40) }, () => {
        const length = random(3000);
        // Mostly non-zero values, some zero runs.
        const value = random(4) === 0 ? 0 : 1 + random(255);
        return { offset: random(3 * WASM_PAGE - length), data: bytesOf(length, value) };
      });
      for (const pageSize of pageSizes) checkAgainstNaive(3, segments, pageSize);
    }
  });

  test("all-zero data gets an image of zeros over its whole span, untrimmed", () => {
    // Real Wasmtime 49 maps a 4,096-byte memfd of zeros for four zero bytes at 0, and a
    // 12,288-byte one at 4,096 for 10,000 zero bytes at 5,000 (bytes 4,096..16,383).
    const zeroSha = (length: number): string =>
      createHash("sha256").update(new Uint8Array(length)).digest("hex");
    const cases = [
      { segments: [{ offset: 0, data: bytesOf(4, 0) }], offset: 0n, length: 4096 },
      { segments: [{ offset: 5000, data: bytesOf(10_000, 0) }], offset: 4096n, length: 12_288 },
      {
        segments: [
          { offset: 100, data: bytesOf(5000, 0) },
          { offset: 0, data: [0] },
        ],
        offset: 0n,
        length: 8192,
      },
    ];
    for (const { segments, offset, length } of cases) {
      const wasm = build({ memories: [{ min: 1 }], segments });
      const result = planImages(wasm, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
      assert.equal(result.initialization, "static");
      const memory = result.memories[0]!;
      assert.equal(memory.static, true);
      assert.equal(memory.reason, null);
      assert.equal(memory.image!.offset, offset);
      assert.equal(memory.image!.length, length);
      assert.equal(memory.image!.nonzeroPages, 0);
      assert.equal(memory.image!.leadingZeros, 0);
      assert.equal(memory.image!.sha256, zeroSha(length));
      assert.match(
        adviseMemory(wasm, result, memory).join("\n"),
        new RegExp(`holds only zero bytes, yet Wasmtime maps all ${length / 4096} of its pages`),
      );
    }
  });

  test("a later all-zero segment wiping all data leaves an image of zeros", () => {
    const result = plan({
      memories: [{ min: 1 }],
      segments: [
        { offset: 8192, data: [7, 7, 7] },
        { offset: 8000, data: bytesOf(300, 0) },
      ],
    });
    const image = result.memories[0]!.image!;
    assert.equal(result.memories[0]!.static, true);
    assert.deepEqual([image.offset, image.length, image.nonzeroPages], [4096n, 8192, 0]);
  });

  test("no data, or only passive data, needs no image", () => {
    for (const segments of [[], [{ passive: [1, 2, 3] }]]) {
      const result = plan({ memories: [{ min: 1 }], segments });
      assert.equal(result.initialization, "static");
      assert.equal(result.memories[0]!.reason?.code, "no-image-needed");
      assert.equal(result.memories[0]!.activeSegments, 0);
      assert.equal(result.memories[0]!.dataBytes, 0);
    }
  });

  test("nonzeroPages and the zero pages between them", () => {
    // Non-zero on pages 0 and 3 of 4 KiB; page 1 holds written zeros, page 2 a gap.
    const result = plan({
      memories: [{ min: 1 }],
      segments: [
        { offset: 0, data: [1] },
        { offset: 4096, data: bytesOf(4096, 0) },
        { offset: 3 * 4096 + 5, data: [2] },
      ],
    });
    const image = result.memories[0]!.image!;
    assert.equal(image.pages, 4);
    assert.equal(image.nonzeroPages, 2);
    assert.deepEqual([...image.nonzeroPageMap!], [1, 0, 0, 1]);
    assert.deepEqual(segmentsOnPage(image, 0, 4096), [0]);
    assert.deepEqual(segmentsOnPage(image, 1, 4096), [1]);
    assert.deepEqual(segmentsOnPage(image, 2, 4096), []);
    assert.deepEqual(segmentsOnPage(image, 3, 4096), [2]);
    // One 16 KiB page holds it all.
    const big = plan(
      {
        memories: [{ min: 1 }],
        segments: [
          { offset: 0, data: [1] },
          { offset: 4096, data: bytesOf(4096, 0) },
          { offset: 3 * 4096 + 5, data: [2] },
        ],
      },
      { pageSize: 16384 },
    ).memories[0]!.image!;
    assert.equal(big.pages, 1);
    assert.equal(big.nonzeroPages, 1);
    assert.deepEqual(segmentsOnPage(big, 0, 16384), [0, 1, 2]);
  });

  test("passive segments keep their place in the index space", () => {
    const result = plan({
      memories: [{ min: 1 }],
      segments: [
        { passive: [9] },
        { offset: 10, data: [1] },
        { passive: [9] },
        { offset: 20, data: [2] },
      ],
    });
    const image = result.memories[0]!.image!;
    assert.deepEqual(segmentsOnPage(image, 0, 4096), [1, 3]);
    assert.equal(result.memories[0]!.activeSegments, 2);
    assert.deepEqual(
      result.segments.map((s) => s.segment),
      [1, 3],
    );
  });

  test("an image beyond 2^53 on memory64 is still an image", () => {
    // 2^44 pages of 64 KiB = 2^60 bytes; one byte in the last 4 KiB page.
    const top = 1n << 60n;
    const result = plan({
      memories: [{ min: 1n << 44n, memory64: true }],
      segments: [{ offset: top - 4096n, data: [1] }],
    });
    assert.equal(result.initialization, "static");
    const memory = result.memories[0]!;
    assert.equal(memory.reason, null, `reason: ${memory.reason?.code}`);
    assert.equal(memory.static, true);
    assert.equal(memory.image?.offset, top - 4096n);
    assert.equal(memory.image?.length, 4096);
    const page = new Uint8Array(4096);
    page[0] = 1;
    assert.equal(memory.image?.sha256, createHash("sha256").update(page).digest("hex"));
  });

  test("a huge sparse memory that Wasmtime refuses is planned quickly", () => {
    // Two bytes 1 TiB apart on memory64: too sparse. Wasmtime never materialises this
    // image; hashing a terabyte of zeros to describe it would hang the caller. Run in
    // a child process so a hang fails the test instead of blocking the suite.
    const bytes = module(
      memorySection({ min: 1n << 24n, memory64: true }),
      dataSection(activeData(i64Offset(0n), [1]), activeData(i64Offset((1n << 40n) - 1n), [1])),
    );
    const script = `
      const load = async (p) => { const m = await import(p); return m.default ?? m; };
      const { readModule } = await load(${JSON.stringify(analysisFile("module-reader"))});
      const { planImages } = await load(${JSON.stringify(analysisFile("image-planner"))});
      const bytes = new Uint8Array(Buffer.from(process.argv[1], "hex"));
      const plan = planImages(readModule(bytes), { pageSize: 4096, denseLimit: ${DEFAULT_DENSE_LIMIT} });
      process.stdout.write(plan.memories[0].reason.code);
    `;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, Buffer.from(bytes).toString("hex")],
      { encoding: "utf8", timeout: 15_000 },
    );
    assert.equal(child.signal, null, "planImages did not finish within 15 s");
    assert.equal(child.stderr, "");
    assert.equal(child.stdout, "too-sparse");
  });
});

// --- §1.2 all-or-nothing and §1.4 runtime bail-outs ----------------------------------

describe("the module as a whole", () => {
  test("a module importing any memory gets no CoW image for its defined memory", () => {
    const result = plan({
      importedMemories: [{ min: 1 }],
      memories: [{ min: 1 }],
      segments: [{ memory: 1, offset: 0, data: [1] }],
    });
    assert.equal(result.initialization, "static");
    assert.equal(result.segmentedBy, null);
    assert.equal(result.memories[0]!.reason?.code, "memory-imported");
    assert.equal(result.memories[1]!.static, false);
    assert.equal(result.memories[1]!.reason?.code, "module-imports-memory");
    // The static image itself is still computed.
    assert.equal(result.memories[1]!.image!.length, 4096);
  });

  test("a bad segment on memory 1 makes memory 0 non-static too", () => {
    for (const [bad, code] of [
      [{ memory: 1, offset: WASM_PAGE, data: [1] }, "out-of-bounds"],
      [{ memory: 1, offset: constExpr(op.globalGet(0)), data: [1] }, "non-constant-offset"],
    ] as const) {
      const result = plan({
        importedGlobals: [["g", VALTYPE.i32]],
        memories: [{ min: 1 }, { min: 1 }],
        segments: [{ offset: 0, data: [1] }, bad],
      });
      assert.equal(result.initialization, "segmented");
      assert.equal(result.segmentedBy?.code, code);
      for (const memory of result.memories) {
        assert.equal(memory.static, false, `memory ${memory.memory}`);
        assert.equal(memory.reason?.code, code);
      }
    }
  });

  test("density failing on memory 1 makes memory 0 non-static too", () => {
    const result = plan(
      {
        memories: [{ min: 1 }, { min: 2 }],
        segments: [
          { offset: 0, data: [1] },
          { memory: 1, offset: 0, data: [1] },
          { memory: 1, offset: 100_000, data: [1] },
        ],
      },
      { denseLimit: 1000 },
    );
    assert.equal(result.segmentedBy?.code, "too-sparse");
    assert.equal(result.memories[0]!.static, false);
  });

  test("geometry is still reported for an all-constant memory in a segmented module", () => {
    const segments = [
      { offset: 5000, data: [1, 2, 3] },
      { offset: 9000, data: [4] },
    ];
    const result = plan({
      importedGlobals: [["g", VALTYPE.i32]],
      memories: [{ min: 1 }, { min: 1 }],
      segments: [...segments, { memory: 1, offset: constExpr(op.globalGet(0)), data: [1] }],
    });
    assert.equal(result.initialization, "segmented");
    const expected = naiveImage(
      WASM_PAGE,
      segments.map((s, index) => ({ index, ...s })),
      4096,
    )!;
    const image = result.memories[0]!.image!;
    assert.equal(image.offset, BigInt(expected.offset));
    assert.equal(image.length, expected.length);
    assert.equal(image.sha256, expected.sha256);
    assert.equal(result.memories[1]!.image, null);
  });

  test("two memories, each with its own image", () => {
    const result = plan({
      memories: [{ min: 1 }, { min: 2 }],
      segments: [
        { memory: 1, offset: 70_000, data: [5] },
        { offset: 10, data: [6] },
      ],
    });
    assert.equal(result.initialization, "static");
    assert.deepEqual(
      result.memories.map((m) => [m.static, m.image!.offset, m.activeSegments]),
      [
        [true, 0n, 1],
        [true, 69_632n, 1],
      ],
    );
  });
});

// --- placement with import bindings --------------------------------------------------

describe("segment placement and bindings", () => {
  test("an imported global's value decides the bounds", () => {
    const wasm = build({
      importedGlobals: [["base", VALTYPE.i32]],
      memories: [{ min: 1 }],
      segments: [{ offset: constExpr(op.globalGet(0)), data: [1, 2] }],
    });
    const place = (value?: bigint) =>
      planImages(wasm, {
        pageSize: 4096,
        denseLimit: DEFAULT_DENSE_LIMIT,
        bindings: value === undefined ? {} : { globals: new Map([[0, value]]) },
      }).segments[0]!;
    assert.deepEqual(place(), { segment: 0, memory: 0, start: null, end: null, bounds: "unknown" });
    assert.deepEqual(place(65_534n), {
      segment: 0,
      memory: 0,
      start: 65_534n,
      end: 65_536n,
      bounds: "in-bounds",
    });
    assert.equal(place(65_535n).bounds, "out-of-bounds");
  });

  test("extended constants through a defined global, with i32 wrap-around", () => {
    const wasm = build({
      importedGlobals: [["base", VALTYPE.i32]],
      globals: [
        {
          type: globalType(VALTYPE.i32),
          init: constExpr(op.globalGet(0), op.i32Const(16), op.i32Add),
        },
      ],
      memories: [{ min: 1 }],
      segments: [{ offset: constExpr(op.globalGet(1), op.i32Const(8), op.i32Add), data: [1] }],
    });
    const start = (value: bigint) =>
      planImages(wasm, {
        pageSize: 4096,
        denseLimit: DEFAULT_DENSE_LIMIT,
        bindings: { globals: new Map([[0, value]]) },
      }).segments[0]!.start;
    assert.equal(start(100n), 124n);
    assert.equal(start(0xffff_fff0n), 8n, "(2^32 - 16) + 16 + 8 wraps to 8");
  });

  test("an imported memory's bound size decides the bounds", () => {
    const wasm = build({
      importedMemories: [{ min: 1 }],
      segments: [{ offset: WASM_PAGE, data: [1] }],
    });
    const bounds = (pages?: bigint) =>
      planImages(wasm, {
        pageSize: 4096,
        denseLimit: DEFAULT_DENSE_LIMIT,
        bindings: pages === undefined ? {} : { memoryPages: new Map([[0, pages]]) },
      }).segments[0]!.bounds;
    assert.equal(bounds(), "out-of-bounds");
    assert.equal(bounds(2n), "in-bounds");
    assert.equal(bounds(1n), "out-of-bounds");
  });

  test("placement of constant segments, including memory64 and empty ones", () => {
    const result = plan({
      memories: [{ min: 1 }, { min: 1, memory64: true }],
      segments: [
        { offset: -1, data: [] }, // i32.const -1 is 2^32 - 1 unsigned
        { memory: 1, offset: 65_535n, data: [1] },
        { offset: 10, data: [1, 2, 3] },
      ],
    });
    assert.deepEqual(
      result.segments.map((s) => [s.segment, s.memory, s.start, s.end, s.bounds]),
      [
        [0, 0, 0xffff_ffffn, 0xffff_ffffn, "out-of-bounds"],
        [1, 1, 65_535n, 65_536n, "in-bounds"],
        [2, 0, 10n, 13n, "in-bounds"],
      ],
    );
  });
});
