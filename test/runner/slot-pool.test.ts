// SlotPool with the real addon: acquire/map/release cycles as Wasmtime's pooling
// allocator runs them (wasmtime-cow.md §2.2, §2.6, §3.2). Same module again: an affine
// slot whose image is still mapped (no syscall at all). Another module: one anonymous
// remap of the old image range plus one mmap of the new image. Different limits or a
// grown memory: a fresh V8 memory, with the reason recorded. Slots served by
// userfaultfd: one registration per module, kept across affine reuse, swapped with a
// mapping when the slot changes hands. After every release the memory must hold
// pristine contents: the image's bytes and zeros.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NativeImage } from "../../extension/runner/native-backend";
import {
  SlotPool,
  type Acquired,
  type ImageSource,
  type SlotRequest,
} from "../../extension/runner/slot-pool";
import {
  HOST_PAGE,
  WASM_PAGE,
  assertPristine,
  imageBytes,
  readPage,
  requireBackend,
  writePage,
} from "../helpers/native";
import type { ResetStrategy } from "../../common/run-types";

const addon = requireBackend();

interface Module {
  request: SlotRequest;
  bytes: Uint8Array | null;
}

function moduleWith(
  key: string,
  options: {
    pages?: number;
    maximum?: number | null;
    image?: [offset: number, pages: number];
    source?: ImageSource;
  },
): Module {
  const [offset, pages] = options.image ?? [0, 0];
  const bytes = options.image ? imageBytes(pages, key.length * 13 + offset / HOST_PAGE) : null;
  const native: NativeImage | null = bytes ? new addon.Image(bytes) : null;
  return {
    request: {
      key,
      limits: { initialPages: options.pages ?? 1, maximumPages: options.maximum ?? null },
      image: native ? { native, offset } : null,
      source: options.source ?? "mapping",
    },
    bytes,
  };
}

const A = () => moduleWith("A", { image: [4 * HOST_PAGE, 2] });
const B = () => moduleWith("B", { image: [2 * HOST_PAGE, 3] });

function assertPristineFor(pool: SlotPool, slot: number, module: Module): void {
  assertPristine(pool.memoryOf(slot), module.bytes, module.request.image?.offset ?? 0);
}

/** What an instance does: writes inside and outside the image. */
function dirty(memory: WebAssembly.Memory): void {
  for (const page of [0, 3, 4, 5, 7, 15]) writePage(memory, page, 0xc3);
}

/** One instance's life on the pool: acquire, map, dirty, release (madvise). */
function runOnce(pool: SlotPool, module: Module): Acquired {
  const acquired = pool.acquire(module.request);
  pool.map(acquired.slot, module.request);
  dirty(acquired.memory);
  pool.release(acquired.slot, "madvise", 0);
  return acquired;
}

const ZERO_SYSCALLS = { mmap: 0, mprotect: 0, madvise: 0, ioctl: 0, copies: 0 };

describe("SlotPool: reuse by the same module", () => {
  test("the second acquire is affine and finds the image still mapped", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = A();
    const first = pool.acquire(a.request);
    assert.equal(first.slot, 0);
    assert.equal(first.pick, "cold");
    assert.equal(first.retired, null);
    assert.equal(first.memory.buffer.byteLength, WASM_PAGE);
    const mapped = pool.map(first.slot, a.request);
    assert.equal(mapped.alreadyMapped, false);
    assert.equal(mapped.syscalls.mmap, 1);
    assertPristineFor(pool, 0, a);

    dirty(first.memory);
    const released = pool.release(0, "madvise", 0);
    assert.equal(released.retired, null);
    assert.equal(released.reset.syscalls.madvise, 1);
    assert.deepEqual(
      pool.views().map((v) => [v.state, v.affinity, v.imageMapped]),
      [["warm", "A", true]],
    );

    const second = pool.acquire(a.request);
    assert.equal(second.pick, "affine");
    assert.equal(second.memory, first.memory, "the same V8 memory is reused");
    assert.equal(second.retired, null);
    const again = pool.map(second.slot, a.request);
    assert.equal(again.alreadyMapped, true);
    assert.deepEqual(again.syscalls, ZERO_SYSCALLS);
    assertPristineFor(pool, 0, a);
  });

  for (const [strategy, keep] of [
    ["madvise", 0],
    ["keep-resident", 6 * HOST_PAGE],
    ["keep-resident", WASM_PAGE],
    ["pagemap", WASM_PAGE],
    ["pagemap", HOST_PAGE],
  ] as [ResetStrategy, number][]) {
    test(`release with ${strategy} (keep ${keep}) leaves pristine memory, cycle after cycle`, () => {
      const pool = new SlotPool(addon, 1, 10);
      const a = A();
      for (let cycle = 0; cycle < 3; cycle++) {
        const { slot, memory } = pool.acquire(a.request);
        pool.map(slot, a.request);
        assertPristineFor(pool, slot, a);
        dirty(memory);
        const { reset, retired } = pool.release(slot, strategy, keep);
        assert.equal(retired, null);
        assertPristineFor(pool, slot, a);
        assert.equal(pool.views()[slot]!.bytesResident, reset.bytesResident);
      }
    });
  }
});

