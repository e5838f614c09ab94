// Sampling helpers shared by the benches: repeat a measurement until both a minimum
// number of runs and a time budget are reached, and summarise it by its median (robust
// to the odd GC pause or page-fault storm) with the 10th and 90th percentiles.
//
// Nothing here asserts a time: machines differ, the benches report.

import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface SampleOptions {
  /** Untimed runs first (JIT, caches, first faults). */
  warmup?: number;
  minRuns?: number;
  maxRuns?: number;
  /** Stop once minRuns are done and this much time was spent measuring. */
  budgetMs?: number;
  /** Called untimed after every n-th run (e.g. a GC, so no run pays for another's garbage). */
  every?: { runs: number; run: () => void };
}

export interface Stats {
  runs: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear interpolation between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) throw new RangeError("no values");
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function summarize(samples: readonly number[]): Stats {
  return {
    runs: samples.length,
    medianMs: median(samples),
    p10Ms: quantile(samples, 0.1),
    p90Ms: quantile(samples, 0.9),
  };
}

export function timeOnce(task: () => void): number {
  const start = performance.now();
  task();
  return performance.now() - start;
}

/** `measure` runs one iteration and returns its duration in ms (so it can leave setup
 *  and cleanup out of the timed part). */
export function sampleMeasured(measure: () => number, options: SampleOptions = {}): Stats {
  const { warmup = 3, minRuns = 20, maxRuns = 10_000, budgetMs = 2_000, every } = options;
  for (let i = 0; i < warmup; i++) measure();
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < maxRuns && (samples.length < minRuns || spent < budgetMs)) {
    const ms = measure();
    samples.push(ms);
    spent += ms;
    if (every && samples.length % every.runs === 0) every.run();
  }
  return summarize(samples);
}

/** Times the whole of `task` per run. */
export function sample(task: () => void, options: SampleOptions = {}): Stats {
  return sampleMeasured(() => timeOnce(task), options);
}

/** Times several tasks in rounds, each task once per round, so that a machine getting
 *  faster or slower during the run (these are noisy VMs) shifts every task alike; a
 *  difference between tasks can then be taken per round (paired). Returns each task's
 *  durations in ms, index i of every list from the same round. */
export function sampleRounds(
  tasks: readonly (() => void)[],
  options: Omit<SampleOptions, "every"> = {},
): number[][] {
  const { warmup = 3, minRuns = 20, maxRuns = 10_000, budgetMs = 2_000 } = options;
  for (let i = 0; i < warmup; i++) for (const task of tasks) task();
  const samples = tasks.map((): number[] => []);
  let spent = 0;
  for (let round = 0; round < maxRuns && (round < minRuns || spent < budgetMs); round++) {
    tasks.forEach((task, i) => {
      const ms = timeOnce(task);
      samples[i]!.push(ms);
      spent += ms;
    });
  }
  return samples;
}

let gcFunction: (() => void) | null | undefined;

/** A full GC, so dropped WebAssembly memories (and their reservations and mappings) are
 *  freed now rather than inside some later timed run. `npm run bench` does not pass
 *  --expose-gc; V8 lets the flag be set at run time for contexts created afterwards. */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gcFunction = exposed;
    else {
      setFlagsFromString("--expose-gc");
      gcFunction = (runInNewContext("gc") as (() => void) | undefined) ?? null;
    }
  }
  gcFunction?.();
}

/** µs with a precision that suits the magnitude. */
export function formatMs(ms: number): string {
  const us = ms * 1000;
  if (us < 10) return `${us.toFixed(2)} µs`;
  if (us < 1000) return `${us.toFixed(1)} µs`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(ratio >= 10 ? 1 : 2)}×`;
}
