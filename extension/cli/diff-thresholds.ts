// `--fail-if` of `wasm-cow diff`: what a CI job refuses in a new build's memory layout.
//
//   METRIC>N     a memory's METRIC grew by more than N (bytes or pages)
//   METRIC>P%    … by more than P percent of the old value
//   static-lost  a memory that had a static image (Wasmtime's CoW) has none now
//
// METRIC is image-bytes, image-pages, nonzero-pages or data-bytes. Every memory is checked;
// a memory only the new build has grew from 0.

import type { LayoutDiff, MemoryDiff } from "../../common/layout-diff";
import { grouped } from "../../common/format";
import { UsageError } from "./cli-io";

const METRICS = {
  "image-bytes": { field: "length", unit: "bytes" },
  "image-pages": { field: "pages", unit: "pages" },
  "nonzero-pages": { field: "nonzeroPages", unit: "non-zero pages" },
  "data-bytes": { field: "dataBytes", unit: "data bytes" },
} as const satisfies Record<string, { field: keyof MemoryDiff; unit: string }>;

type Metric = keyof typeof METRICS;

export type Threshold =
  | { text: string; kind: "growth"; metric: Metric; limit: number; percent: boolean }
  | { text: string; kind: "static-lost" };

export interface ThresholdResult {
  threshold: string;
  exceeded: boolean;
  /** What was measured, per memory that broke it, or why it held. */
  detail: string;
}

export function parseThreshold(text: string): Threshold {
  if (text === "static-lost") return { text, kind: "static-lost" };
  const match = /^([a-z-]+)>(\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (!match || !(match[1]! in METRICS)) {
    throw new UsageError(
      `--fail-if takes METRIC>N, METRIC>P% or static-lost, METRIC one of ${Object.keys(METRICS).join(", ")}; got ${JSON.stringify(text)}`,
    );
  }
  return {
    text,
    kind: "growth",
    metric: match[1] as Metric,
    limit: Number(match[2]),
    percent: match[3] === "%",
  };
}

export function checkThresholds(diff: LayoutDiff, thresholds: Threshold[]): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const broken = diff.memories.flatMap((memory) => {
      const why = threshold.kind === "static-lost" ? lostStatic(memory) : grew(memory, threshold);
      return why === null ? [] : [`memory ${memory.memory} ${why}`];
    });
    return {
      threshold: threshold.text,
      exceeded: broken.length > 0,
      detail: broken.length ? broken.join("; ") : "held",
    };
  });
}

function lostStatic(memory: MemoryDiff): string | null {
  const { left, right } = memory.verdict;
  if (left?.static !== true || right?.static === true) return null;
  return right ? `lost its static image (${right.reason ?? "no reason given"})` : "is gone";
}

function grew(
  memory: MemoryDiff,
  threshold: Extract<Threshold, { kind: "growth" }>,
): string | null {
  const { field, unit } = METRICS[threshold.metric];
  const before = memory[field].left ?? 0;
  const after = memory[field].right ?? 0;
  const growth = after - before;
  if (growth <= 0) return null;
  const percent = before === 0 ? Infinity : (growth / before) * 100;
  if (threshold.percent ? percent <= threshold.limit : growth <= threshold.limit) return null;
  const share = before === 0 ? "from nothing" : `${percent.toFixed(1)}%`;
  return `grew by ${grouped(growth)} ${unit} (${share}: ${grouped(before)} → ${grouped(after)})`;
}