describe("SlotPool: another module on the slot", () => {
  test("a warm pick; map removes the old image and maps the new one (2 mmaps)", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = A();
    const b = B();
    const first = runOnce(pool, a);

    const second = pool.acquire(b.request);
    assert.equal(second.pick, "warm");
    assert.equal(second.retired, null);
    assert.equal(second.memory, first.memory, "same limits: the memory is kept");
    const mapped = pool.map(second.slot, b.request);
    assert.equal(mapped.alreadyMapped, false);
    assert.equal(mapped.syscalls.mmap, 2, "one anonymous remap + one image mmap");
    assert.equal(mapped.syscalls.madvise, 0);
    assert.equal(pool.mappedImage(second.slot)?.native, b.request.image!.native);
    // Not a byte of A's image is left, even where B's image does not reach.
    assertPristineFor(pool, second.slot, b);

    // And back to A: again a warm pick with a remap.
    dirty(second.memory);
    pool.release(second.slot, "pagemap", WASM_PAGE);
    assertPristineFor(pool, second.slot, b);
    const third = pool.acquire(a.request);
    assert.equal(third.pick, "warm");
    assert.equal(pool.map(third.slot, a.request).syscalls.mmap, 2);
    assertPristineFor(pool, third.slot, a);
  });

  test("a module without an image gets the old image removed", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = A();
    const plain = moduleWith("plain", {});
    const first = pool.acquire(a.request);
    pool.map(first.slot, a.request);
    pool.release(first.slot, "madvise", 0);
    const second = pool.acquire(plain.request);
    const mapped = pool.map(second.slot, plain.request);
    assert.equal(mapped.syscalls.mmap, 1, "only the anonymous remap");
    assert.equal(pool.mappedImage(second.slot), null);
    assertPristine(second.memory, null);
  });

  test("with free cold slots, another module takes a cold slot and the warm one stays", () => {
    const pool = new SlotPool(addon, 2, 10);
    const a = A();
    const b = B();
    const first = pool.acquire(a.request);
    pool.map(first.slot, a.request);
    pool.release(first.slot, "madvise", 0);
    const second = pool.acquire(b.request);
    assert.equal(second.slot, 1);
    assert.equal(second.pick, "cold");
    assert.deepEqual(
      pool.views().map((v) => [v.state, v.affinity]),
      [
        ["warm", "A"],
        ["in-use", "B"],
      ],
    );
  });
});

