// Hostile input: thousands of mutated and truncated modules (a seeded generator, so a
// failure reproduces). The reader must either decode or throw a DecodeError whose offset
// lies inside the input, and whatever decodes must plan and report without any other
// exception. Nothing may hang: each module is bounded in size, and the whole run in time.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { DecodeError } from "../../extension/analysis/binary-cursor";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import { inspectModule } from "../../extension/analysis/inspect";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { buildExamples } from "../../scripts/build-examples";
import { readFileSync } from "node:fs";

const MUTANTS_PER_SAMPLE = 600;

/** xorshift32: reproducible pseudo-random numbers. */
function generator(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  const copy = new Uint8Array(bytes);
  switch (pick(4)) {
    case 0: // flip a few bytes
      for (let i = 0, n = 1 + pick(4); i < n; i++) copy[pick(copy.length)] = pick(256);
      return copy;
    case 1: // truncate
      return copy.subarray(0, pick(copy.length));
    case 2: // set a byte to a LEB128 continuation or an extreme value
      copy[8 + pick(Math.max(1, copy.length - 8))] = [0x80, 0xff, 0x7f, 0x00][pick(4)]!;
      return copy;
    default: {
      // duplicate a slice somewhere else
      const from = pick(copy.length);
      const slice = copy.subarray(from, from + pick(32));
      const at = pick(copy.length);
      const grown = new Uint8Array(copy.length + slice.length);
      grown.set(copy.subarray(0, at));
      grown.set(slice, at);
      grown.set(copy.subarray(at), at + slice.length);
      return grown;
    }
  }
}

let samples: { file: string; bytes: Uint8Array }[];

before(async () => {
  enableWasmFeatures();
  samples = (await buildExamples())
    .filter((file) => !file.endsWith("dense.wasm")) // 2 MiB: mutating it adds time, not coverage
    .map((file) => ({ file, bytes: new Uint8Array(readFileSync(file)) }));
});

test("mutated modules decode or fail with a DecodeError inside the input, and never crash the planner", () => {
  let decoded = 0;
  let rejected = 0;
  for (const [s, sample] of samples.entries()) {
    const random = generator(0x5eed + s);
    for (let i = 0; i < MUTANTS_PER_SAMPLE; i++) {
      const mutant = mutate(sample.bytes, random);
      try {
        inspectModule(mutant, {
          fileName: "mutant.wasm",
          pageSize: 4096,
          denseLimit: DEFAULT_DENSE_LIMIT,
        });
        decoded++;
      } catch (error) {
        if (!(error instanceof DecodeError)) {
          assert.fail(`${sample.file} mutant ${i} threw ${(error as Error).stack}`);
        }
        assert.ok(
          error.offset >= 0 && error.offset <= mutant.length,
          `offset ${error.offset} of ${mutant.length}`,
        );
        rejected++;
      }
    }
  }
  // Both outcomes must occur, or the mutations did not exercise anything.
  assert.ok(decoded > 100 && rejected > 100, `decoded ${decoded}, rejected ${rejected}`);
});
