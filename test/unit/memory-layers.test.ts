// staticLayers: per memory, one value per page of its initial size — outside the image,
// an image page of zeros, or an image page with data. The expectation is computed here
// byte by byte from the segments (applied in order; a later one overwrites), without the
// planner: the image spans the pages from the first to the last non-zero byte (Wasmtime
// trims zeros, then page-aligns: wasmtime-cow.md §1.3).

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { DEFAULT_DENSE_LIMIT, planImages } from "../../extension/analysis/image-planner";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, LAYER_OUTSIDE } from "../../common/layer-values";
import { MAX_LAYER_PAGES, staticLayers } from "../../extension/analysis/memory-layers";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import {
  activeData,
  dataSection,
  i32Offset,
  i64Offset,
  memorySection,
  module,
} from "../helpers/binary-builder";
import { wat } from "../helpers/wat";
import { exampleModules, TWO_MEMORIES, type ExampleModule } from "../webview/harness/fixtures";

const PAGE_SIZES = [4096, 16384, 65536];
const MiB = 1 << 20;

const CHUNK = 65536;

/** A memory's initial contents, sparsely: 64 KiB chunks by index, created when written.
 *  Null when some active offset on it is not a single constant (no image to draw). */
function initialBytes(wasm: WasmModule, memory: number): Map<number, Uint8Array> | null {
  const chunks = new Map<number, Uint8Array>();
  for (const segment of wasm.dataSegments) {
    if (segment.mode !== "active" || segment.memory !== memory) continue;
    const instrs = segment.offsetExpr!.instrs;
    const only = instrs[0] as { op: string; value: number | bigint } | undefined;
    if (instrs.length !== 1 || (only?.op !== "i32.const" && only?.op !== "i64.const")) {
      return null;
    }
    const start =
      only.op === "i32.const"
        ? Number(only.value) >>> 0
        : Number(BigInt.asUintN(64, BigInt(only.value)));
    for (let i = 0; i < segment.data.length; i++) {
      const address = start + i;
      const index = Math.floor(address / CHUNK);
      let chunk = chunks.get(index);
      if (!chunk) chunks.set(index, (chunk = new Uint8Array(CHUNK)));
      chunk[address % CHUNK] = segment.data[i]!; // in module order: a later one overwrites
    }
  }
  return chunks;
}

/** Addresses of the non-zero bytes of a memory once initialised, ascending. */
function nonzeroAddresses(wasm: WasmModule, memory: number): number[] {
  const chunks = [...(initialBytes(wasm, memory) ?? [])].sort(([a], [b]) => a - b);
  const addresses: number[] = [];
  for (const [index, chunk] of chunks) {
    for (let i = 0; i < CHUNK; i++) if (chunk[i] !== 0) addresses.push(index * CHUNK + i);
  }
  return addresses;
}

/** The expected layer of one memory. */
function expectedLayer(wasm: WasmModule, memory: number, nonzero: number[], pageSize: number) {
  const type = wasm.memories[memory]!.type;
  const totalPages = Number(
    ((type.min << BigInt(type.pageSizeLog2)) + BigInt(pageSize - 1)) / BigInt(pageSize),
  );
  const pages = new Uint8Array(Math.min(totalPages, MAX_LAYER_PAGES));
  if (nonzero.length) {
    const first = Math.floor(nonzero[0]! / pageSize);
    const last = Math.floor(nonzero[nonzero.length - 1]! / pageSize);
    for (let page = first; page <= last && page < pages.length; page++) {
      pages[page] = LAYER_IMAGE_ZERO;
    }
    for (const address of nonzero) {
      const page = Math.floor(address / pageSize);
      if (page < pages.length) pages[page] = LAYER_IMAGE_DATA;
    }
  }
  return { totalPages, pages };
}

