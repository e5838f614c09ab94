// The module V8 validates in place of the file (payload-free.ts): every data payload left
// out, everything else byte for byte, and V8's answer the same as for the file, over every
// binary module of the spec suite (valid and invalid) and hand-made edge cases.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readModule } from "../../extension/analysis/module-reader";
import { withoutDataPayloads } from "../../extension/analysis/payload-free";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import {
  activeData,
  activeDataOn,
  constExpr,
  customSection,
  dataCountSection,
  dataSection,
  i32Offset,
  memorySection,
  module,
  op,
  vec,
  SECTION,
} from "../helpers/binary-builder";
import { isBinaryModule, readSpecModule, specCommands, where } from "../helpers/spec-suite";

enableWasmFeatures();

const validates = (bytes: Uint8Array) => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);

describe("withoutDataPayloads", () => {
  test("keeps every segment's header, empties its payload and copies the rest", () => {
    const bytes = module(
      memorySection({ min: 1 }, { min: 1 }),
      dataCountSection(3),
      dataSection(
        activeData(i32Offset(16), [1, 2, 3]),
        // Passive, its flags padded to two bytes.
        [0x81, 0x00, ...vec([[9], [9]])],
        activeDataOn(1, i32Offset(4096), [7, 7, 7, 7]),
      ),
      customSection("after", [0xaa, 0xbb]),
    );
    const original = readModule(bytes);
    const stripped = withoutDataPayloads(original);
    const reread = readModule(stripped);
    assert.equal(stripped.length, bytes.length - 9);
    assert.deepEqual(
      reread.dataSegments.map((s) => [s.mode, s.memory, s.data.length, s.offsetExpr?.instrs]),
      original.dataSegments.map((s) => [s.mode, s.memory, 0, s.offsetExpr?.instrs]),
    );
    assert.deepEqual(
      reread.sections.map((s) => [s.name, s.customName]),
      original.sections.map((s) => [s.name, s.customName]),
    );
    const last = (m: typeof original) => m.sections.at(-1)!;
    assert.deepEqual(
      stripped.subarray(last(reread).start, last(reread).end),
      bytes.subarray(last(original).start, last(original).end),
    );
    // The bytes before the data section are the same bytes.
    const data = original.sections.find((s) => s.id === SECTION.data)!;
    assert.deepEqual(stripped.subarray(0, data.headerOffset), bytes.subarray(0, data.headerOffset));
  });

  test("a module without payload bytes is validated as it is", () => {
    const bytes = module(memorySection({ min: 1 }), dataSection(activeData(i32Offset(0), [])));
    const parsed = readModule(bytes);
    assert.equal(withoutDataPayloads(parsed), parsed.bytes);
  });

  test("an invalid segment stays invalid without its payload", () => {
    // An i64 offset on a 32-bit memory, and a segment on a memory that does not exist.
    for (const segment of [
      activeData(constExpr(op.i64Const(0n)), [1]),
      activeDataOn(3, i32Offset(0), [1]),
    ]) {
      const bytes = module(memorySection({ min: 1 }), dataSection(segment));
      assert.equal(validates(bytes), false);
      assert.equal(validates(withoutDataPayloads(readModule(bytes))), false);
    }
  });

  test("V8 answers the same for every binary module of the spec suite", (t) => {
    const commands = specCommands((c) => isBinaryModule(c));
    let withPayloads = 0;
    const disagreements: string[] = [];
    for (const command of commands) {
      let parsed;
      try {
        parsed = readModule(readSpecModule(command));
      } catch {
        continue; // malformed: the reader refuses it before V8 is asked
      }
      const stripped = withoutDataPayloads(parsed);
      if (stripped === parsed.bytes) continue;
      withPayloads++;
      if (validates(stripped) !== validates(parsed.bytes))
        disagreements.push(`${where(command)} ${command.type}`);
    }
    t.diagnostic(`${withPayloads} modules with data payloads compared`);
    assert.ok(withPayloads >= 100, `only ${withPayloads} modules with data payloads`);
    assert.deepEqual(disagreements, []);
  });
});
