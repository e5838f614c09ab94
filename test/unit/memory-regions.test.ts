// Landmarks (extension/analysis/landmarks.ts) read from WAT modules, and the regions and
// attribution built on them (common/memory-regions.ts), against layouts worked out by
// hand: wasm-ld's default (data, stack, heap), --stack-first, explicit __stack_low and
// __stack_high (as pyodide exports them), a section split into ".rodata", ".rodata.1", ….

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findLandmarks } from "../../extension/analysis/landmarks";
import { readModule } from "../../extension/analysis/module-reader";
import {
  attributeDirtied,
  dirtiedText,
  memoryRegions,
  regionOfPage,
  type LandmarkValue,
  type MemoryRegion,
} from "../../common/memory-regions";
import { PAGE_STATES } from "../../common/page-states";
import { wat } from "../helpers/wat";

describe("landmarks", () => {
  test("exports and the name section's global names; constants only; the export wins", async () => {
    const bytes = await wat(`(module
      (import "env" "__memory_base" (global $__global_base i32))
      (global $__stack_pointer (mut i32) (i32.const 70000))
      (global $other (export "__data_end") i32 (i32.const 5000))
      (global $__heap_base (export "__heap_base") i32 (i32.const 70016))
      (global $__data_end i32 (i32.const 1))
      (global $__heap_end i32 (global.get $__global_base))
      (global $unrelated (export "counter") i32 (i32.const 9)))`);
    const found = findLandmarks(readModule(bytes)).map((l) => ({
      ...l,
      value: l.value === null ? null : Number(l.value),
    }));
    assert.deepEqual(found, [
      // Imported: no value a file can tell.
      { name: "__global_base", global: 0, via: "name section", value: null, mutable: false },
      // Exported as __data_end although named $other; the global named $__data_end loses.
      { name: "__data_end", global: 2, via: "export", value: 5000, mutable: false },
      { name: "__stack_pointer", global: 1, via: "name section", value: 70000, mutable: true },
      { name: "__heap_base", global: 3, via: "export", value: 70016, mutable: false },
      // A global.get is not a constant.
      { name: "__heap_end", global: 5, via: "name section", value: null, mutable: false },
    ]);
  });

  test("a module without them has none", async () => {
    assert.deepEqual(
      findLandmarks(readModule(await wat(`(module (global (export "g") i32 (i32.const 1)))`))),
      [],
    );
  });
});

const KIB = 1024;
const landmarks = (values: Partial<Record<LandmarkValue["name"], number>>): LandmarkValue[] =>
  Object.entries(values).map(([name, value]) => ({ name: name as LandmarkValue["name"], value }));
const brief = (regions: MemoryRegion[]) => regions.map((r) => [r.label, r.start, r.end]);

