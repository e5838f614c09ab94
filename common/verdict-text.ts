// The engines' verdicts in words: one wording for the CLI, the Markdown report and the
// Overview.

import type { V8Verdict, WasmtimeVerdict } from "./report-types";

/** "compiles", "CANNOT COMPILE: …" or "unknown: …". */
export function wasmtimeVerdictText(verdict: WasmtimeVerdict): string {
  if (verdict.compiles === true) return "compiles (default configuration)";
  if (verdict.compiles === false) return `CANNOT COMPILE: ${verdict.reason}`;
  return `unknown: ${verdict.reason}`;
}

export function v8VerdictText(verdict: V8Verdict): string {
  if (verdict.valid === true)
    return verdict.lacking.length ? `valid (with ${verdict.withFlags!.flags.join(" ")})` : "valid";
  if (verdict.valid === false) return `INVALID: ${verdict.message}`;
  return `not judged: ${verdict.message}`;
}

/** The label of a memory's image line: a module Wasmtime refuses maps nothing at all. */
export function imageLabel(verdict: WasmtimeVerdict): string {
  return verdict.compiles === false
    ? "CoW image (what Wasmtime would map if it compiled)"
    : "CoW image";
}
