// exportMemories (extension/analysis/memory-exports.ts): memories gain an export where they
// had none, the export section is the only one that changes, and a module that already
// exports them is returned as it is.

import assert from "node:assert/strict";
import { test } from "node:test";
import { exportMemories } from "../../extension/analysis/memory-exports";
import { readModule } from "../../extension/analysis/module-reader";
import { wat } from "../helpers/wat";

/** Every section but the export section, as bytes, in order. */
function otherSections(bytes: Uint8Array): string[] {
  const module = readModule(bytes);
  return module.sections
    .filter((s) => s.id !== 7)
    .map((s) => Buffer.from(bytes.subarray(s.headerOffset, s.end)).toString("hex"));
}

test("a module without an export section gets one, in its place among the sections", async () => {
  const bytes = await wat(`(module
    (memory 1) (global i32 (i32.const 7))
    (func $f) (start $f)
    (data (i32.const 16) "image bytes"))`);
  const result = exportMemories(readModule(bytes), [0]);
  const module = readModule(result.bytes); // the reader checks the section order
  assert.deepEqual(
    module.exports.map((e) => [e.name, e.kind, e.index]),
    [["wasm-cow:memory0", "memory", 0]],
  );
  assert.deepEqual(result.added, [0]);
  assert.equal(result.names.get(0), "wasm-cow:memory0");
  // Before the start section (8), after the global section (6).
  const ids = module.sections.map((s) => s.id);
  assert.ok(ids.indexOf(7) > ids.indexOf(6) && ids.indexOf(7) < ids.indexOf(8), ids.join(","));
  assert.deepEqual(otherSections(result.bytes), otherSections(bytes));
  await WebAssembly.compile(result.bytes as Uint8Array<ArrayBuffer>);
});

test("entries are appended to an existing export section; names never clash", async () => {
  const bytes = await wat(`(module
    (memory 1)
    (func (export "wasm-cow:memory0"))
    (global (export "g") i32 (i32.const 1)))`);
  const result = exportMemories(readModule(bytes), [0]);
  const module = readModule(result.bytes);
  assert.deepEqual(
    module.exports.map((e) => [e.name, e.kind, e.index]),
    [
      ["wasm-cow:memory0", "func", 0],
      ["g", "global", 0],
      ["_wasm-cow:memory0", "memory", 0],
    ],
  );
  assert.deepEqual(otherSections(result.bytes), otherSections(bytes));
  await WebAssembly.compile(result.bytes as Uint8Array<ArrayBuffer>);
});

test("an exported memory keeps its export and name", async () => {
  const bytes = await wat(`(module (memory 1) (export "mem" (memory 0)))`);
  const result = exportMemories(readModule(bytes), [0]);
  assert.deepEqual(result.added, []);
  assert.equal(result.names.get(0), "mem");
});

test("nothing to add: the same bytes", async () => {
  const bytes = await wat(`(module (memory (export "memory") 1))`);
  const module = readModule(bytes);
  assert.equal(exportMemories(module, [0]).bytes, module.bytes);
});
