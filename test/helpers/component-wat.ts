// Component text → binary for tests, through real Wasmtime's `wat` parser (wasmtime-py's
// wat2wasm, installed for the Wasmtime oracle): wabt does not read the component model's
// text format. An independent encoder of what the component reader decodes.

import { spawnSync } from "node:child_process";

const SCRIPT = "import sys, wasmtime; sys.stdout.buffer.write(wasmtime.wat2wasm(sys.stdin.read()))";

export function componentWat(text: string): Uint8Array {
  const result = spawnSync("python3", ["-c", SCRIPT], { input: text, maxBuffer: 64 << 20 });
  if (result.status !== 0)
    throw new Error(`wasmtime.wat2wasm failed: ${result.stderr.toString("utf8").trim()}`);
  return new Uint8Array(result.stdout);
}
