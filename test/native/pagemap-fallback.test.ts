// The page-state tests again, in a child process on the path of kernels before 6.7 (no
// PAGEMAP_SCAN: Debian 12's 6.1 kernel, say), which this machine's kernel would never take:
// WASM_COW_NO_PAGEMAP_SCAN=1 makes the addon read every /proc/self/pagemap entry instead.
// Those tests check every snapshot against raw pagemap entries decoded in TypeScript.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "../..");
// Without the parent runner's NODE_TEST_CONTEXT, the child reports as a runner of its own.
const { NODE_TEST_CONTEXT: _parent, ...INHERITED } = process.env;
const ENV = { ...INHERITED, WASM_COW_NO_PAGEMAP_SCAN: "1" };

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("the switch takes the addon off PAGEMAP_SCAN", () => {
  const probe = node([
    "-e",
    'const { loadBackend } = require("./extension/runner/native-backend"); const b = loadBackend(); if (!b.available) throw new Error(b.reason); console.log(JSON.stringify(b.addon.probe()));',
  ]);
  assert.equal(probe.status, 0, probe.stderr);
  assert.equal(JSON.parse(probe.stdout).pagemapScan, false);
});

test("page states from pagemap entries pass the page-state and unmap tests", () => {
  const run = node([
    "--test",
    "--test-reporter=tap",
    "test/native/page-states.test.ts",
    "test/native/unmap.test.ts",
  ]);
  const passed = Number(/^# pass (\d+)$/m.exec(run.stdout)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)$/m.exec(run.stdout)?.[1] ?? -1);
  assert.equal(
    failed,
    0,
    run.stdout
      .split("\n")
      .filter((line) => line.includes("not ok"))
      .join("\n"),
  );
  assert.ok(passed >= 10, `only ${passed} tests ran:\n${run.stdout.slice(-2000)}`);
  assert.equal(run.status, 0, run.stderr);
});
