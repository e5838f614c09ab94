// formatBytes (common/format.ts): binary units with at most one decimal, worked out by hand,
// including values that round up to the next unit.

import assert from "node:assert/strict";
import { test } from "node:test";
import { exactBytes, formatBytes, grouped } from "../../common/format";

test("binary units, one decimal at most", () => {
  assert.equal(formatBytes(0), "0 bytes");
  assert.equal(formatBytes(1), "1 byte");
  assert.equal(formatBytes(1023), "1023 bytes");
  assert.equal(formatBytes(1024), "1 KiB");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(16 * 1024 * 1024), "16 MiB");
  assert.equal(formatBytes(5_115_904), "4.9 MiB"); // ruby.wasm's image: 4.878… MiB
  assert.equal(formatBytes(2n ** 32n), "4 GiB");
});

test("a value that rounds to 1024 of a unit is 1 of the next", () => {
  assert.equal(formatBytes(2 ** 30 - 4096), "1 GiB"); // 1023.996 MiB
  assert.equal(formatBytes(1024 * 1024 - 1), "1 MiB"); // 1023.999 KiB
  assert.equal(formatBytes(1024 * 1023.9), "1023.9 KiB");
});

test("grouped integers", () => {
  assert.equal(grouped(41_943_047), "41,943,047");
  assert.equal(grouped(12n), "12");
});

test("exactBytes: the exact integer grouped, and from 1 KiB on the human size", () => {
  assert.equal(exactBytes(512), "512 bytes");
  assert.equal(exactBytes(1), "1 byte");
  assert.equal(exactBytes(1023), "1023 bytes");
  assert.equal(exactBytes(1024), "1,024 (1 KiB)");
  assert.equal(exactBytes(45630618), "45,630,618 (43.5 MiB)");
  assert.equal(exactBytes(67108864n), "67,108,864 (64 MiB)");
});
