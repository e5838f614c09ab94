// The Wasmtime 49 verdict from a feature scan: what blocks compilation, in which order,
// with which advice, and when the verdict is unknown. Scans are written by hand here; the
// table itself is checked against the real Wasmtime by test/oracle/wasmtime-images.test.ts.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FeatureScan, FeatureUse } from "../../common/wasm-features";
import { WASMTIME_VERSION, wasmtimeVerdict } from "../../extension/analysis/wasmtime-verdict";

const use = (feature: FeatureUse["feature"], what: string, fn: number | null, offset: number) => ({
  feature,
  what,
  function: fn,
  offset,
});

const scan = (...features: FeatureUse[]): FeatureScan => ({ features, unknownInstruction: null });

describe("wasmtimeVerdict", () => {
  test("features on by default compile", () => {
    const verdict = wasmtimeVerdict(
      scan(
        use("simd", "v128 local", 3, 0x40),
        use("gc", "struct type 2", null, 0x12),
        use("exceptions", "try_table", 4, 0x90),
        use("memory64", "memory 0 is memory64", null, 0x20),
        use("wide-arithmetic", "i64.add128", 5, 0xa0),
      ),
      null,
    );
    assert.deepEqual(verdict, { version: "49.0.0", compiles: true, reason: null, advice: [] });
    assert.equal(WASMTIME_VERSION, "49.0.0");
  });

  test("legacy exceptions cannot compile, with rebuild advice", () => {
    const verdict = wasmtimeVerdict(
      scan(use("simd", "v128 local", 3, 0x40), use("legacy-exceptions", "try", 15051, 5949879)),
      null,
    );
    assert.equal(verdict.compiles, false);
    assert.match(
      verdict.reason!,
      /^uses legacy-exceptions \(`try` in function 15051 at byte 0x5ac9b7\): Wasmtime implements only the standard exception-handling encoding/,
    );
    assert.equal(verdict.advice.length, 1);
    assert.match(verdict.advice[0]!, /-sWASM_LEGACY_EXCEPTIONS=0/);
    assert.match(verdict.advice[0]!, /wasm-opt --translate-to-exnref/);
  });

  test("an off-by-default feature names the Config switch and the CLI flag", () => {
    const verdict = wasmtimeVerdict(
      scan(use("custom-page-sizes", "memory 0 has 1-byte pages", null, 0x0b)),
      null,
    );
    assert.equal(verdict.compiles, false);
    assert.match(verdict.reason!, /off in Wasmtime 49\.0\.0's default configuration/);
    assert.deepEqual(verdict.advice, [
      "enable custom-page-sizes in the embedding: Config::wasm_custom_page_sizes(true) (wasmtime CLI: -W custom-page-sizes)",
    ]);
  });

  test("every blocking feature is named, in the scan's order", () => {
    const verdict = wasmtimeVerdict(
      scan(
        use("stack-switching", "cont type 1", null, 0x0e),
        use("legacy-exceptions", "delegate", 2, 0x55),
      ),
      null,
    );
    assert.equal(verdict.compiles, false);
    assert.match(verdict.reason!, /^uses stack-switching .*; uses legacy-exceptions/);
    assert.equal(verdict.advice.length, 2);
    assert.match(verdict.advice[0]!, /Config::wasm_stack_switching\(true\)/);
  });

  test("an invalid module does not compile; a blocking feature is named before invalidity", () => {
    assert.deepEqual(wasmtimeVerdict(scan(), "type mismatch in i32.add"), {
      version: "49.0.0",
      compiles: false,
      reason: "the module is invalid: type mismatch in i32.add",
      advice: [],
    });
    const both = wasmtimeVerdict(scan(use("legacy-exceptions", "try", 1, 0x30)), "anything");
    assert.match(both.reason!, /^uses legacy-exceptions/);
  });

  test("an unknown instruction makes the verdict unknown", () => {
    const verdict = wasmtimeVerdict(
      { features: [], unknownInstruction: { function: 7, offset: 0x1234, opcode: "0xfc 0x7f" } },
      null,
    );
    assert.equal(verdict.compiles, null);
    assert.match(
      verdict.reason!,
      /function 7 holds an instruction this tool does not know \(0xfc 0x7f at byte 0x1234\)/,
    );
  });
});
