// The slot choice of Wasmtime's ModuleAffinityIndexAllocator (wasmtime-cow.md §3.2):
// affine picks take the most recently freed slot with the key; with fewer unused warm
// slots than the maximum, a cold slot before the least recently used warm one; at or
// past the maximum, the LRU warm slot before a cold one. Every expectation below is
// worked out by hand from those rules.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IndexAllocator, type Pick } from "../../extension/runner/index-allocator";

function alloc(allocator: IndexAllocator, key: string): Pick {
  const pick = allocator.alloc(key);
  assert.ok(pick, `alloc(${key}) found no slot`);
  return pick;
}

describe("IndexAllocator construction", () => {
  test("rejects empty pools and bad warm limits", () => {
    assert.throws(() => new IndexAllocator(0, 1), RangeError);
    assert.throws(() => new IndexAllocator(1.5, 1), RangeError);
    assert.throws(() => new IndexAllocator(2, -1), RangeError);
    assert.throws(() => new IndexAllocator(2, NaN), RangeError);
    assert.throws(() => new IndexAllocator(2, 0.5), RangeError);
  });

  test("starts with every slot cold and nothing resident", () => {
    const allocator = new IndexAllocator(3, 10);
    assert.equal(allocator.capacity, 3);
    for (let slot = 0; slot < 3; slot++) assert.deepEqual(allocator.entry(slot), { state: "cold" });
    assert.equal(allocator.unusedWarmSlots, 0);
    assert.equal(allocator.unusedBytesResident, 0);
  });
});

