// Page states reported by `snapshot` against what the kernel actually did, for small
// memories with an image mapped in the middle (linux-memory-facts.md's table). Every
// scenario is also checked against raw /proc/self/pagemap entries decoded here, with
// /proc/kpageflags telling the shared zero page apart: that is the independent oracle.
// Read faults on the image map neighbouring page-cache pages too ("fault-around"), so
// reads are only asserted for the page touched and for pages outside the image.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countPageStates, pageCountsOf, PAGE_STATES } from "../../common/page-states";
import {
  anonymousReadState,
  HOST_PAGE,
  frameMapCount,
  mappedMemory,
  oracleStates,
  pagesIn,
  rawPages,
  readPage,
  requireBackend,
  SMALL,
  smallMapped,
  stateNames,
  writePage,
  type MappedMemory,
} from "../helpers/native";

const addon = requireBackend();
const PROBE = addon.probe();
/** "zero", or "anonDirty" on a kernel that gives read faults a private page. */
const READ_STATE = anonymousReadState(addon);

const {
  imageFirst: IMAGE_FIRST,
  imagePages: IMAGE_PAGES,
  imageEnd: IMAGE_END,
  memoryPages: MEMORY_PAGES,
} = SMALL;

function fresh(seed = 1): MappedMemory {
  return smallMapped(addon, seed);
}

function snap(m: MappedMemory) {
  const snapshot = addon.snapshot(m.memory, m.offset, m.bytes.length);
  // Every snapshot must agree page by page with the raw pagemap decoded here.
  assert.deepEqual(
    stateNames(snapshot.states),
    oracleStates(addon, m.memory, m.offset, m.bytes.length),
    "snapshot disagrees with the raw /proc/self/pagemap oracle",
  );
  assert.deepEqual(pageCountsOf(snapshot.tally), countPageStates(snapshot.states));
  assert.equal(snapshot.method, PROBE.pagemapScan ? "pagemap-scan" : "pagemap");
  // Without the per-page states: the same counts and sharing.
  const counted = addon.snapshot(m.memory, m.offset, m.bytes.length, false);
  assert.equal(counted.states, null);
  assert.equal(counted.imageFrames, null, "counts only: no frames either");
  assert.deepEqual(
    [counted.tally, counted.imageSharedPages, counted.imageExclusivePages],
    [snapshot.tally, snapshot.imageSharedPages, snapshot.imageExclusivePages],
  );
  return snapshot;
}

const isImagePage = (page: number): boolean => page >= IMAGE_FIRST && page < IMAGE_END;

