// The fuzz suite's seed corpus: every binary module of the spec scripts (valid,
// malformed and invalid ones alike), the examples, and three real modules from npm
// (48 KB to 688 KB: larger ones would make each case slow), downloaded as the other
// npm tests do. Spec modules are drawn most often: they are small and cover the format.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { buildExamples } from "../../scripts/build-examples";
import { fetchRealModule, REAL_MODULES } from "./npm-wasm";
import { isBinaryModule, readSpecModule, specCommands } from "./spec-suite";

export interface FuzzCorpus {
  seeds: Uint8Array[];
  /** Draws a seed index: spec modules 15 : examples 4 : npm modules 1. */
  seedIndex: fc.Arbitrary<number>;
  counts: { spec: number; examples: number; npm: number };
}

const NPM_SEEDS = 3;

export async function fuzzCorpus(): Promise<FuzzCorpus> {
  const spec = specCommands(isBinaryModule).map(readSpecModule);
  const examples = (await buildExamples()).map((file) => new Uint8Array(readFileSync(file)));
  const npm = await Promise.all(REAL_MODULES.slice(0, NPM_SEEDS).map(fetchRealModule));
  const seeds = [...spec, ...examples, ...npm];
  const range = (from: number, count: number) => fc.integer({ min: from, max: from + count - 1 });
  return {
    seeds,
    seedIndex: fc.oneof(
      { arbitrary: range(0, spec.length), weight: 15 },
      { arbitrary: range(spec.length, examples.length), weight: 4 },
      { arbitrary: range(spec.length + examples.length, npm.length), weight: 1 },
    ),
    counts: { spec: spec.length, examples: examples.length, npm: npm.length },
  };
}
