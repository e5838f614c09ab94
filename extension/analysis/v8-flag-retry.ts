// A second V8 opinion with experimental flags on, in a child process: flags cannot be
// turned on in this process without changing every later verdict, and a flagged V8 is
// an advisory judge only. The child runs the feature probes too, so the caller knows
// whether that V8 really implements what the module uses.

import { spawnSync } from "node:child_process";
import { V8_FEATURE_PROBES } from "./v8-feature-probes";
import type { WasmFeature } from "../../common/wasm-features";
import type { FlaggedVerdict } from "../../common/report-types";

/** Validating a 50 MB module takes about a second; a stuck child must not stall inspect. */
const CHILD_TIMEOUT_MS = 60_000;

// Runs in the child: flags first (before anything is compiled), then the probes of the
// features asked about, then the module from stdin.
const CHILD_SCRIPT = `
const { flags, probes } = JSON.parse(process.argv[1]);
for (const flag of flags) require("node:v8").setFlagsFromString(flag);
const lacking = Object.keys(probes).filter((f) => !WebAssembly.validate(Buffer.from(probes[f], "hex")));
const bytes = require("node:fs").readFileSync(0);
let message = null;
if (!WebAssembly.validate(bytes)) {
  try { new WebAssembly.Module(bytes); } catch (error) { message = String(error && error.message); }
}
process.stdout.write(JSON.stringify({ valid: message === null, message, lacking }));
`;

/** Validates `bytes` in a child V8 with `flags`; null when the child could not run. */
export function validateWithFlags(
  bytes: Uint8Array,
  flags: string[],
  features: WasmFeature[],
): FlaggedVerdict | null {
  const probes = Object.fromEntries(
    features.flatMap((f) => (V8_FEATURE_PROBES[f] ? [[f, V8_FEATURE_PROBES[f]]] : [])),
  );
  const child = spawnSync(
    process.execPath,
    ["-e", CHILD_SCRIPT, JSON.stringify({ flags, probes })],
    {
      input: bytes,
      timeout: CHILD_TIMEOUT_MS,
      maxBuffer: 1 << 20,
      // In VS Code the extension host's executable is Electron: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
      encoding: "utf8",
    },
  );
  if (child.error || child.status !== 0) return null;
  const said = JSON.parse(child.stdout) as {
    valid: boolean;
    message: string | null;
    lacking: WasmFeature[];
  };
  const offset = said.message ? /@\+(\d+)/.exec(said.message) : null;
  return {
    flags,
    valid: said.valid,
    message: said.message === null ? null : tidyV8Message(said.message),
    offset: offset ? Number(offset[1]) : null,
    lacking: said.lacking,
  };
}

/** V8's message without its "WebAssembly.Module(): " prefix and "@+N" suffix. */
export function tidyV8Message(message: string): string {
  return message.replace(/^WebAssembly\.Module\(\): /, "").replace(/ @\+\d+$/, "");
}
