// imagedVariant (extension/analysis/imaged-variant.ts): the closest module that gets a
// memory image, for "what CoW would have saved". Each case is checked by planning the
// variant independently and by instantiating both in V8 with the same imports: the
// variant's memory must hold exactly the bytes the original's does, so running it
// measures the same program.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { imagedVariant } from "../../extension/analysis/imaged-variant";
import { planImages } from "../../extension/analysis/image-planner";
import { exportMemories } from "../../extension/analysis/memory-exports";
import { readModule } from "../../extension/analysis/module-reader";
import { wat } from "../helpers/wat";
import {
  activeData,
  constExpr,
  dataSection,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  op,
  VALTYPE,
} from "../helpers/binary-builder";

const OPTIONS = { pageSize: 4096, denseLimit: 16 << 20 };

/** Memory 0's bytes after instantiating `bytes` with memory 0 exported, imports given as
 *  the runner gives them: a memory of the declared minimum for an imported memory, 0 for
 *  an i32 global, a function that does nothing. */
async function memoryBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const exported = exportMemories(readModule(bytes), [0]);
  const decoded = readModule(exported.bytes);
  const compiled = await WebAssembly.compile(exported.bytes as Uint8Array<ArrayBuffer>);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of decoded.imports) {
    const namespace = (imports[entry.module] ??= {});
    if (entry.desc.kind === "memory")
      namespace[entry.name] = new WebAssembly.Memory({
        initial: Number(entry.desc.type.min),
        ...(entry.desc.type.max === null ? {} : { maximum: Number(entry.desc.type.max) }),
      });
    else if (entry.desc.kind === "global")
      namespace[entry.name] = new WebAssembly.Global({ value: "i32" }, 0);
    else if (entry.desc.kind === "func") namespace[entry.name] = () => {};
  }
  const instance = await WebAssembly.instantiate(compiled, imports);
  const memory = instance.exports[exported.names.get(0)!] as WebAssembly.Memory;
  return new Uint8Array(memory.buffer);
}

async function checkVariant(source: string, changes: RegExp[], denseLimit = OPTIONS.denseLimit) {
  const bytes = await wat(source);
  const original = readModule(bytes);
  assert.ok(
    planImages(original, OPTIONS).memories.some((m) => !m.static && m.dataBytes > 0),
    "the original gets no image",
  );
  const outcome = imagedVariant(original, OPTIONS);
  assert.equal(outcome.refusal, null);
  const variant = outcome.variant!;
  assert.equal(variant.denseLimit, denseLimit);
  assert.equal(variant.changes.length, changes.length, variant.changes.join("\n"));
  variant.changes.forEach((change, i) => assert.match(change, changes[i]!));
  const plan = planImages(readModule(variant.bytes), {
    ...OPTIONS,
    denseLimit: variant.denseLimit,
  });
  assert.ok(
    plan.memories.every((m) => m.static),
    "the variant gets an image for every memory",
  );
  assert.deepEqual(
    await memoryBytes(variant.bytes),
    await memoryBytes(bytes),
    "same memory contents",
  );
}

describe("imaged variant", () => {
  test("an imported memory becomes a defined one; other imports stay", async () => {
    await checkVariant(
      `(module
        (import "env" "log" (func $log (param i32)))
        (import "env" "memory" (memory 2 10))
        (import "env" "base" (global i32))
        (data (i32.const 4096) "hello")
        (data (i32.const 70000) "world")
        (func (export "f") (call $log (i32.const 1))))`,
      [/^memory 0 defined in the module instead of imported from env\.memory$/],
    );
  });

  test("offsets read from an imported global are fixed at the runner's 0", async () => {
    await checkVariant(
      `(module
        (import "env" "__memory_base" (global $base i32))
        (memory (export "memory") 1)
        (data (global.get $base) "relocatable")
        (data (global.get $base) "twice"))`,
      [
        /^data segment offsets read from global 0 \(env\.__memory_base\) fixed at 0, the value the runner gives that import$/,
      ],
    );
  });

  test("an imported memory with relocatable data: both changes", async () => {
    await checkVariant(
      `(module
        (import "env" "memory" (memory 1))
        (import "env" "__memory_base" (global $base i32))
        (data (global.get $base) "pic data"))`,
      [/^memory 0 defined/, /^data segment offsets read from global 0 /],
    );
  });

  test("too sparse: the dense limit one byte above the span", async () => {
    // Segments 40 MiB apart: span 0x2800000 + 5 bytes.
    await checkVariant(
      `(module (memory 1024) (data (i32.const 0) "a") (data (i32.const 0x2800000) "bcdef"))`,
      [
        /^dense limit raised to 41,943,046 bytes \(from 16,777,216\) so memory 0's 41,943,045-byte span qualifies$/,
      ],
      0x2800000 + 5 + 1,
    );
  });

  test("no variant where the planner cannot build one, or where the image exists", async () => {
    const outside = imagedVariant(
      readModule(await wat(`(module (memory 1) (data (i32.const 65535) "xy"))`)),
      OPTIONS,
    );
    assert.equal(outside.variant, null);
    assert.match(outside.refusal!, /ends at 65537, past memory 0's minimum size/);
    // An extended-const expression is not folded.
    const expression = imagedVariant(
      readModule(
        module(
          importSection(importEntry("env", "base", importDesc.global(VALTYPE.i32))),
          memorySection({ min: 1 }),
          dataSection(activeData(constExpr(op.globalGet(0), op.i32Const(16), op.i32Add), [1])),
        ),
      ),
      OPTIONS,
    );
    assert.match(expression.refusal!, /non-constant offset/);
    const already = imagedVariant(
      readModule(await wat(`(module (memory 1) (data (i32.const 0) "x"))`)),
      OPTIONS,
    );
    assert.equal(already.refusal, "the module gets a memory image already");
  });
});
