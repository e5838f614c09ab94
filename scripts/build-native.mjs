#!/usr/bin/env node
// `npm ci` / `npm install` step: builds the native backend with node-gyp on Linux. Off
// Linux there is nothing to build (memfd, MAP_PRIVATE images and pagemap are Linux
// facilities): the install goes on, and the CLI and the extension say that copy-on-write
// execution is unavailable there. On Linux a failed build fails the install.
import { spawnSync } from "node:child_process";
import { ensureSystemPackages } from "./system-packages.mjs";

if (process.platform !== "linux") {
  console.log(
    `wasm-cow: no native backend on ${process.platform}; inspection works, execution is unavailable`,
  );
  process.exit(0);
}
try {
  ensureSystemPackages(["native"]);
} catch (error) {
  console.error(`wasm-cow: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
// npm puts its own node-gyp on PATH for lifecycle scripts and passes its config (nodedir).
const result = spawnSync("node-gyp", ["rebuild"], { stdio: "inherit", shell: false });
if (result.error) {
  console.error(`wasm-cow: cannot run node-gyp: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
