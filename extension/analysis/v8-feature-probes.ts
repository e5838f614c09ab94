// Which WebAssembly features the running V8 implements, measured rather than assumed:
// each feature has a tiny module in its final (standard) encoding, and V8 implements the
// feature exactly when it validates that module. The same probes run in a child V8 with
// experimental flags (v8-flag-retry.ts), where a pre-standard implementation (V8 11.3's
// GC and typed function references use older opcodes and type codes) fails its probe
// and so never counts as implementing the feature.

import type { WasmFeature } from "../../common/wasm-features";

/** Probe modules as hex, with the text they were assembled from. Features every V8 this
 *  tool runs on has shipped for years (sign extension, saturating conversions,
 *  multi-value, mutable globals, bulk memory, reference types) have none. */
export const V8_FEATURE_PROBES: Readonly<Partial<Record<WasmFeature, string>>> = {
  // (func (result v128) (v128.const i32x4 0 0 0 0))
  simd: "0061736d010000000105016000017b030201000a16011400fd0c000000000000000000000000000000000b",
  // (func (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  "relaxed-simd": "0061736d0100000001070160027b7b017b030201000a0b01090020002001fd80020b",
  // (memory 1 1 shared)
  threads: "0061736d01000000050401030101",
  // (func (block (try_table (catch_all 0))))
  exceptions: "0061736d01000000010401600000030201000a0d010b0002401f400102000b0b0b",
  // (func try catch_all end)
  "legacy-exceptions": "0061736d01000000010401600000030201000a080106000640190b0b",
  // (type $s (struct (field i32))) (func (result (ref null $s)) (struct.new $s (i32.const 1)))
  // (func (result i31ref) (ref.i31 (i32.const 1)))
  gc: "0061736d01000000010e035f017f0060000163006000016c03030201020a100207004101fb00000b06004101fb1c0b",
  // (type $f (func)) (func (param (ref null $f)) (call_ref $f (ref.as_non_null (local.get 0))))
  "function-references": "0061736d010000000109026000006001630000030201010a090107002000d414000b",
  // (func $f (return_call $f))
  "tail-call": "0061736d01000000010401600000030201000a0601040012000b",
  // (memory 0) (memory 0)
  "multi-memory": "0061736d0100000005050200000000",
  // (memory i64 0)
  memory64: "0061736d010000000503010400",
  // (memory 0 (pagesize 1))
  "custom-page-sizes": "0061736d01000000050401080000",
  // (global i32 (i32.add (i32.const 1) (i32.const 2)))
  "extended-const": "0061736d010000000609017f00410141026a0b",
  // (func (param i64 i64 i64 i64) (result i64 i64) (i64.add128 (local.get 0) ... (local.get 3)))
  "wide-arithmetic":
    "0061736d01000000010a0160047e7e7e7e027e7e030201000a0e010c002000200120022003fc130b",
  // (type $f (func)) (type (cont $f))
  "stack-switching": "0061736d010000000106026000005d00",
};

/** V8's experimental flag for a feature, where some V8 has one. A flag this V8 does not
 *  know is ignored by `setFlagsFromString`; the probes then still say "not implemented". */
export const V8_EXPERIMENTAL_FLAGS: Readonly<Partial<Record<WasmFeature, string>>> = {
  "relaxed-simd": "--experimental-wasm-relaxed-simd",
  exceptions: "--experimental-wasm-exnref",
  gc: "--experimental-wasm-gc",
  "function-references": "--experimental-wasm-typed-funcref",
  "tail-call": "--experimental-wasm-return-call",
  "multi-memory": "--experimental-wasm-multi-memory",
  memory64: "--experimental-wasm-memory64",
  "extended-const": "--experimental-wasm-extended-const",
  "custom-page-sizes": "--experimental-wasm-custom-page-sizes",
  "wide-arithmetic": "--experimental-wasm-wide-arithmetic",
  "stack-switching": "--experimental-wasm-wasmfx",
};

export function probeBytes(feature: WasmFeature): Uint8Array<ArrayBuffer> | null {
  const hex = V8_FEATURE_PROBES[feature];
  return hex ? new Uint8Array(Buffer.from(hex, "hex")) : null;
}

const implemented = new Map<WasmFeature, boolean>();

/** Whether this process's V8 implements `feature` (memoised: V8's flags are set once,
 *  before any module is compiled). */
export function v8Implements(feature: WasmFeature): boolean {
  let known = implemented.get(feature);
  if (known === undefined) {
    const probe = probeBytes(feature);
    known = probe === null || WebAssembly.validate(probe);
    implemented.set(feature, known);
  }
  return known;
}
