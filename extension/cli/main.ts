// Entry point of the `wasm-cow` binary.

import { runCli } from "./run-cli";
import { enableWasmFeatures } from "../runner/v8-features";

enableWasmFeatures();
void Promise.resolve(
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }),
).then((code) => {
  process.exitCode = code;
});
