// The fuzz suite: 20,000 mutants of the spec modules, the examples and real npm modules
// (test/helpers/wasm-mutator.ts) through the reader, the planner, the reports and the
// copy-on-write rewriter (test/helpers/fuzz-properties.ts says what must hold). The seed
// changes every run and is printed: `npm run fuzz -- --cases N --seed S` replays a failure.

import assert from "node:assert/strict";
import { test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { runFuzz } from "../helpers/fuzz-run";
import { fuzzCorpus } from "../helpers/fuzz-seeds";

enableWasmFeatures();

const CASES = 20_000;

test(
  `${CASES} mutants: only typed decode errors, rewrites V8 accepts`,
  { timeout: 600_000 },
  async (t) => {
    const corpus = await fuzzCorpus();
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    t.diagnostic(`seed ${seed}; corpus: ${JSON.stringify(corpus.counts)}`);
    const started = performance.now();
    const figures = runFuzz(corpus, { cases: CASES, seed });
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`${JSON.stringify(figures)} in ${seconds.toFixed(1)} s`);
    assert.equal(figures.cases, CASES);
    // The mutator must reach past the reader often enough to test the rest.
    assert.ok(figures.decoded > CASES / 10, `only ${figures.decoded} mutants decoded`);
    assert.ok(figures.rewritten > CASES / 20, `only ${figures.rewritten} mutants were rewritten`);
    assert.ok(figures.staticImages > 0, "no mutant had a static image");
  },
);