describe("regions", () => {
  test("wasm-ld's default layout: data, then the stack up to __stack_pointer, then the heap", () => {
    const regions = memoryRegions({
      landmarks: landmarks({ __data_end: 5000, __stack_pointer: 70_544, __heap_base: 70_544 }),
      segments: [
        { name: null, start: 1024, size: 2000 },
        { name: null, start: 3024, size: 1976 },
      ],
      size: 128 * KIB,
    });
    assert.deepEqual(brief(regions), [
      ["static data", 1024, 5000],
      ["stack", 5000, 70_544],
      ["heap", 70_544, 128 * KIB],
    ]);
  });

  test("--stack-first: the stack below the data, from 0", () => {
    const regions = memoryRegions({
      landmarks: landmarks({ __stack_pointer: 65_536, __heap_base: 70_000 }),
      segments: [{ name: null, start: 65_536, size: 4000 }],
      size: 128 * KIB,
    });
    assert.deepEqual(brief(regions), [
      ["stack", 0, 65_536],
      ["heap", 70_000, 128 * KIB],
    ]);
  });

  test("__stack_low and __stack_high say it outright; __heap_end ends the heap; all clipped", () => {
    const regions = memoryRegions({
      landmarks: landmarks({
        __global_base: 1024,
        __data_end: 4000,
        __stack_low: 4096,
        __stack_high: 8192,
        __stack_pointer: 8192,
        __heap_base: 8192,
        __heap_end: 1 << 30,
      }),
      segments: [],
      size: 64 * KIB,
    });
    assert.deepEqual(brief(regions), [
      ["static data", 1024, 4000],
      ["stack", 4096, 8192],
      ["heap", 8192, 64 * KIB],
    ]);
  });

  test("a stack pointer inside the data says nothing; without landmarks there are no regions", () => {
    const segments = [{ name: null, start: 0, size: 10_000 }];
    assert.deepEqual(
      memoryRegions({ landmarks: landmarks({ __stack_pointer: 5000 }), segments, size: 65_536 }),
      [],
    );
    assert.deepEqual(memoryRegions({ landmarks: [], segments, size: 65_536 }), []);
  });

  test("named segments: one region per output section, split parts (.rodata.1) joined", () => {
    const regions = memoryRegions({
      landmarks: [],
      segments: [
        { name: ".rodata", start: 1024, size: 100 },
        { name: ".rodata.1", start: 1124, size: 100 },
        { name: ".rodata.2", start: 1224, size: 50 },
        { name: ".data", start: 2048, size: 10 },
        { name: ".bss", start: 4096, size: 0 },
      ],
      size: 65_536,
    });
    assert.deepEqual(brief(regions), [
      [".rodata", 1024, 1274],
      [".data", 2048, 2058],
    ]);
    assert.equal(regions[0]!.source, "3 data segments so named");
  });

  test("more than 64 distinct names are too fine to draw: none", () => {
    const segments = Array.from({ length: 65 }, (_, i) => ({
      name: `.str${String.fromCharCode(97 + (i % 26))}${i}x`,
      start: i * 16,
      size: 8,
    }));
    assert.deepEqual(memoryRegions({ landmarks: [], segments, size: 65_536 }), []);
  });
});

describe("attribution", () => {
  const regions = memoryRegions({
    landmarks: landmarks({ __data_end: 0x2010, __stack_pointer: 0x12010, __heap_base: 0x12010 }),
    segments: [{ name: ".data", start: 0x1ff0, size: 0x20 }],
    size: 0x40000,
  });

  test("a shared page goes to the data before the stack, to the stack before the heap", () => {
    const of = (page: number) => regionOfPage(regions, page, 4096)?.label ?? null;
    assert.equal(of(1), ".data"); // .data's first 16 bytes end page 1
    assert.equal(of(2), ".data"); // .data's last 16 bytes, then the stack's first page
    assert.equal(of(3), "stack");
    assert.equal(of(0x12), "stack"); // the stack's top 16 bytes, then the heap
    assert.equal(of(0x13), "heap");
    assert.equal(of(0), null); // before the first segment (no __global_base says otherwise)
    assert.equal(of(0x40), null); // past the memory
  });

  test("written pages by region, most first; untouched and clean pages are not counted", () => {
    const state = (name: (typeof PAGE_STATES)[number]) => PAGE_STATES.indexOf(name);
    const states = new Uint8Array(0x40).fill(state("notPresent"));
    states[0] = state("imageClean");
    states[1] = state("imageDirty");
    states[2] = state("imageDirty");
    states[0x11] = state("anonDirty");
    states[0x20] = state("anonDirty");
    states[0x21] = state("swapped");
    states[0x22] = state("zero");
    const dirtied = attributeDirtied(regions, states, 4096);
    assert.deepEqual(dirtied, {
      total: 5,
      byRegion: [
        { label: ".data", pages: 2 },
        { label: "heap", pages: 2 },
        { label: "stack", pages: 1 },
      ],
    });
    assert.equal(dirtiedText(dirtied), "5 pages dirtied: 2 .data, 2 heap, 1 stack");
    // Past every region (a grown memory): "elsewhere"; with no regions, the count alone.
    const grown = new Uint8Array(0x50);
    grown[0x45] = state("anonDirty");
    assert.equal(
      dirtiedText(attributeDirtied(regions, grown, 4096)),
      "1 page dirtied: 1 elsewhere",
    );
    assert.equal(dirtiedText(attributeDirtied([], grown, 4096)), "1 page dirtied");
    assert.equal(
      dirtiedText(attributeDirtied(regions, new Uint8Array(4), 4096)),
      "0 pages dirtied",
    );
  });
});
