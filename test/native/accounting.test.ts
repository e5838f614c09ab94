// `accounting` (from /proc/self/smaps) follows what was touched: writing K pages adds at
// least K pages of RSS and of anonymous memory to the memory's mappings, and a madvise
// reset takes them away again. The VMAs it sums must cover the memory's range.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  HOST_PAGE,
  WASM_PAGE,
  mappedMemory,
  readPage,
  requireBackend,
  writePage,
} from "../helpers/native";

const addon = requireBackend();

const WASM_PAGES = 4;
const TOUCHED = 40;

function assertCovers(memory: WebAssembly.Memory, span: { spanStart: bigint; spanEnd: bigint }) {
  const base = addon.memoryBase(memory);
  assert.ok(span.spanStart <= base, "the span starts at or before the memory");
  assert.ok(span.spanEnd >= base + BigInt(memory.buffer.byteLength), "and ends at or after it");
}

describe("accounting", () => {
  test("writing K anonymous pages adds at least K pages of RSS", () => {
    const memory = new WebAssembly.Memory({ initial: WASM_PAGES });
    const before = addon.accounting(memory);
    assert.ok(before.vmas >= 1);
    assertCovers(memory, before);
    for (let page = 0; page < TOUCHED; page++) writePage(memory, page);
    const after = addon.accounting(memory);
    assert.ok(after.vmas >= 1);
    assertCovers(memory, after);
    const grown = TOUCHED * HOST_PAGE;
    assert.ok(
      after.rssBytes - before.rssBytes >= grown,
      `rss ${before.rssBytes} → ${after.rssBytes}`,
    );
    assert.ok(after.anonymousBytes - before.anonymousBytes >= grown);
    assert.ok(after.privateDirtyBytes - before.privateDirtyBytes >= grown);
    assert.ok(after.pssBytes <= after.rssBytes);

    addon.reset(memory, addon.memoryBase(memory), "madvise", 0, null, 0);
    const reset = addon.accounting(memory);
    assert.ok(
      after.rssBytes - reset.rssBytes >= grown,
      `rss ${after.rssBytes} → ${reset.rssBytes}`,
    );
  });

  test("an image in the middle of a memory splits it into at least three VMAs", () => {
    const m = mappedMemory(addon, {
      wasmPages: WASM_PAGES,
      imageOffset: WASM_PAGE,
      imagePages: 16,
    });
    const accounting = addon.accounting(m.memory);
    assert.ok(accounting.vmas >= 3, `${accounting.vmas} VMAs`);
    assertCovers(m.memory, accounting);
    // Reading the image maps page-cache pages: RSS grows, anonymous memory does not.
    let sum = 0;
    for (let page = 16; page < 32; page++) sum += readPage(m.memory, page);
    assert.ok(sum > 0);
    const read = addon.accounting(m.memory);
    assert.ok(read.rssBytes - accounting.rssBytes >= 16 * HOST_PAGE);
    // (A margin, not equality: smaps sums whole VMAs, which may include a neighbour.)
    assert.ok(read.anonymousBytes - accounting.anonymousBytes < 16 * HOST_PAGE);
  });
});
