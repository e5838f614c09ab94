// Runs the fuzz properties over mutants of the corpus, in chunks of fast-check runs with
// consecutive seeds: memory stays flat for a million cases, progress can be reported
// between chunks, and a failure names the chunk's seed and fast-check's counterexample
// (the seed index and the mutations), which replays it.

import fc from "fast-check";
import { checkMutant, noFigures, type FuzzFigures } from "./fuzz-properties";
import type { FuzzCorpus } from "./fuzz-seeds";
import { applyMutations, mutationArbitrary } from "./wasm-mutator";

const CHUNK = 1000;

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Called after each chunk with the figures so far. */
  progress?: (figures: FuzzFigures) => void;
}

export function runFuzz(corpus: FuzzCorpus, options: FuzzOptions): FuzzFigures {
  const figures = noFigures();
  const mutant = fc.record({
    seed: corpus.seedIndex,
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
  });
  const property = fc.property(mutant, ({ seed, mutations }) => {
    checkMutant(applyMutations(corpus.seeds[seed]!, mutations, corpus.seeds), figures);
  });
  for (let done = 0, chunk = 0; done < options.cases; done += CHUNK, chunk++) {
    const seed = options.seed + chunk;
    fc.assert(property, { numRuns: Math.min(CHUNK, options.cases - done), seed });
    options.progress?.(figures);
  }
  return figures;
}
