// Entry point of the `wasm-cow` binary.

import { runCli } from "./run-cli";
import { enableWasmFeatures } from "./v8-features";

enableWasmFeatures();
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
});
