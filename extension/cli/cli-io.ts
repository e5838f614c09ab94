// What a CLI command may touch: two output streams. Tests pass collectors. And the
// option parsing the commands share.

import { MAX_TIMEOUT_MS } from "../runner/limits";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A mistake in the command line: exit code 2 with the usage text. */
export class UsageError extends Error {}

/** A number option's accepted range and its value when absent. */
export interface IntegerRange {
  min: number;
  max: number;
  fallback: number;
  /** Why the bound is what it is, for the error ("Node's longest timer"). */
  maxReason?: string;
}

/** Parses a decimal integer option within its range, or throws a UsageError naming it. */
export function integerOption(value: unknown, name: string, range: IntegerRange): number {
  if (value === undefined) return range.fallback;
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= range.min && number <= range.max)) {
    const reason = range.maxReason ? ` (${range.maxReason})` : "";
    throw new UsageError(
      `${name} needs an integer from ${range.min} to ${range.max}${reason}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** The one FILE.wasm a command takes, or a UsageError naming the command. */
export function oneFile(command: string, positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(`${command} takes exactly one FILE.wasm, got ${positionals.length}`);
  return positionals[0]!;
}

/** `--timeout MS`: from 1 ms to Node's longest timer. */
export function timeoutOption(value: unknown, fallback: number): number {
  return integerOption(value, "--timeout", {
    min: 1,
    max: MAX_TIMEOUT_MS,
    fallback,
    maxReason: "Node's longest timer",
  });
}
