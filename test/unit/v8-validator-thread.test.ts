// V8's validation on a thread of its own (extension/editor/v8-validator-thread.ts) answers
// as WebAssembly.validate does here, for shared bytes; ordinary bytes are left to the
// caller. And the analysis worker's verdict is the same either way.

import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { V8ValidatorThread } from "../../extension/editor/v8-validator-thread";
import { AnalysisClient } from "../../extension/editor/analysis-client";
import { memorySection, module, TYPE_MISMATCH_SECTIONS } from "../helpers/binary-builder";

const WORKER = path.resolve(__dirname, "../../dist/analysis-worker.js");

const valid = module(memorySection({ min: 1 }));
const invalid = module(...TYPE_MISMATCH_SECTIONS);

function shared(bytes: Uint8Array, padding = 0): Uint8Array {
  const buffer = new SharedArrayBuffer(bytes.length + 2 * padding);
  const view = new Uint8Array(buffer, padding, bytes.length);
  view.set(bytes);
  return view;
}

test("answers for shared bytes (views inside a larger buffer too), not for others", async () => {
  const validator = new V8ValidatorThread();
  assert.equal(await validator.validate(shared(valid)), true);
  assert.equal(await validator.validate(shared(invalid, 7)), false);
  assert.equal(await validator.validate(shared(valid, 3)), true);
  assert.equal(await validator.validate(valid), undefined);
  const both = await Promise.all([
    validator.validate(shared(invalid)),
    validator.validate(shared(valid)),
  ]);
  assert.deepEqual(both, [false, true]);
});

test("the analysis worker's V8 verdict is the same with validation aside or not", async () => {
  for (const bytes of [valid, invalid]) {
    const verdicts = [];
    for (const validateAside of [true, false]) {
      const client = new AnalysisClient(WORKER, { validateAside });
      try {
        const { summaryJson } = await client.analyze(shared(bytes), "m.wasm", 4096, 1 << 24);
        verdicts.push((JSON.parse(summaryJson) as { v8: unknown }).v8);
      } finally {
        client.dispose();
      }
    }
    assert.deepEqual(verdicts[0], verdicts[1]);
    assert.equal((verdicts[0] as { valid: boolean }).valid, bytes === valid);
  }
});
