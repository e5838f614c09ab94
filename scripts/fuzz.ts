// `npm run fuzz -- [--cases N] [--seed S]`: the fuzz suite of test/fuzz/ for N cases
// (default 1,000,000), with progress every 10 s and the figures at the end: cases, what
// reached each stage, cases per second and peak RSS. A failure prints fast-check's
// counterexample and the seed that replays it, and exits 1.

import { parseArgs } from "node:util";
import { enableWasmFeatures } from "../extension/runner/v8-features";
import { runFuzz } from "../test/helpers/fuzz-run";
import { fuzzCorpus } from "../test/helpers/fuzz-seeds";

enableWasmFeatures();
const { values } = parseArgs({
  options: { cases: { type: "string", default: "1000000" }, seed: { type: "string" } },
});
const cases = Number(values.cases);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);

void (async () => {
  const corpus = await fuzzCorpus();
  console.log(`seed ${seed}, ${cases} cases; corpus ${JSON.stringify(corpus.counts)}`);
  const started = performance.now();
  let reported = started;
  let peakRss = 0;
  const figures = runFuzz(corpus, {
    cases,
    seed,
    progress: (so) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (performance.now() - reported < 10_000) return;
      reported = performance.now();
      console.log(`${so.cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify(figures));
  console.log(
    `${figures.cases} cases in ${seconds.toFixed(0)} s (${(figures.cases / seconds).toFixed(0)}/s), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
})();
