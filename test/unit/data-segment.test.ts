// A decoded data segment is kept as numbers (data-segment.ts): its offset expression and
// payload are made again when read. Checked against what the module's bytes say, over every
// binary module of the spec suite and edge cases: the expression decoded again ends where the
// payload's length begins, the fast `i32Offset` is set exactly when the expression is one
// i32.const (unsigned), and the size is the length written in the module.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BinaryCursor } from "../../extension/analysis/binary-cursor";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import {
  activeData,
  activeDataOn,
  constExpr,
  dataSection,
  globalSection,
  globalType,
  memorySection,
  module,
  i32Offset,
  op,
  uleb,
  VALTYPE,
} from "../helpers/binary-builder";
import { isBinaryModule, readSpecModule, specCommands, where } from "../helpers/spec-suite";

/** Every disagreement between a module's segments and its bytes, as text. */
function disagreements(wasm: WasmModule, label: string): string[] {
  const found: string[] = [];
  for (const segment of wasm.dataSegments) {
    const say = (what: string) => found.push(`${label} segment ${segment.index}: ${what}`);
    const length = new BinaryCursor(wasm.bytes, segment.lengthOffset, wasm.bytes.length);
    if (length.u32("length") !== segment.size) say("size is not the length written");
    if (length.pos !== segment.dataOffset) say("the payload does not follow its length");
    const data = segment.data;
    if (data.length !== segment.size) say("data.length is not size");
    if (data.byteOffset - wasm.bytes.byteOffset !== segment.dataOffset)
      say("data is not the payload's bytes");
    const expr = segment.offsetExpr;
    if ((expr === null) !== (segment.memory === null)) say("offset expression and mode disagree");
    if (segment.mode !== (segment.memory === null ? "passive" : "active")) say("wrong mode");
    if (!expr) {
      if (segment.i32Offset !== -1) say("a passive segment with an i32 offset");
      continue;
    }
    if (expr.end !== segment.lengthOffset) say("the expression does not end at the length");
    const only = expr.instrs.length === 1 ? expr.instrs[0]! : null;
    const expected = only?.op === "i32.const" ? (only as { value: number }).value >>> 0 : -1;
    if (segment.i32Offset !== expected) say(`i32Offset ${segment.i32Offset}, not ${expected}`);
  }
  return found;
}

describe("decoded data segments", () => {
  test("agree with the bytes for every binary module of the spec suite", (t) => {
    let segments = 0;
    const found: string[] = [];
    for (const command of specCommands((c) => isBinaryModule(c))) {
      let wasm;
      try {
        wasm = readModule(readSpecModule(command));
      } catch {
        continue; // malformed: refused by the reader
      }
      segments += wasm.dataSegments.length;
      found.push(...disagreements(wasm, where(command)));
    }
    t.diagnostic(`${segments} segments checked`);
    assert.ok(segments >= 300, `only ${segments} segments`);
    assert.deepEqual(found, []);
  });

  test("only a lone i32.const is read without decoding; offsets are unsigned", () => {
    const wasm = readModule(
      module(
        memorySection({ min: 1 }, { min: 1, memory64: true }),
        globalSection({ type: globalType(VALTYPE.i32), init: i32Offset(8) }),
        dataSection(
          activeData(i32Offset(-1), [1]),
          activeData(i32Offset(0x7fff_ffff), []),
          // Padded immediate: still one i32.const.
          activeData(constExpr([0x41, 0x80, 0x80, 0x00]), [2, 3]),
          activeData(constExpr(op.globalGet(0)), [4]),
          activeData(constExpr(op.i32Const(1), op.i32Const(2), [0x6a]), [5]),
          activeDataOn(1, constExpr(op.i64Const(16n)), [6]),
          [0x01, ...uleb(3), 7, 8, 9],
        ),
      ),
    );
    assert.deepEqual(
      wasm.dataSegments.map((s) => [s.i32Offset, s.size, s.mode]),
      [
        [0xffff_ffff, 1, "active"],
        [0x7fff_ffff, 0, "active"],
        [0, 2, "active"],
        [-1, 1, "active"],
        [-1, 1, "active"],
        [-1, 1, "active"],
        [-1, 3, "passive"],
      ],
    );
    assert.deepEqual(disagreements(wasm, "edge"), []);
    assert.deepEqual(wasm.dataSegments[4]!.offsetExpr!.instrs, [
      { op: "i32.const", value: 1 },
      { op: "i32.const", value: 2 },
      { op: "i32.add" },
    ]);
  });
});
