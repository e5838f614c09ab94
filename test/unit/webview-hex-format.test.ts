// The hex view's formatting and difference runs, against hand-written rows.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  asciiChar,
  asciiText,
  byteRuns,
  countDiffs,
  formatAddress,
  hexRowCount,
  hexText,
} from "../../webview/src/views/segments/hex-format";
import { hex } from "../../common/format";

test("addresses have at least 8 hex digits", () => {
  assert.equal(formatAddress(0), "0x00000000");
  assert.equal(formatAddress(0x1000), "0x00001000");
  assert.equal(formatAddress(0x1_0000_0000), "0x100000000");
  assert.equal(hex(255), "0xff");
});

test("hex and ASCII text of a byte range", () => {
  const bytes = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x1f, 0x20, 0x7e, 0x7f, 0xff);
  assert.equal(hexText(bytes, 0, 4), "00 61 73 6d");
  assert.equal(hexText(bytes, 4, 9), "1f 20 7e 7f ff");
  assert.equal(asciiText(bytes, 0, 9), ".asm. ~..");
  assert.equal(asciiChar(0x41), "A");
});

test("row counts cover the longer copy", () => {
  assert.equal(hexRowCount(0, 0, 16), 0);
  assert.equal(hexRowCount(16, 0, 16), 1);
  assert.equal(hexRowCount(17, 3, 16), 2);
  assert.equal(hexRowCount(10, 40, 16), 3);
});

test("differences: changed bytes, and bytes missing from one copy", () => {
  const a = Uint8Array.of(1, 2, 3, 4, 5, 6);
  const b = Uint8Array.of(1, 9, 9, 4, 5);
  assert.equal(countDiffs(a, b), 3); // two changed, one missing
  assert.equal(countDiffs(a, b, 0, 3), 2);
  assert.equal(countDiffs(a, a), 0);
  assert.deepEqual(byteRuns(a, b, 0, 6), [
    { start: 0, end: 1, differs: false },
    { start: 1, end: 3, differs: true },
    { start: 3, end: 5, differs: false },
    { start: 5, end: 6, differs: true },
  ]);
  // The shorter copy's runs stop at its end.
  assert.deepEqual(byteRuns(b, a, 4, 8), [{ start: 4, end: 5, differs: false }]);
  // Without a second copy, one plain run.
  assert.deepEqual(byteRuns(a, null, 2, 18), [{ start: 2, end: 6, differs: false }]);
});
