// V8 as an advisory validator on Node 20's V8 11.3: a rejection counts only from a V8
// that implements every feature the module uses; otherwise the verdict is null with the
// reason, and a child V8 with experimental flags is asked for a second opinion. This
// file enables no V8 flag in its own process (unlike the CLI), so memory64 is one of the
// features this process lacks.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { v8Implements } from "../../extension/analysis/v8-feature-probes";
import { validateWithV8 } from "../../extension/analysis/v8-validation";
import type { FeatureScan, FeatureUse } from "../../common/wasm-features";
import { readModule } from "../../extension/analysis/module-reader";
import {
  memorySection,
  module,
  section,
  SECTION,
  TYPE_MISMATCH_SECTIONS,
  vec,
  VALTYPE,
} from "../helpers/binary-builder";

const scanOf = (...features: FeatureUse[]): FeatureScan => ({
  features,
  unknownInstruction: null,
});
const use = (feature: FeatureUse["feature"], offset: number): FeatureUse => ({
  feature,
  what: feature,
  function: null,
  offset,
});

const typeMismatch = TYPE_MISMATCH_SECTIONS;

describe("validateWithV8 (V8 11.3)", () => {
  test("this process is the V8 these expectations describe", () => {
    assert.match(process.versions.v8, /^11\.3\./, "expectations below are for Node 20's V8 11.3");
    assert.equal(v8Implements("memory64"), false, "no --experimental-wasm-memory64 here");
    assert.equal(v8Implements("gc"), false);
    assert.equal(v8Implements("simd"), true);
  });

  test("a valid module", () => {
    const wasm = readModule(module(memorySection({ min: 1 })));
    assert.deepEqual(validateWithV8(wasm, scanOf()), {
      valid: true,
      message: null,
      offset: null,
      lacking: [],
      withFlags: null,
    });
  });

  test("an invalid module with no missing feature is invalid, with V8's offset", () => {
    const verdict = validateWithV8(readModule(module(...typeMismatch)), scanOf());
    assert.equal(verdict.valid, false);
    assert.match(verdict.message!, /type error|expected type i32/);
    assert.equal(typeof verdict.offset, "number");
    assert.equal(verdict.withFlags, null);
  });

  test("memory64 this V8 has behind a flag: the flagged child decides, valid", () => {
    const bytes = module(memorySection({ min: 1, memory64: true }));
    const verdict = validateWithV8(readModule(bytes), scanOf(use("memory64", 10)));
    assert.equal(verdict.valid, true);
    assert.equal(verdict.message, null);
    assert.deepEqual(verdict.lacking, ["memory64"]);
    assert.deepEqual(verdict.withFlags?.flags, ["--experimental-wasm-memory64"]);
    assert.deepEqual(verdict.withFlags?.lacking, []);
  });

  test("memory64 and a type error: the flagged child decides, invalid", () => {
    const bytes = module(
      typeMismatch[0]!,
      typeMismatch[1]!,
      memorySection({ min: 1, memory64: true }),
      typeMismatch[2]!,
    );
    const verdict = validateWithV8(readModule(bytes), scanOf(use("memory64", 10)));
    assert.equal(verdict.valid, false);
    assert.match(
      verdict.message!,
      /judged with --experimental-wasm-memory64: V8 11\.3\.[\d.]+-node\.\d+ implements memory64 only behind flags/,
    );
  });

  test("GC in its final encoding: not judged, even with V8 11.3's pre-standard GC flag", () => {
    // (type (struct (field i32))): type code 0x5f, one field, i32, immutable.
    const bytes = module(section(SECTION.type, vec([[0x5f, 0x01, VALTYPE.i32, 0x00]])));
    const verdict = validateWithV8(readModule(bytes), scanOf(use("gc", 11)));
    assert.equal(verdict.valid, null);
    assert.deepEqual(verdict.lacking, ["gc"]);
    assert.deepEqual(verdict.withFlags?.flags, ["--experimental-wasm-gc"]);
    assert.deepEqual(verdict.withFlags?.lacking, ["gc"]);
    assert.match(
      verdict.message!,
      /^the module uses gc \(`gc` at byte 0xb\), which V8 11\.3\.\S+ does not implement; with --experimental-wasm-gc it still lacks gc \(V8 said: Unknown type code 0x5f, enable with --experimental-wasm-gc\)$/,
    );
  });

  test("a flag V8 asks for that the scan did not explain: not judged", () => {
    const bytes = module(section(SECTION.type, vec([[0x5f, 0x01, VALTYPE.i32, 0x00]])));
    const verdict = validateWithV8(readModule(bytes), scanOf());
    assert.equal(verdict.valid, null);
    assert.deepEqual(verdict.lacking, []);
    assert.match(
      verdict.message!,
      /needs --experimental-wasm-gc for this module, an experimental feature/,
    );
  });
});

describe("validateWithV8: V8's own limits", () => {
  test("a memory64 minimum past V8's page limit is not judged invalid", () => {
    // Wasmtime 49 compiles this module and fails only at instantiation.
    const bytes = module(memorySection({ min: 1n << 48n, memory64: true }));
    const verdict = validateWithV8(readModule(bytes), scanOf(use("memory64", 10)));
    assert.equal(verdict.valid, null);
    assert.match(verdict.message ?? "", /implementation limit/);
  });
});
