// Medians and percentiles of a lab measurement's runs.

import type { Distribution } from "../../../common/lab-types";

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function distribution(values: number[]): Distribution {
  if (!values.length) throw new Error("a distribution needs at least one run");
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    runs: sorted.length,
  };
}

export function median(values: number[]): number {
  return distribution(values).median;
}