describe("SlotPool: memories that cannot be reused", () => {
  test("a module with more initial pages gets a new memory and the reason", () => {
    const pool = new SlotPool(addon, 1, 10);
    const small = moduleWith("small", { pages: 1, image: [0, 1] });
    const big = moduleWith("big", { pages: 2, image: [WASM_PAGE, 1] });
    const first = pool.acquire(small.request);
    pool.map(first.slot, small.request);
    pool.release(first.slot, "madvise", 0);

    const second = pool.acquire(big.request);
    assert.notEqual(second.memory, first.memory);
    assert.equal(second.memory.buffer.byteLength, 2 * WASM_PAGE);
    assert.ok(second.retired, "the old memory was retired");
    assert.equal(second.retired.slot, 0);
    assert.match(second.retired.reason, /\b1 pages?\b/);
    assert.match(second.retired.reason, /\b2\b/);
    const mapped = pool.map(second.slot, big.request);
    assert.equal(mapped.syscalls.mmap, 1, "a fresh memory has nothing to unmap");
    assertPristineFor(pool, second.slot, big);
    assert.equal(pool.views()[0]!.retirements, 1);
  });

  test("a module with fewer initial pages cannot shrink the memory either", () => {
    const pool = new SlotPool(addon, 1, 10);
    const big = moduleWith("big", { pages: 3 });
    const small = moduleWith("small", { pages: 1 });
    pool.release(pool.acquire(big.request).slot, "madvise", 0);
    const second = pool.acquire(small.request);
    assert.equal(second.memory.buffer.byteLength, WASM_PAGE);
    assert.match(second.retired?.reason ?? "", /\b3 pages\b/);
  });

  test("a module with another maximum gets a new memory and the reason", () => {
    const pool = new SlotPool(addon, 1, 10);
    const bounded = moduleWith("bounded", { maximum: 4 });
    const unbounded = moduleWith("unbounded", { maximum: null });
    pool.release(pool.acquire(bounded.request).slot, "madvise", 0);
    const second = pool.acquire(unbounded.request);
    assert.match(second.retired?.reason ?? "", /maximum/);
    assert.match(second.retired?.reason ?? "", /\b4\b/);
    // The new memory has no maximum: it grows past the old limit of 4 pages.
    assert.equal(second.memory.grow(4), 1);
  });

  test("an instance that grew the memory retires the slot on release", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = A();
    const first = pool.acquire(a.request);
    pool.map(first.slot, a.request);
    first.memory.grow(1);
    dirty(first.memory);
    writePage(first.memory, 20);
    const released = pool.release(first.slot, "madvise", 0);
    assert.ok(released.retired, "a grown memory cannot serve the next instance");
    assert.match(released.retired.reason, /grew/);
    assert.match(released.retired.reason, /\b1\b/);
    assert.match(released.retired.reason, /\b2\b/);
    assert.deepEqual(
      pool.views().map((v) => [v.state, v.affinity, v.accessibleBytes, v.imageMapped]),
      [["cold", null, 0, false]],
    );

    const next = pool.acquire(a.request);
    assert.equal(next.pick, "cold");
    assert.notEqual(next.memory, first.memory);
    assert.equal(next.memory.buffer.byteLength, WASM_PAGE);
    const mapped = pool.map(next.slot, a.request);
    assert.equal(mapped.alreadyMapped, false);
    assert.equal(mapped.syscalls.mmap, 1);
    assertPristineFor(pool, next.slot, a);
  });
});

describe("SlotPool: purge and exhaustion", () => {
  test("purge(key) makes the key's warm slots cold and leaves the rest", () => {
    const pool = new SlotPool(addon, 4, 10);
    const a = A();
    const b = B();
    const s0 = pool.acquire(a.request).slot;
    const s1 = pool.acquire(a.request).slot;
    const s2 = pool.acquire(b.request).slot;
    const s3 = pool.acquire(a.request).slot;
    for (const slot of [s0, s1, s2, s3]) pool.map(slot, slot === s2 ? b.request : a.request);
    for (const slot of [s0, s1, s2]) pool.release(slot, "madvise", 0);

    const retired = pool.purge("A");
    assert.deepEqual(retired.map((r) => r.slot).sort(), [s0, s1]);
    for (const r of retired) assert.ok(r.reason.length > 0);
    assert.deepEqual(
      pool.views().map((v) => [v.state, v.affinity, v.imageMapped]),
      [
        ["cold", null, false],
        ["cold", null, false],
        ["warm", "B", true],
        ["in-use", "A", true],
      ],
    );
    assert.deepEqual(pool.purge("A"), [], "nothing warm with A is left");
    // A comes back: no affine slot, a cold one with a new memory.
    const again = pool.acquire(a.request);
    assert.equal(again.pick, "cold");
    assert.equal(again.slot, 0);
    assertPristine(again.memory, null); // not mapped yet: all zero
  });

  test("acquire throws when every slot is in use, and works again after a release", () => {
    const pool = new SlotPool(addon, 2, 10);
    const a = A();
    const first = pool.acquire(a.request);
    pool.acquire(a.request);
    assert.throws(() => pool.acquire(a.request), /exhausted/);
    pool.release(first.slot, "madvise", 0);
    assert.equal(pool.acquire(a.request).pick, "affine");
  });
});

