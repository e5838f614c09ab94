// The README's example runs must stay true: every `$ wasm-cow inspect|diff …` block is run
// again and each line it shows must appear, in order, in today's output ("..." in a
// block stands for lines left out).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { runCli } from "../../extension/cli/run-cli";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { buildExamples } from "../../scripts/build-examples";

const root = path.resolve(__dirname, "../..");

interface ExampleRun {
  args: string[];
  shown: string[];
}

function readmeRuns(): ExampleRun[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const runs: ExampleRun[] = [];
  for (const block of readme.matchAll(/```\n\$ wasm-cow ((?:inspect|diff) .+)\n([\s\S]*?)```/g)) {
    runs.push({ args: block[1]!.split(" "), shown: block[2]!.trimEnd().split("\n") });
  }
  return runs;
}

before(async () => {
  enableWasmFeatures();
  await buildExamples();
});

test("the README shows example runs", () => {
  assert.ok(readmeRuns().length >= 2, "expected at least two `$ wasm-cow inspect` blocks");
});

for (const run of readmeRuns()) {
  test(`README: wasm-cow ${run.args.join(" ")}`, () => {
    let stdout = "";
    const previous = process.cwd();
    process.chdir(root);
    try {
      const code = runCli(run.args, { stdout: (t) => (stdout += `${t}\n`), stderr: () => {} });
      assert.equal(code, 0);
    } finally {
      process.chdir(previous);
    }
    const actual = stdout.split("\n");
    let cursor = 0;
    for (const line of run.shown.filter((l) => l !== "...")) {
      const found = actual.indexOf(line, cursor);
      assert.notEqual(
        found,
        -1,
        `README line not in the output (in order):\n${line}\n--- output ---\n${stdout}`,
      );
      cursor = found + 1;
    }
  });
}