function assertSameLayer(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: pages drawn`);
  let differs = -1;
  for (let page = 0; page < actual.length && differs < 0; page++) {
    if (actual[page] !== expected[page]) differs = page;
  }
  assert.equal(
    differs,
    -1,
    `${what}: page ${differs} is ${actual[differs]}, expected ${expected[differs]}`,
  );
}

function checkModule(bytes: Uint8Array, name: string, pageSizes = PAGE_SIZES): void {
  const wasm = readModule(bytes);
  const nonzero = wasm.memories.map((_, index) => nonzeroAddresses(wasm, index));
  for (const pageSize of pageSizes) {
    const plan = planImages(wasm, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT });
    const layers = staticLayers(wasm, plan);
    assert.deepEqual(
      layers.map((l) => l.memory),
      wasm.memories.map((_, index) => index),
      `${name}: one layer per memory`,
    );
    for (const layer of layers) {
      const what = `${name}, memory ${layer.memory}, ${pageSize}-byte pages`;
      const expected = expectedLayer(wasm, layer.memory, nonzero[layer.memory]!, pageSize);
      assert.equal(layer.pageSize, pageSize, what);
      assert.equal(layer.totalPages, expected.totalPages, `${what}: total pages`);
      assertSameLayer(layer.pages, expected.pages, what);
    }
  }
}

/** `count` copies of a byte as a WAT string literal. */
const repeated = (byte: number, count: number) =>
  `\\${byte.toString(16).padStart(2, "0")}`.repeat(count);

let examples: ExampleModule[];
const handMade: { name: string; bytes: Uint8Array }[] = [];

before(async () => {
  examples = [...(await exampleModules()), TWO_MEMORIES];
  handMade.push(
    {
      // A later all-zero segment wipes page 1; trailing zeros are trimmed: only page 3.
      name: "overwritten",
      bytes: await wat(`(module (memory 1)
        (data (i32.const 0x1000) "${repeated(1, 4096)}")
        (data (i32.const 0x3000) "\\02")
        (data (i32.const 0x1000) "${repeated(0, 4096)}")
        (data (i32.const 0x5000) "\\00\\00"))`),
    },
    {
      // A zero page between two data pages, and a segment straddling a page boundary.
      name: "gap",
      bytes: await wat(`(module (memory 2)
        (data (i32.const 0x0ffe) "\\01\\00\\00\\03")
        (data (i32.const 0x3005) "\\04"))`),
    },
    {
      // Data across the 4 GiB line of a memory64 bigger than the pages drawn.
      name: "past 2^20 pages",
      bytes: await wat(`(module (memory i64 65537)
        (data (i64.const 0xfffffffe) "\\07\\00\\00\\00\\00\\00\\00\\00\\00\\00\\09"))`),
    },
    {
      // 1-byte pages (custom-page-sizes): 10,000 bytes are 3 host pages.
      name: "custom page size",
      bytes: module(
        memorySection({ min: 10000, pageSizeLog2: 0 }),
        dataSection(activeData(i32Offset(5000), [5])),
      ),
    },
    {
      // An offset at the top of the unsigned 32-bit range (i32.const -4096).
      name: "unsigned offset",
      bytes: module(
        memorySection({ min: 65536 }),
        dataSection(activeData(i32Offset(-4096), [1, 2])),
      ),
    },
    {
      // Data only past the initial size: nothing of it is drawn.
      name: "out of bounds",
      bytes: module(
        memorySection({ min: 1, memory64: true }),
        dataSection(activeData(i64Offset(70000n), [1])),
      ),
    },
  );
});

test("the sample modules: image and data pages, every page size", () => {
  for (const example of examples) checkModule(example.bytes, example.name);
});

test("overwritten, gapped, huge, custom-page and out-of-bounds memories", () => {
  for (const { name, bytes } of handMade) checkModule(bytes, name);
});

test("the hand-made layers hold what the comments say", () => {
  // Guards the independent computation itself with a few values worked out by hand.
  const layer = (name: string, pageSize = 4096) => {
    const wasm = readModule(handMade.find((m) => m.name === name)!.bytes);
    return staticLayers(wasm, planImages(wasm, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT }))[0]!;
  };
  const O = LAYER_OUTSIDE;
  const Z = LAYER_IMAGE_ZERO;
  const D = LAYER_IMAGE_DATA;
  assert.deepEqual(
    [...layer("overwritten").pages],
    [O, O, O, D, O, O, O, O, O, O, O, O, O, O, O, O],
  );
  assert.deepEqual([...layer("gap").pages.subarray(0, 5)], [D, D, Z, D, O]);
  const huge = layer("past 2^20 pages");
  assert.equal(huge.totalPages, 65537 * 16);
  assert.equal(huge.pages.length, MAX_LAYER_PAGES);
  assert.deepEqual([...huge.pages.subarray(-2)], [O, D]);
  assert.deepEqual([...layer("custom page size").pages], [O, D, O]);
  const top = layer("unsigned offset", 65536);
  assert.deepEqual([...top.pages.subarray(-2)], [O, D]);
  assert.ok(layer("out of bounds").pages.every((value) => value === O));
});

test("a huge sparse image (no per-page map in the plan) still marks its data pages", () => {
  // 2 bytes 300 MiB apart in a 512 MiB memory: too sparse for Wasmtime, and past the
  // 256 MiB up to which the planner keeps a per-page map. The page map still draws
  // this memory, so its two data pages must not be shown as zero pages.
  const bytes = module(
    memorySection({ min: 8192 }),
    dataSection(activeData(i32Offset(0), [1]), activeData(i32Offset(300 * MiB), [1])),
  );
  checkModule(bytes, "huge sparse", [4096]);
});