describe("snapshot page states", () => {
  test("a freshly mapped, untouched memory has no present page", () => {
    const m = fresh();
    const snapshot = snap(m);
    assert.equal(snapshot.states.length, MEMORY_PAGES);
    assert.deepEqual(pagesIn(snapshot.states, "notPresent").length, MEMORY_PAGES);
    assert.equal(snapshot.imageSharedPages + snapshot.imageExclusivePages, 0);
  });

  test("reading an image page makes it imageClean with the image's byte", () => {
    const m = fresh();
    const page = IMAGE_FIRST + 3;
    assert.equal(readPage(m.memory, page), m.bytes[(page - IMAGE_FIRST) * HOST_PAGE + 123]);
    const snapshot = snap(m);
    assert.equal(stateNames(snapshot.states)[page], "imageClean");
    // Fault-around may map more image pages, never pages outside the image.
    for (const clean of pagesIn(snapshot.states, "imageClean")) assert.ok(isImagePage(clean));
    assert.deepEqual(pagesIn(snapshot.states, "imageDirty", "anonDirty", "zero"), []);
    // One mapping only: the clean pages are exclusive.
    assert.equal(snapshot.imageSharedPages, 0);
    assert.equal(snapshot.imageExclusivePages, pagesIn(snapshot.states, "imageClean").length);
  });

  test("writing an image page makes exactly that page imageDirty", () => {
    const m = fresh();
    const page = IMAGE_FIRST + 5;
    writePage(m.memory, page, 0x42);
    const snapshot = snap(m);
    assert.deepEqual(pagesIn(snapshot.states, "imageDirty"), [page]);
    assert.deepEqual(pagesIn(snapshot.states, "anonDirty", "zero"), []);
    // The rest of the page was copied from the image.
    const all = new Uint8Array(m.memory.buffer);
    const at = (page - IMAGE_FIRST) * HOST_PAGE;
    assert.equal(all[page * HOST_PAGE], m.bytes[at]);
    assert.equal(all[page * HOST_PAGE + 321], 0x42);
  });

  test("writing outside the image makes exactly that page anonDirty", () => {
    const m = fresh();
    const page = 20;
    writePage(m.memory, page);
    const snapshot = snap(m);
    assert.deepEqual(pagesIn(snapshot.states, "anonDirty"), [page]);
    assert.deepEqual(pagesIn(snapshot.states, "imageDirty", "imageClean", "zero"), []);
  });

  test("reading outside the image maps the kernel's read-fault page, and only there", () => {
    const m = fresh();
    assert.equal(readPage(m.memory, 1), 0);
    assert.equal(readPage(m.memory, 30), 0);
    const snapshot = snap(m);
    assert.deepEqual(pagesIn(snapshot.states, READ_STATE), [1, 30]);
    assert.deepEqual(
      pagesIn(snapshot.states, "imageClean", "imageDirty", "zero", "anonDirty"),
      [1, 30],
    );
  });

  test("a mix of reads and writes: counts add up to the memory's pages", () => {
    const m = fresh();
    writePage(m.memory, 0);
    writePage(m.memory, IMAGE_FIRST);
    writePage(m.memory, IMAGE_END - 1);
    let sum = readPage(m.memory, IMAGE_FIRST + 2) + readPage(m.memory, 15);
    writePage(m.memory, MEMORY_PAGES - 1);
    sum += readPage(m.memory, 16);
    assert.ok(sum > 0);
    const snapshot = snap(m);
    const counts = countPageStates(snapshot.states);
    const total = PAGE_STATES.reduce((acc, name) => acc + counts[name], 0);
    assert.equal(total, MEMORY_PAGES);
    const written = [0, MEMORY_PAGES - 1];
    const read = [15, 16];
    assert.deepEqual(
      pagesIn(snapshot.states, "anonDirty"),
      READ_STATE === "anonDirty" ? [0, ...read, MEMORY_PAGES - 1] : written,
    );
    assert.deepEqual(pagesIn(snapshot.states, "imageDirty"), [IMAGE_FIRST, IMAGE_END - 1]);
    assert.deepEqual(pagesIn(snapshot.states, "zero"), READ_STATE === "zero" ? read : []);
    assert.equal(stateNames(snapshot.states)[IMAGE_FIRST + 2], "imageClean");
    assert.equal(counts.swapped, 0);
  });

  test("the snapshot's image statistics only look at the image range", () => {
    const m = fresh();
    writePage(m.memory, 2);
    assert.equal(readPage(m.memory, 3), 0);
    const snapshot = snap(m);
    assert.equal(snapshot.imageFrames, null, "no clean image page, no frames");
    assert.equal(snapshot.imageSharedPages + snapshot.imageExclusivePages, 0);
    readPage(m.memory, IMAGE_FIRST); // now one image page is clean
    const after = snap(m);
    assert.equal(after.imageFrames?.length, IMAGE_PAGES);
    assert.notEqual(after.imageFrames[0], 0n);
    // The native tally counts the states it returns.
    assert.deepEqual(pageCountsOf(after.tally), countPageStates(after.states));
    assert.ok(after.tally[2]! >= 1, "clean image pages (the read, and fault-around)");
  });
});