describe("SlotPool: failures do not leak slots", () => {
  test("an acquire that cannot create the memory does not leak the slot", () => {
    // V8 refuses the memory (here: initial above maximum; in practice also when address
    // space runs out). The slot picked for it must not stay "in use" forever.
    const pool = new SlotPool(addon, 1, 10);
    const impossible = moduleWith("impossible", { pages: 2, maximum: 1 });
    assert.throws(() => pool.acquire(impossible.request), RangeError);
    assert.notEqual(pool.views()[0]!.state, "in-use");
    const a = A();
    const acquired = pool.acquire(a.request);
    assert.equal(acquired.slot, 0);
  });

  test("a slot whose image was released while in use still comes back", () => {
    // The session releases a module's images when the module is unloaded or reloaded;
    // an instance of it may still hold a slot. Releasing that slot must not leak it.
    const pool = new SlotPool(addon, 1, 10);
    const a = A();
    const { slot, memory } = pool.acquire(a.request);
    pool.map(slot, a.request);
    dirty(memory);
    a.request.image!.native.release();
    try {
      pool.release(slot, "madvise", 0);
    } catch (error) {
      assert.fail(`release threw: ${(error as Error).message}`);
    }
    assert.notEqual(pool.views()[slot]!.state, "in-use");
    const b = B();
    const next = pool.acquire(b.request);
    pool.map(next.slot, b.request);
    assertPristineFor(pool, next.slot, b);
  });
});

describe("SlotPool: slots served by userfaultfd", () => {
  const UA = () => moduleWith("A", { image: [4 * HOST_PAGE, 2], source: "userfaultfd" });

  for (const [strategy, keep] of [
    ["madvise", 0],
    ["pagemap", WASM_PAGE],
    ["keep-resident", 6 * HOST_PAGE],
  ] as [ResetStrategy, number][]) {
    test(`registered once, reused affinely, pristine after each ${strategy} reset`, () => {
      const pool = new SlotPool(addon, 1, 10);
      const a = UA();
      for (let cycle = 0; cycle < 3; cycle++) {
        const { slot, memory, pick } = pool.acquire(a.request);
        assert.equal(pick, cycle === 0 ? "cold" : "affine");
        const mapped = pool.map(slot, a.request);
        assert.equal(mapped.alreadyMapped, cycle > 0);
        assert.deepEqual(
          mapped.syscalls,
          cycle === 0 ? { ...ZERO_SYSCALLS, ioctl: 1 } : ZERO_SYSCALLS,
        );
        assertPristineFor(pool, slot, a);
        dirty(memory);
        pool.release(slot, strategy, keep);
        assertPristineFor(pool, slot, a);
      }
      assert.deepEqual(
        pool.views().map((v) => [v.state, v.imageMapped, v.userfaultfd]),
        [["warm", false, true]],
      );
    });
  }

  test("the faults of each stretch are counted once: since the last read", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = UA();
    const { slot, memory } = pool.acquire(a.request);
    pool.map(slot, a.request);
    assert.equal(pool.userfaultsSinceLastRead(slot).faults, 0);
    writePage(memory, 4); // in the image
    writePage(memory, 9); // outside it
    const first = pool.userfaultsSinceLastRead(slot);
    assert.deepEqual([first.faults, first.copies, first.zeroPages], [2, 1, 1]);
    assert.equal(pool.userfaultsSinceLastRead(slot).faults, 0, "nothing new");
    pool.release(slot, "madvise", 0);
    readPage(pool.memoryOf(slot), 4);
    assert.equal(pool.userfaultsSinceLastRead(slot).copies, 1, "the reset page faults again");
  });

  test("a slot changes hands between userfaultfd and a mapped image, pristine both ways", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = UA();
    const b = B();
    runOnce(pool, a);

    const second = pool.acquire(b.request);
    assert.equal(second.pick, "warm");
    const mapped = pool.map(second.slot, b.request);
    assert.deepEqual(
      [mapped.syscalls.ioctl, mapped.syscalls.mmap],
      [1, 1],
      "the registration ends, then the image is mapped",
    );
    assert.equal(pool.servedByUserfaultfd(second.slot), false);
    assertPristineFor(pool, second.slot, b);
    dirty(second.memory);
    pool.release(second.slot, "madvise", 0);

    const third = pool.acquire(a.request);
    const registered = pool.map(third.slot, a.request);
    assert.deepEqual(
      [registered.syscalls.mmap, registered.syscalls.ioctl],
      [1, 1],
      "B's image is unmapped, then the memory registered",
    );
    assert.equal(pool.servedByUserfaultfd(third.slot), true);
    assertPristineFor(pool, third.slot, a);
  });

  test("the same module through a mapping instead is not an affine reuse of the registration", () => {
    const pool = new SlotPool(addon, 1, 10);
    const a = UA();
    const { slot } = pool.acquire(a.request);
    pool.map(slot, a.request);
    pool.release(slot, "madvise", 0);
    const mappedA = { ...a.request, source: "mapping" as const };
    pool.acquire(mappedA);
    assert.equal(pool.map(slot, mappedA).alreadyMapped, false);
    assert.equal(pool.views()[slot]!.imageMapped, true);
    assertPristineFor(pool, slot, a);
  });
});