describe("alloc", () => {
  test("cold slots are handed out in index order", () => {
    const allocator = new IndexAllocator(4, 10);
    assert.deepEqual(alloc(allocator, "a"), { slot: 0, kind: "cold", previousAffinity: null });
    assert.deepEqual(alloc(allocator, "b"), { slot: 1, kind: "cold", previousAffinity: null });
    assert.deepEqual(alloc(allocator, "a"), { slot: 2, kind: "cold", previousAffinity: null });
    assert.deepEqual(allocator.entry(2), { state: "used", affinity: "a" });
  });

  test("an affine pick takes the most recently freed slot with the key", () => {
    const allocator = new IndexAllocator(5, 10);
    for (const key of ["a", "a", "b", "a"]) alloc(allocator, key); // slots 0..3
    allocator.free(0, 0);
    allocator.free(2, 0); // b
    allocator.free(3, 0);
    allocator.free(1, 0); // warm, oldest first: 0(a) 2(b) 3(a) 1(a)
    assert.deepEqual(alloc(allocator, "a"), { slot: 1, kind: "affine", previousAffinity: "a" });
    assert.deepEqual(alloc(allocator, "a"), { slot: 3, kind: "affine", previousAffinity: "a" });
    assert.deepEqual(alloc(allocator, "b"), { slot: 2, kind: "affine", previousAffinity: "b" });
    assert.deepEqual(alloc(allocator, "a"), { slot: 0, kind: "affine", previousAffinity: "a" });
    // No warm slot with "a" left and no warm slot at all (0 < 10): a cold one.
    assert.deepEqual(alloc(allocator, "a"), { slot: 4, kind: "cold", previousAffinity: null });
  });

  test("affinity wins even past the warm limit", () => {
    const allocator = new IndexAllocator(3, 0);
    alloc(allocator, "a"); // 0
    alloc(allocator, "b"); // 1
    allocator.free(0, 0);
    allocator.free(1, 0); // warm: 0(a) 1(b)
    assert.deepEqual(alloc(allocator, "b"), { slot: 1, kind: "affine", previousAffinity: "b" });
  });

  test("below the warm limit: a cold slot before the LRU warm slot", () => {
    const allocator = new IndexAllocator(3, 2);
    alloc(allocator, "a"); // 0
    allocator.free(0, 0); // 1 warm < 2
    assert.deepEqual(alloc(allocator, "b"), { slot: 1, kind: "cold", previousAffinity: null });
    assert.deepEqual(alloc(allocator, "c"), { slot: 2, kind: "cold", previousAffinity: null });
    // Cold slots are gone: the LRU warm slot, stealing a's.
    assert.deepEqual(alloc(allocator, "d"), { slot: 0, kind: "warm", previousAffinity: "a" });
    assert.equal(allocator.alloc("e"), null);
  });

  test("at the warm limit: the LRU warm slot before a cold one", () => {
    const allocator = new IndexAllocator(4, 2);
    alloc(allocator, "a"); // 0
    alloc(allocator, "b"); // 1
    allocator.free(1, 0);
    allocator.free(0, 0); // warm, oldest first: 1(b) 0(a); 2 warm, not < 2
    assert.deepEqual(alloc(allocator, "c"), { slot: 1, kind: "warm", previousAffinity: "b" });
    // Now 1 warm < 2: cold first again.
    assert.deepEqual(alloc(allocator, "d"), { slot: 2, kind: "cold", previousAffinity: null });
    assert.deepEqual(allocator.entry(1), { state: "used", affinity: "c" });
  });

  test("past the warm limit: LRU warm slots until none is left, then cold", () => {
    const allocator = new IndexAllocator(4, 1);
    for (const key of ["a", "b", "c"]) alloc(allocator, key); // 0 1 2
    allocator.free(0, 0);
    allocator.free(1, 0);
    allocator.free(2, 0); // warm: 0 1 2 (3 ≥ 1)
    assert.deepEqual(alloc(allocator, "x"), { slot: 0, kind: "warm", previousAffinity: "a" });
    assert.deepEqual(alloc(allocator, "y"), { slot: 1, kind: "warm", previousAffinity: "b" });
    // One warm slot left, 1 is not < 1: still warm first.
    assert.deepEqual(alloc(allocator, "z"), { slot: 2, kind: "warm", previousAffinity: "c" });
    assert.deepEqual(alloc(allocator, "w"), { slot: 3, kind: "cold", previousAffinity: null });
    assert.equal(allocator.alloc("v"), null, "exhausted");
  });

  test("LRU order is the order of frees, not of allocations", () => {
    const allocator = new IndexAllocator(3, 0);
    alloc(allocator, "a"); // 0
    alloc(allocator, "b"); // 1
    alloc(allocator, "c"); // 2
    allocator.free(2, 0);
    allocator.free(0, 0);
    allocator.free(1, 0);
    assert.equal(alloc(allocator, "x").slot, 2);
    assert.equal(alloc(allocator, "y").slot, 0);
    assert.equal(alloc(allocator, "z").slot, 1);
  });

  test("max 0 recycles warm slots: the slots ever used equal the peak concurrency", () => {
    const allocator = new IndexAllocator(8, 0);
    const everUsed = new Set<number>();
    for (let round = 0; round < 10; round++) {
      // Three instances of three new modules at a time: never an affine hit.
      const picks = [0, 1, 2].map((i) => alloc(allocator, `m${round}-${i}`));
      for (const pick of picks) {
        everUsed.add(pick.slot);
        if (round > 0) assert.equal(pick.kind, "warm");
      }
      for (const pick of picks) allocator.free(pick.slot, 0);
    }
    assert.deepEqual(
      [...everUsed].sort((x, y) => x - y),
      [0, 1, 2],
    );
  });

  test("a large warm limit prefers cold slots: new modules touch new slots", () => {
    const allocator = new IndexAllocator(8, 100);
    const everUsed = new Set<number>();
    for (let round = 0; round < 4; round++) {
      const picks = [0, 1].map((i) => alloc(allocator, `m${round}-${i}`));
      for (const pick of picks) everUsed.add(pick.slot);
      for (const pick of picks) allocator.free(pick.slot, 0);
    }
    assert.deepEqual(
      [...everUsed].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
  });

  test("exhaustion returns null until a slot is freed", () => {
    const allocator = new IndexAllocator(2, 1);
    alloc(allocator, "a");
    alloc(allocator, "a");
    assert.equal(allocator.alloc("a"), null);
    assert.equal(allocator.alloc("b"), null);
    allocator.free(1, 0);
    assert.deepEqual(alloc(allocator, "b"), { slot: 1, kind: "warm", previousAffinity: "a" });
  });
});

describe("free", () => {
  test("a slot that is not in use cannot be freed", () => {
    const allocator = new IndexAllocator(3, 1);
    assert.throws(() => allocator.free(0, 0), /not in use/, "a cold slot");
    alloc(allocator, "a");
    allocator.free(0, 0);
    assert.throws(() => allocator.free(0, 0), /not in use/, "a double free");
    assert.throws(() => allocator.free(3, 0), /not in use/, "past the end");
    assert.throws(() => allocator.free(-1, 0), /not in use/, "negative");
    assert.equal(allocator.unusedWarmSlots, 1, "failed frees changed nothing");
  });

  test("a freed slot is warm with its key and its resident bytes", () => {
    const allocator = new IndexAllocator(2, 1);
    alloc(allocator, "a");
    allocator.free(0, 8192);
    assert.deepEqual(allocator.entry(0), { state: "warm", affinity: "a", bytesResident: 8192 });
  });
});

describe("bookkeeping", () => {
  test("unusedBytesResident sums warm slots only", () => {
    const allocator = new IndexAllocator(4, 10);
    for (const key of ["a", "b", "c"]) alloc(allocator, key);
    allocator.free(0, 4096);
    allocator.free(1, 65536);
    assert.equal(allocator.unusedBytesResident, 69632);
    assert.equal(allocator.unusedWarmSlots, 2);
    alloc(allocator, "b"); // affine: slot 1 leaves the warm set
    assert.equal(allocator.unusedBytesResident, 4096);
    assert.equal(allocator.unusedWarmSlots, 1);
    allocator.free(2, 0);
    allocator.free(1, 12288);
    assert.equal(allocator.unusedBytesResident, 16384);
    assert.equal(allocator.unusedWarmSlots, 3);
  });

  test("warmSlotsWith lists the key's warm slots, least recently freed first", () => {
    const allocator = new IndexAllocator(5, 10);
    for (const key of ["a", "b", "a", "a", "a"]) alloc(allocator, key);
    allocator.free(3, 0);
    allocator.free(1, 0);
    allocator.free(0, 0);
    // Slots 2 and 4 are still in use.
    assert.deepEqual(allocator.warmSlotsWith("a"), [3, 0]);
    assert.deepEqual(allocator.warmSlotsWith("b"), [1]);
    assert.deepEqual(allocator.warmSlotsWith("c"), []);
  });

  test("makeCold forgets a warm slot's affinity and resident bytes", () => {
    const allocator = new IndexAllocator(3, 10);
    alloc(allocator, "a"); // 0
    alloc(allocator, "b"); // 1
    allocator.free(0, 4096);
    allocator.free(1, 8192);
    allocator.makeCold(0);
    assert.deepEqual(allocator.entry(0), { state: "cold" });
    assert.equal(allocator.unusedWarmSlots, 1);
    assert.equal(allocator.unusedBytesResident, 8192);
    assert.deepEqual(allocator.warmSlotsWith("a"), []);
    // "a" has no warm slot left: a cold pick, and cold slots go in index order.
    assert.deepEqual(alloc(allocator, "a"), { slot: 0, kind: "cold", previousAffinity: null });
    assert.throws(() => allocator.makeCold(0), /in use/);
    allocator.makeCold(2); // already cold: no change
    assert.deepEqual(allocator.entry(2), { state: "cold" });
    assert.equal(allocator.unusedWarmSlots, 1);
  });
});
