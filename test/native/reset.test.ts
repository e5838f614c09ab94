// `reset` with each of Wasmtime's strategies (wasmtime-cow.md §2.4-2.5) after the same
// pattern of reads and writes inside and outside the image: afterwards every byte must
// read back pristine (image bytes over the image, zero elsewhere), and residency and
// syscall counts must be what the strategy implies. Residency is snapshotted BEFORE the
// bytes are read back, since reading faults pages in again.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ResetOutcome } from "../../extension/runner/native-backend";
import {
  anonymousReadState,
  HOST_PAGE,
  WASM_PAGE,
  assertPristine,
  mappedMemory,
  oracleStates,
  pagesIn,
  readPage,
  requireBackend,
  SMALL,
  smallMapped,
  stateNames,
  writePage,
  type MappedMemory,
} from "../helpers/native";
import type { ResetStrategy } from "../../common/run-types";

const addon = requireBackend();

const { imageFirst: IMAGE_FIRST, imagePages: IMAGE_PAGES, memoryPages: MEMORY_PAGES } = SMALL;
const MEMORY_BYTES = 2 * WASM_PAGE;

// The write pattern: two image pages and three pages outside it, in address order.
const WRITTEN = [0, 5, 9, 20, 31];
const READ_IMAGE_PAGE = 7; // brings the image pages in by fault-around
const READ_ZERO_PAGE = 14;
const CLEAN_IMAGE_PAGE = 6; // never written
// Pages holding a private copy, in address order: the written ones, plus the page only
// read outside the image on a kernel that gives read faults a private zeroed page
// instead of the shared zero page (PAGEMAP_SCAN then reports it as written, too).
const DIRTY =
  anonymousReadState(addon) === "anonDirty"
    ? [...WRITTEN, READ_ZERO_PAGE].sort((a, b) => a - b)
    : WRITTEN;

function dirtied(seed = 3): MappedMemory {
  const m = smallMapped(addon, seed);
  for (const page of WRITTEN) writePage(m.memory, page, 0xee);
  assert.equal(readPage(m.memory, READ_ZERO_PAGE), 0);
  assert.ok(readPage(m.memory, READ_IMAGE_PAGE) > 0);
  return m;
}

function reset(m: MappedMemory, strategy: ResetStrategy, keep: number): ResetOutcome {
  return addon.reset(m.memory, m.base, strategy, keep, m.image, m.offset);
}

/** Page states now, checked against the raw pagemap oracle. */
function states(m: MappedMemory): string[] {
  const snapshot = addon.snapshot(m.memory, m.offset, m.bytes.length);
  const names = stateNames(snapshot.states);
  assert.deepEqual(names, oracleStates(addon, m.memory, m.offset, m.bytes.length));
  return names;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);

function assertImageStillMapped(m: MappedMemory): void {
  const page = CLEAN_IMAGE_PAGE;
  assert.equal(readPage(m.memory, page), m.bytes[(page - IMAGE_FIRST) * HOST_PAGE + 123]);
  assert.equal(states(m)[page], "imageClean", "the image stays mapped across resets");
}

describe("reset: madvise", () => {
  test("drops every page, restores image and zero, one madvise", () => {
    const m = dirtied();
    const outcome = reset(m, "madvise", 0);
    assert.equal(outcome.syscalls.madvise, 1);
    assert.equal(outcome.syscalls.mmap, 0);
    assert.equal(outcome.syscalls.ioctl, 0);
    assert.equal(outcome.syscalls.copies, 0);
    assert.equal(outcome.bytesResident, 0);
    assert.equal(outcome.pagesRestored, 0);
    assert.equal(outcome.bytesReset, MEMORY_BYTES);
    assert.equal(outcome.fellBack, null);
    const after = states(m);
    for (const page of DIRTY) assert.equal(after[page], "notPresent", `page ${page}`);
    // Nothing faulted between the reset and the snapshot: nothing at all is present.
    assert.deepEqual(
      pagesIn(addon.snapshot(m.memory, 0, 0).states, "notPresent"),
      range(0, MEMORY_PAGES),
    );
    assertPristine(m.memory, m.bytes, m.offset);
    assertImageStillMapped(m);
  });

  test("keepResident is ignored by madvise", () => {
    const m = dirtied();
    const outcome = reset(m, "madvise", 8 * HOST_PAGE);
    assert.equal(outcome.syscalls.madvise, 1);
    assert.equal(outcome.bytesResident, 0);
    assertPristine(m.memory, m.bytes, m.offset);
  });

  test("repeated cycles stay pristine", () => {
    const m = dirtied();
    for (let cycle = 0; cycle < 3; cycle++) {
      reset(m, "madvise", 0);
      assertPristine(m.memory, m.bytes, m.offset);
      for (const page of WRITTEN) writePage(m.memory, page, cycle + 1);
    }
  });
});

