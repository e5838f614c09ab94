// `unmapImage` as Wasmtime's `remove_image`: fresh anonymous memory over exactly the old
// image range (so residency before and after the image is kept), after which another
// module's image can be mapped in its place.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  anonymousReadState,
  HOST_PAGE,
  assertPristine,
  imageBytes,
  oracleStates,
  pagesIn,
  readPage,
  requireBackend,
  SMALL,
  smallMapped,
  stateNames,
  writePage,
} from "../helpers/native";

const addon = requireBackend();
/** "zero", or "anonDirty" on a kernel that gives read faults a private page. */
const READ_STATE = anonymousReadState(addon);

const { imageFirst: IMAGE_FIRST, imageEnd: IMAGE_END } = SMALL;
const OUTSIDE_DIRTY = [1, 20];

function used() {
  const m = smallMapped(addon, 11);
  let sum = 0;
  for (let page = IMAGE_FIRST; page < IMAGE_END; page++) sum += readPage(m.memory, page);
  assert.ok(sum > 0);
  writePage(m.memory, IMAGE_FIRST + 1, 0x5a);
  for (const page of OUTSIDE_DIRTY) writePage(m.memory, page, 0x77);
  return m;
}

function statesOf(memory: WebAssembly.Memory, offset: number, length: number): string[] {
  const names = stateNames(addon.snapshot(memory, offset, length).states);
  assert.deepEqual(names, oracleStates(addon, memory, offset, length));
  return names;
}

describe("unmapImage", () => {
  test("the image range becomes fresh anonymous memory; the rest is kept", () => {
    const m = used();
    const outcome = addon.unmapImage(m.memory, m.base, m.offset, m.bytes.length);
    assert.equal(outcome.syscalls.mmap, 1);
    assert.equal(outcome.syscalls.madvise, 0);

    const after = statesOf(m.memory, m.offset, m.bytes.length);
    for (let page = IMAGE_FIRST; page < IMAGE_END; page++)
      assert.equal(after[page], "notPresent", `page ${page}`);
    // Residency outside the old image range is untouched.
    for (const page of OUTSIDE_DIRTY) assert.equal(after[page], "anonDirty");

    // The old image range reads zero, as plain anonymous memory (the shared zero page, or
    // a private zeroed page on a kernel that does not map the zero page on reads).
    const all = new Uint8Array(m.memory.buffer);
    for (let i = m.offset; i < m.offset + m.bytes.length; i++)
      if (all[i] !== 0) assert.fail(`byte ${i} is ${all[i]} after the unmap`);
    // Still described with the old image range, no page of it is a file page any more.
    const read = addon.snapshot(m.memory, m.offset, m.bytes.length);
    assert.deepEqual(pagesIn(read.states, "imageClean"), []);
    assert.equal(read.imageSharedPages + read.imageExclusivePages, 0);
    // Described as memory without an image, each page read is what a read fault gives.
    const plain = statesOf(m.memory, 0, 0);
    for (let page = IMAGE_FIRST; page < IMAGE_END; page++) assert.equal(plain[page], READ_STATE);
    // The pages outside still hold what the instance wrote.
    for (const page of OUTSIDE_DIRTY) assert.equal(all[page * HOST_PAGE + 321], 0x77);
  });

  test("a different image can be mapped in its place (a different module)", () => {
    const m = used();
    addon.unmapImage(m.memory, m.base, m.offset, m.bytes.length);
    // The next module's image is smaller and sits elsewhere.
    const nextBytes = imageBytes(3, 23);
    const nextImage = new addon.Image(nextBytes);
    const nextOffset = 8 * HOST_PAGE;
    const mapped = addon.mapImage(m.memory, nextOffset, nextImage);
    assert.equal(mapped.base, m.base);
    assert.equal(mapped.syscalls.mmap, 1);
    // A madvise reset of the memory now yields exactly the new module's pristine state.
    addon.reset(m.memory, m.base, "madvise", 0, nextImage, nextOffset);
    assertPristine(m.memory, nextBytes, nextOffset);
    const states = statesOf(m.memory, nextOffset, nextBytes.length);
    assert.deepEqual(
      pagesIn(addon.snapshot(m.memory, nextOffset, nextBytes.length).states, "imageClean"),
      [8, 9, 10],
    );
    assert.equal(
      states[IMAGE_FIRST],
      READ_STATE,
      "the old image's first page is plain zero memory now",
    );
  });

  test("unmapping part of the image leaves the rest mapped", () => {
    const m = used();
    const cut = 2 * HOST_PAGE;
    addon.unmapImage(m.memory, m.base, m.offset, cut);
    addon.reset(m.memory, m.base, "madvise", 0, null, 0);
    const all = new Uint8Array(m.memory.buffer);
    assert.equal(all[m.offset], 0);
    assert.equal(all[m.offset + cut], m.bytes[cut]);
    const states = statesOf(m.memory, m.offset + cut, m.bytes.length - cut);
    assert.equal(states[IMAGE_FIRST], READ_STATE);
    assert.equal(states[IMAGE_FIRST + 2], "imageClean");
  });
});
