// Number formats of the stepper and the slot pool: measured times (ns → µs/ms/s) and
// byte counts (the exact integer, with a binary unit when it is a round one).

import { grouped } from "../../../../common/format";

/** A duration measured in nanoseconds, in the largest unit that keeps it ≥ 1. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

const UNITS = [
  [1 << 30, "GiB"],
  [1 << 20, "MiB"],
  [1 << 10, "KiB"],
] as const;

/** Bytes as an exact integer, plus KiB/MiB/GiB when the count is a whole multiple. */
export function formatBytes(bytes: number): string {
  const exact = `${grouped(bytes)} bytes`;
  for (const [size, unit] of UNITS) {
    if (bytes >= size && bytes % size === 0) return `${exact} (${bytes / size} ${unit})`;
  }
  return exact;
}
