// Measured times of the stepper and the slot pool (ns → µs/ms/s); their byte counts use
// common/format.ts exactBytes, the rule of every view.

/** A duration measured in nanoseconds, in the largest unit that keeps it ≥ 1. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}
