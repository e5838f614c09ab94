// Every entry point of the addon must turn a bad argument into a JS exception: a crash
// here would take down the runner (or the extension host). Each call below must throw,
// and the process must still be alive and the addon usable afterwards.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NativeAddon } from "../../extension/runner/native-backend";
import {
  HOST_PAGE,
  WASM_PAGE,
  assertPristine,
  imageBytes,
  readPage,
  requireBackend,
  writePage,
} from "../helpers/native";

const addon = requireBackend();
// The addon's functions called with arbitrary arguments, as untyped JS would.
const loose = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
const LooseImage = addon.Image as unknown as new (...args: unknown[]) => unknown;

const BAD_NUMBERS: [string, unknown][] = [
  ["negative", -HOST_PAGE],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["fractional", 1.5],
  ["2^53", 2 ** 53],
  ["2^64 as a number", 2 ** 64],
  ["1e300", 1e300],
  ["negative BigInt", -1n],
  ["BigInt 2^64", 2n ** 64n],
  ["string", "4096"],
  ["undefined", undefined],
  ["null", null],
  ["object", {}],
];

function memoryWithImage() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const image = new addon.Image(imageBytes(2));
  const base = addon.mapImage(memory, 0, image).base;
  return { memory, image, base };
}

function notMemories(): [string, unknown][] {
  return [
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["a plain object", {}],
    ["an ArrayBuffer", new ArrayBuffer(WASM_PAGE)],
    ["a Uint8Array", new Uint8Array(WASM_PAGE)],
    ["an object inheriting Memory's prototype", Object.create(WebAssembly.Memory.prototype)],
    ["an Image", new addon.Image(imageBytes(1))],
  ];
}

const sharedMemory = (): WebAssembly.Memory =>
  new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });

/** Every entry point that takes a memory, with otherwise valid arguments, and whether
 *  it only reads (and so takes a shared memory too). */
function memoryCalls(addon: NativeAddon): [string, (memory: unknown) => unknown, boolean][] {
  const image = new addon.Image(imageBytes(1));
  return [
    ["memoryBase", (memory) => loose.memoryBase!(memory), true],
    ["mapImage", (memory) => loose.mapImage!(memory, 0, image), false],
    ["unmapImage", (memory) => loose.unmapImage!(memory, 0n, 0, HOST_PAGE), false],
    ["reset", (memory) => loose.reset!(memory, 0n, "madvise", 0, null, 0), false],
    ["snapshot", (memory) => loose.snapshot!(memory, 0, 0), true],
    ["accounting", (memory) => loose.accounting!(memory), true],
  ];
}

function assertThrowsJs(call: () => unknown, label: string): void {
  assert.throws(call, (error: unknown) => error instanceof Error, label);
}

describe("the Image constructor", () => {
  test("rejects anything but one Uint8Array of whole pages", () => {
    const cases: [string, unknown[]][] = [
      ["no argument", []],
      ["two arguments", [imageBytes(1), imageBytes(1)]],
      ["an empty Uint8Array", [new Uint8Array(0)]],
      ["a length that is not a page multiple", [new Uint8Array(HOST_PAGE + 1)]],
      ["half a page", [new Uint8Array(HOST_PAGE / 2)]],
      ["an Int8Array", [new Int8Array(HOST_PAGE)]],
      ["a Uint8ClampedArray", [new Uint8ClampedArray(HOST_PAGE)]],
      ["an ArrayBuffer", [new ArrayBuffer(HOST_PAGE)]],
      ["a DataView", [new DataView(new ArrayBuffer(HOST_PAGE))]],
      ["a plain array", [Array.from({ length: HOST_PAGE }, () => 1)]],
      ["a string", ["x".repeat(HOST_PAGE)]],
    ];
    for (const [label, args] of cases) assertThrowsJs(() => new LooseImage(...args), label);
  });

  test("empty and misaligned lengths are RangeErrors", () => {
    assert.throws(() => new addon.Image(new Uint8Array(0)), RangeError);
    assert.throws(() => new addon.Image(new Uint8Array(100)), RangeError);
  });

  test("cannot be called without new", () => {
    const call = addon.Image as unknown as (bytes: Uint8Array) => unknown;
    assertThrowsJs(() => call(imageBytes(1)), "Image() without new");
  });

  test("accepts a page-multiple subarray view", () => {
    const backing = new Uint8Array(3 * HOST_PAGE).fill(5);
    const image = new addon.Image(backing.subarray(HOST_PAGE));
    assert.equal(image.length, 2 * HOST_PAGE);
    assert.equal(image.released, false);
    image.release();
    assert.equal(image.released, true);
    image.release(); // idempotent
  });
});