describe("reset: keep-resident", () => {
  // 0; part of the memory before the image; a cut through the image; the whole memory;
  // more than the memory (clamped).
  for (const keepPages of [0, 2, 6, MEMORY_PAGES, 4 * MEMORY_PAGES]) {
    test(`keepResident = ${keepPages} pages`, () => {
      const m = dirtied();
      const keep = keepPages * HOST_PAGE;
      const resident = Math.min(keepPages, MEMORY_PAGES);
      const outcome = reset(m, "keep-resident", keep);
      assert.equal(outcome.bytesResident, resident * HOST_PAGE);
      assert.equal(outcome.syscalls.madvise, resident < MEMORY_PAGES ? 1 : 0);
      assert.equal(outcome.syscalls.ioctl, 0);
      // One copy for the part of the image inside the kept range, if any.
      assert.equal(outcome.syscalls.copies, resident > IMAGE_FIRST ? 1 : 0);
      assert.equal(outcome.fellBack, null);
      const after = states(m);
      // The kept range was rewritten by hand: private pages, present.
      for (let page = 0; page < MEMORY_PAGES; page++) {
        const inImage = page >= IMAGE_FIRST && page < IMAGE_FIRST + IMAGE_PAGES;
        const expected = page >= resident ? "notPresent" : inImage ? "imageDirty" : "anonDirty";
        assert.equal(after[page], expected, `page ${page}`);
      }
      assertPristine(m.memory, m.bytes, m.offset);
      if (resident <= CLEAN_IMAGE_PAGE) assertImageStillMapped(m);
    });
  }
});

describe("reset: pagemap", () => {
  test("a budget covering every dirty page: restored in place, no madvise", () => {
    const m = dirtied();
    const before = states(m);
    const outcome = reset(m, "pagemap", MEMORY_BYTES);
    assert.equal(outcome.fellBack, null);
    assert.equal(outcome.pagesRestored, DIRTY.length);
    assert.equal(outcome.bytesResident, DIRTY.length * HOST_PAGE);
    assert.equal(outcome.syscalls.madvise, 0, "the walk covered the whole range");
    assert.ok(outcome.syscalls.ioctl >= 1);
    // Dirty image pages 5 and 9 are separate regions: one image copy each.
    assert.equal(outcome.syscalls.copies, 2);
    // Only dirty pages were touched: every page keeps its state.
    assert.deepEqual(states(m), before);
    assertPristine(m.memory, m.bytes, m.offset);
    assertImageStillMapped(m);
  });

  test("a budget of exactly the dirty page count still walks to the end", () => {
    const m = dirtied();
    const outcome = reset(m, "pagemap", DIRTY.length * HOST_PAGE);
    assert.equal(outcome.pagesRestored, DIRTY.length);
    assert.equal(outcome.syscalls.madvise, 0);
    assertPristine(m.memory, m.bytes, m.offset);
  });

  // Dirty pages in address order are 0, 5, 9, (14,) 20, 31: a budget of k pages restores
  // the first k of them and decommits everything from the next dirty page on.
  for (const budget of [1, 2, 4]) {
    test(`a budget of ${budget} page(s) restores the first ${budget} dirty pages`, () => {
      const m = dirtied();
      const outcome = reset(m, "pagemap", budget * HOST_PAGE);
      assert.equal(outcome.fellBack, null);
      assert.equal(outcome.pagesRestored, budget);
      assert.equal(outcome.bytesResident, budget * HOST_PAGE);
      assert.equal(outcome.syscalls.madvise, 1);
      assert.ok(outcome.syscalls.ioctl >= 1);
      const after = states(m);
      const restored = DIRTY.slice(0, budget);
      const firstDropped = DIRTY[budget]!;
      for (const page of restored) assert.match(after[page]!, /Dirty$/, `page ${page}`);
      for (const page of range(firstDropped, MEMORY_PAGES))
        assert.equal(after[page], "notPresent", `page ${page} should be decommitted`);
      assert.deepEqual(
        pagesIn(
          addon.snapshot(m.memory, m.offset, m.bytes.length).states,
          "imageDirty",
          "anonDirty",
        ),
        restored,
      );
      assertPristine(m.memory, m.bytes, m.offset);
    });
  }

  test("keepResident 0 falls back to one madvise", () => {
    const m = dirtied();
    const outcome = reset(m, "pagemap", 0);
    assert.notEqual(outcome.fellBack, null);
    assert.equal(outcome.syscalls.madvise, 1);
    assert.equal(outcome.syscalls.ioctl, 0);
    assert.equal(outcome.bytesResident, 0);
    assert.deepEqual(
      pagesIn(addon.snapshot(m.memory, 0, 0).states, "notPresent"),
      range(0, MEMORY_PAGES),
    );
    assertPristine(m.memory, m.bytes, m.offset);
  });

  test("more dirty regions than one ioctl reports: the walk resumes to the end", () => {
    // 80 wasm pages = 1280 host pages; every other page dirty = 640 separate regions.
    const m = mappedMemory(addon, { wasmPages: 80, imageOffset: 0, imagePages: 64 });
    const pages = (80 * WASM_PAGE) / HOST_PAGE;
    const dirty = range(0, pages).filter((page) => page % 2 === 0);
    for (const page of dirty) writePage(m.memory, page, 0x99);
    const outcome = addon.reset(m.memory, m.base, "pagemap", 80 * WASM_PAGE, m.image, 0);
    assert.equal(outcome.pagesRestored, dirty.length);
    assert.equal(outcome.syscalls.madvise, 0);
    assert.ok(outcome.syscalls.ioctl >= 2, "640 regions need more than one 512-region call");
    assertPristine(m.memory, m.bytes, 0);
  });

  test("a memory without an image resets to zero", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const base = addon.memoryBase(memory);
    writePage(memory, 3);
    writePage(memory, 9);
    const outcome = addon.reset(memory, base, "pagemap", WASM_PAGE, null, 0);
    assert.equal(outcome.pagesRestored, 2);
    assert.equal(outcome.syscalls.copies, 0);
    assertPristine(memory, null);
  });
});
