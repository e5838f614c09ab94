// Runs `wasm-cow` in-process with its output captured, as the CLI tests need it.

import { runCli } from "../../extension/cli/run-cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `inspect` answers synchronously and `run` does not: either way is awaited. */
export async function captureCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