describe("entry points taking a memory", () => {
  for (const [name, call, reads] of memoryCalls(addon)) {
    test(`${name} rejects non-memories${reads ? ", reads shared ones" : " and shared memories"}`, () => {
      for (const [label, value] of notMemories()) assertThrowsJs(() => call(value), label);
      if (reads) call(sharedMemory());
      else assert.throws(() => call(sharedMemory()), { name: "TypeError", message: /shared/ });
    });
  }

  // The header promises a TypeError unless the value IS a WebAssembly.Memory: an object
  // that only inherits the prototype and carries its own `buffer` (an ordinary heap
  // ArrayBuffer) is not one, and the addon must not mmap/madvise/memset through it.
  test("every entry point rejects an impostor with a forged buffer property", () => {
    const impostor = Object.create(WebAssembly.Memory.prototype) as object;
    Object.defineProperty(impostor, "buffer", { value: new ArrayBuffer(WASM_PAGE) });
    let base = 0n;
    try {
      base = addon.memoryBase(impostor as WebAssembly.Memory);
    } catch {
      // expected; the calls below then fail their base check too
    }
    const image = new addon.Image(imageBytes(1));
    const accepted = (
      [
        ["memoryBase", () => loose.memoryBase!(impostor)],
        ["snapshot", () => loose.snapshot!(impostor, 0, 0)],
        ["accounting", () => loose.accounting!(impostor)],
        ["reset", () => loose.reset!(impostor, base, "keep-resident", WASM_PAGE, null, 0)],
        ["mapImage", () => loose.mapImage!(impostor, 0, image)],
        ["unmapImage", () => loose.unmapImage!(impostor, base, 0, HOST_PAGE)],
      ] as [string, () => unknown][]
    ).filter(([, call]) => {
      try {
        call();
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(
      accepted.map(([name]) => name),
      [],
      "entry points that accepted a non-memory",
    );
  });

  test("a real memory whose buffer property is shadowed is not fooled", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const real = addon.memoryBase(memory);
    Object.defineProperty(memory, "buffer", { value: new ArrayBuffer(WASM_PAGE) });
    let base: bigint;
    try {
      base = addon.memoryBase(memory);
    } catch {
      return; // rejecting it is fine too
    }
    assert.equal(base, real, "the addon must use the memory's own linear memory");
  });
});

describe("mapImage", () => {
  test("rejects wrong argument counts, bad offsets, bad images and out-of-range", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const image = new addon.Image(imageBytes(2));
    const released = new addon.Image(imageBytes(1));
    released.release();
    assertThrowsJs(() => loose.mapImage!(memory, 0), "2 arguments");
    assertThrowsJs(() => loose.mapImage!(memory, 0, image, 0), "4 arguments");
    assertThrowsJs(() => loose.mapImage!(), "no arguments");
    for (const [label, offset] of BAD_NUMBERS)
      assertThrowsJs(() => loose.mapImage!(memory, offset, image), `offset ${label}`);
    assert.throws(() => addon.mapImage(memory, 100, image), RangeError);
    assert.throws(() => addon.mapImage(memory, HOST_PAGE / 2, image), RangeError);
    // Past the memory: at its end, straddling its end, far beyond.
    assert.throws(() => addon.mapImage(memory, WASM_PAGE, image), RangeError);
    assert.throws(() => addon.mapImage(memory, WASM_PAGE - HOST_PAGE, image), RangeError);
    assert.throws(() => addon.mapImage(memory, 2 ** 40, image), RangeError);
    assert.throws(() => loose.mapImage!(memory, 2n ** 63n, image), RangeError);
    assert.throws(() => addon.mapImage(memory, 0, released), /released/);
    for (const bad of [null, undefined, {}, imageBytes(1), memory])
      assertThrowsJs(() => loose.mapImage!(memory, 0, bad), `image ${String(bad)}`);
    // Nothing was mapped by the failed calls.
    assertPristine(memory, null);
  });

  test("an image into a zero-page memory is out of range", () => {
    const empty = new WebAssembly.Memory({ initial: 0 });
    assert.throws(() => addon.mapImage(empty, 0, new addon.Image(imageBytes(1))), RangeError);
    assert.equal(addon.snapshot(empty, 0, 0).states.length, 0);
  });
});

describe("unmapImage", () => {
  test("rejects bad counts, bases, offsets, lengths and ranges", () => {
    const { memory, base } = memoryWithImage();
    assertThrowsJs(() => loose.unmapImage!(memory, base, 0), "3 arguments");
    assertThrowsJs(() => loose.unmapImage!(memory, base, 0, HOST_PAGE, 0), "5 arguments");
    // The base: not a BigInt, or not this memory's.
    assert.throws(() => loose.unmapImage!(memory, Number(base), 0, HOST_PAGE), TypeError);
    assert.throws(() => addon.unmapImage(memory, base + 4096n, 0, HOST_PAGE), /moved/);
    assert.throws(() => addon.unmapImage(memory, 0n, 0, HOST_PAGE), /moved/);
    assert.throws(() => addon.unmapImage(memory, -base, 0, HOST_PAGE), /moved/);
    assert.throws(() => addon.unmapImage(memory, base + 2n ** 64n, 0, HOST_PAGE), /moved/);
    for (const [label, bad] of BAD_NUMBERS) {
      assertThrowsJs(() => loose.unmapImage!(memory, base, bad, HOST_PAGE), `offset ${label}`);
      assertThrowsJs(() => loose.unmapImage!(memory, base, 0, bad), `length ${label}`);
    }
    assert.throws(() => addon.unmapImage(memory, base, 100, HOST_PAGE), RangeError);
    assert.throws(() => addon.unmapImage(memory, base, 0, 100), RangeError);
    assert.throws(() => addon.unmapImage(memory, base, 0, 0), RangeError);
    assert.throws(() => addon.unmapImage(memory, base, 0, 2 * WASM_PAGE), RangeError);
    assert.throws(() => addon.unmapImage(memory, base, WASM_PAGE, HOST_PAGE), RangeError);
    // The image is still mapped: the failed calls changed nothing.
    assert.ok(readPage(memory, 1) > 0);
  });
});

describe("reset", () => {
  test("rejects bad counts, bases, strategies, budgets, images and ranges", () => {
    const { memory, image, base } = memoryWithImage();
    const released = new addon.Image(imageBytes(1));
    released.release();
    const ok = [memory, base, "madvise", 0, image, 0] as const;
    const withArg = (index: number, value: unknown): unknown[] =>
      ok.map((arg, i) => (i === index ? value : arg));
    assertThrowsJs(() => loose.reset!(...ok.slice(0, 5)), "5 arguments");
    assertThrowsJs(() => loose.reset!(...ok, 0), "7 arguments");
    assert.throws(() => loose.reset!(...withArg(1, base + 65536n)), /moved/);
    assert.throws(() => loose.reset!(...withArg(1, Number(base))), TypeError);
    for (const strategy of [undefined, 1, "", "MADVISE", "pagemap ", "bogus"])
      assertThrowsJs(() => loose.reset!(...withArg(2, strategy)), `strategy ${strategy}`);
    for (const [label, bad] of BAD_NUMBERS)
      assertThrowsJs(() => loose.reset!(...withArg(3, bad)), `keepResident ${label}`);
    assert.throws(() => loose.reset!(...withArg(3, 100)), RangeError);
    for (const bad of [undefined, {}, memory, imageBytes(1), released])
      assertThrowsJs(() => loose.reset!(...withArg(4, bad)), `image ${String(bad)}`);
    for (const [label, bad] of BAD_NUMBERS)
      assertThrowsJs(() => loose.reset!(...withArg(5, bad)), `imageOffset ${label}`);
    assert.throws(() => loose.reset!(...withArg(5, 100)), RangeError);
    assert.throws(() => loose.reset!(...withArg(5, WASM_PAGE - HOST_PAGE)), RangeError);
  });

  test("a rejected reset leaves the memory untouched", () => {
    const { memory, image, base } = memoryWithImage();
    writePage(memory, 10, 0x33);
    assert.throws(() => loose.reset!(memory, base, "bogus", 0, image, 0));
    assert.throws(() => addon.reset(memory, base + 4096n, "madvise", 0, image, 0), /moved/);
    assert.equal(new Uint8Array(memory.buffer)[10 * HOST_PAGE + 321], 0x33);
  });
});

describe("snapshot", () => {
  test("rejects bad counts, offsets, lengths and ranges", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    assertThrowsJs(() => loose.snapshot!(memory, 0), "2 arguments");
    assertThrowsJs(() => loose.snapshot!(memory, 0, 0, 0), "withStates 0");
    assertThrowsJs(() => loose.snapshot!(memory, 0, 0, true, 0), "5 arguments");
    for (const [label, bad] of BAD_NUMBERS) {
      assertThrowsJs(() => loose.snapshot!(memory, bad, 0), `imageOffset ${label}`);
      assertThrowsJs(() => loose.snapshot!(memory, 0, bad), `imageLength ${label}`);
    }
    assert.throws(() => addon.snapshot(memory, 100, 0), RangeError);
    assert.throws(() => addon.snapshot(memory, 0, 100), RangeError);
    assert.throws(() => addon.snapshot(memory, 0, 2 * WASM_PAGE), RangeError);
    assert.throws(() => addon.snapshot(memory, WASM_PAGE, HOST_PAGE), RangeError);
    assert.throws(() => addon.snapshot(memory, 2 ** 52, 0), RangeError);
  });
});