describe("two memories mapping the same Image", () => {
  test("share one page-cache page per image page until one of them writes it", () => {
    const a = fresh(7);
    const b = mappedMemory(addon, {
      wasmPages: 2,
      imageOffset: a.offset,
      imagePages: IMAGE_PAGES,
      shared: { image: a.image, bytes: a.bytes },
    });
    const page = IMAGE_FIRST + 2;
    const i = page - IMAGE_FIRST;
    assert.equal(readPage(a.memory, page), readPage(b.memory, page));

    const sa = snap(a);
    const sb = snap(b);
    assert.equal(stateNames(sa.states)[page], "imageClean");
    assert.equal(stateNames(sb.states)[page], "imageClean");
    assert.ok(sa.imageFrames && sb.imageFrames, "frames are readable as root");
    const frame = sa.imageFrames[i]!;
    assert.ok(frame > 0n);
    assert.equal(sb.imageFrames[i], frame, "both memories map the same frame");
    assert.ok(sa.imageSharedPages >= 1 && sb.imageSharedPages >= 1);
    // Oracle: the raw entries say "not exclusive", and the kernel counts two mappings.
    const rawA = rawPages(addon, a.memory)[page]!;
    assert.equal(rawA.pfn, frame);
    assert.equal(rawA.exclusive, false);
    assert.ok(frameMapCount(frame) >= 2n);

    writePage(a.memory, page, 0x17);
    const after = snap(a);
    const other = snap(b);
    assert.equal(stateNames(after.states)[page], "imageDirty");
    assert.equal(after.imageFrames![i], 0n, "a dirty page has no clean frame");
    const dirty = rawPages(addon, a.memory)[page]!;
    assert.ok(dirty.present && !dirty.file && dirty.exclusive);
    assert.notEqual(dirty.pfn, frame, "the write made a private copy");
    // B still maps the page-cache page, now alone.
    assert.equal(stateNames(other.states)[page], "imageClean");
    assert.equal(other.imageFrames![i], frame);
    const rawB = rawPages(addon, b.memory)[page]!;
    assert.equal(rawB.pfn, frame);
    assert.equal(rawB.exclusive, true);
    assert.equal(readPage(b.memory, page), a.bytes[i * HOST_PAGE + 123]);
  });

  test("a third mapping of the image gets the same frames", () => {
    const a = fresh(9);
    const c = mappedMemory(addon, {
      wasmPages: 1,
      imageOffset: 0,
      imagePages: IMAGE_PAGES,
      shared: { image: a.image, bytes: a.bytes },
    });
    let sum = 0;
    for (let i = 0; i < IMAGE_PAGES; i++) sum += readPage(a.memory, IMAGE_FIRST + i);
    for (let i = 0; i < IMAGE_PAGES; i++) sum -= readPage(c.memory, i);
    assert.equal(sum, 0);
    const sa = snap(a);
    const sc = addon.snapshot(c.memory, 0, c.bytes.length);
    assert.deepEqual(
      stateNames(sc.states),
      oracleStates(addon, c.memory, 0, c.bytes.length),
      "snapshot disagrees with the raw pagemap oracle",
    );
    assert.deepEqual(Array.from(sc.imageFrames!), Array.from(sa.imageFrames!));
    assert.equal(sc.imageSharedPages, IMAGE_PAGES);
    assert.equal(sa.imageSharedPages, IMAGE_PAGES);
    assert.equal(sa.imageExclusivePages, 0);
  });
});

describe("a shared memory (a SharedArrayBuffer's pages)", () => {
  test("is read like any other: written pages, and nothing else present", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    writePage(memory, 3);
    writePage(memory, 9);
    const snapshot = addon.snapshot(memory, 0, 0);
    assert.deepEqual(stateNames(snapshot.states), oracleStates(addon, memory, 0, 0));
    assert.deepEqual(
      pagesIn(snapshot.states, "anonDirty", "imageDirty", "imageClean", "zero", "swapped"),
      [3, 9],
    );
    assert.equal(snapshot.states.length, 65536 / HOST_PAGE);
    // It grows in place: the next snapshot covers the new page too.
    memory.grow(1);
    assert.equal(addon.snapshot(memory, 0, 0).states.length, (2 * 65536) / HOST_PAGE);
  });
});
