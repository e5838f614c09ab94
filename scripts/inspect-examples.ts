// `npm run inspect-examples`: builds the sample modules and runs the real `wasm-cow inspect`
// binary on each, the way a user would from a terminal.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildExamples } from "./build-examples";

const cli = path.resolve(__dirname, "../dist/cli.js");

buildExamples().then(
  (files) => {
    for (const file of files) {
      const relative = path.relative(process.cwd(), file);
      console.log(`\n$ wasm-cow inspect ${relative}`);
      const run = spawnSync(process.execPath, [cli, "inspect", relative], { stdio: "inherit" });
      if (run.status !== 0) process.exitCode = 1;
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