describe("mappingsIn", () => {
  test("rejects bad counts, bases, lengths and names", () => {
    const base = addon.memoryBase(new WebAssembly.Memory({ initial: 1 }));
    assertThrowsJs(() => loose.mappingsIn!(base, WASM_PAGE), "2 arguments");
    assertThrowsJs(() => loose.mappingsIn!(base, WASM_PAGE, "", 0), "4 arguments");
    assertThrowsJs(() => loose.mappingsIn!(Number(base), WASM_PAGE, ""), "a number base");
    assertThrowsJs(() => loose.mappingsIn!(-1n, WASM_PAGE, ""), "a negative base");
    assertThrowsJs(() => loose.mappingsIn!(base, WASM_PAGE, 7), "a number name");
    for (const [label, bad] of BAD_NUMBERS)
      assertThrowsJs(() => loose.mappingsIn!(base, bad, ""), `length ${label}`);
    assert.throws(() => addon.mappingsIn(2n ** 64n - 1n, 2, ""), RangeError);
    // Asking about a range touches nothing: even one where nothing is mapped.
    assert.deepEqual(addon.mappingsIn(0n, HOST_PAGE, ""), { count: 0, file: null });
  });
});

describe("a memory that grew", () => {
  test("the old buffer is detached, the base did not move, mapping still works", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const before = addon.memoryBase(memory);
    const old = memory.buffer;
    memory.grow(1);
    assert.equal(old.byteLength, 0, "growing detaches the old buffer");
    assert.equal(addon.memoryBase(memory), before, "V8 grows memories in place");
    const bytes = imageBytes(2, 4);
    const image = new addon.Image(bytes);
    const mapped = addon.mapImage(memory, WASM_PAGE, image);
    assert.equal(mapped.base, before);
    assertPristine(memory, bytes, WASM_PAGE);
    assert.equal(addon.snapshot(memory, WASM_PAGE, bytes.length).states.length, 32);
    assert.equal(
      addon.reset(memory, before, "madvise", 0, image, WASM_PAGE).bytesReset,
      2 * WASM_PAGE,
    );
    assertPristine(memory, bytes, WASM_PAGE);
  });
});

describe("dieWithParent", () => {
  // Only bad arguments here: a valid pid other than the parent's would end this process
  // (test/runner/orphan.test.ts checks that in processes of its own).
  test("a missing or non-number pid is a TypeError", () => {
    assert.throws(() => loose.dieWithParent!(), TypeError);
    assert.throws(() => loose.dieWithParent!(123, 456), TypeError);
    for (const value of ["123", 123n, null, undefined, {}]) {
      assert.throws(() => loose.dieWithParent!(value), TypeError, String(value));
    }
  });

  test("a number that is no pid of a parent is a RangeError", () => {
    for (const value of [0, 1, -5, 1.5, NaN, Infinity, 2 ** 40]) {
      assert.throws(() => addon.dieWithParent(value), RangeError, String(value));
    }
  });
});

describe("after all the rejections", () => {
  test("the addon still works", () => {
    const { memory, image, base } = memoryWithImage();
    writePage(memory, 0);
    addon.reset(memory, base, "madvise", 0, image, 0);
    assertPristine(memory, imageBytes(2), 0);
    assert.equal(typeof addon.probe().kernel, "string");
  });
});
