// `wasm-cow lab` through runCli (in process; the runner child runs the TypeScript sources
// through tsx): the three formats, the exit status, and the usage errors. The figures
// themselves are checked in lab.test.ts.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildExamples } from "../../scripts/build-examples";
import { captureCli } from "../helpers/cli-capture";
import { assertNoRunnerLeft } from "../helpers/runner-process";

const examples = new Map<string, string>();
before(async () => {
  for (const file of await buildExamples()) examples.set(path.basename(file, ".wasm"), file);
});
after(() => assertNoRunnerLeft());

const QUICK = ["--instances", "2", "--threads", "1", "--no-madvise-sizes"];

describe("wasm-cow lab", () => {
  test("--json: the whole report; exit 0 when every strategy ran", async () => {
    const run = await captureCli([
      "lab",
      examples.get("dirty-per-call")!,
      "--invoke",
      "touch",
      ...QUICK,
      "--strategies",
      "cow-affine,userfaultfd",
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(
      report.strategies.map((s: { strategy: string }) => s.strategy),
      ["cow-affine", "userfaultfd"],
    );
    assert.equal(report.strategies[1].faults.perInstance, 1, "one touch, one fault");
    assert.equal(report.madvise, null);
  });

  test("text: the strategies table, the scaling table, and madvise against size", async () => {
    const run = await captureCli([
      "lab",
      examples.get("dirty-per-call")!,
      "--invoke",
      "touch",
      "--instances",
      "2",
      "--threads",
      "1,2",
      "--strategies",
      "userfaultfd",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\| strategy +\| instantiate µs \|/m);
    assert.match(run.stdout, /^\| userfaultfd +\|/m);
    assert.match(run.stdout, /^\| 2 +\| +[\d,]+ \|$/m, "a row for two threads");
    // Six sizes from 64 KiB to 4 GiB, each with 0, 10 and 1,000 dirty pages where they fit.
    assert.match(run.stdout, /^\| 64 KiB +\| +6 GiB \| +16 \|/m);
    assert.match(run.stdout, /^\| 4 GiB +\| +2 GiB \| +1,000 \|/m);
  });

  test("--csv: one figure per line; a module without an image exits 3 and says why", async () => {
    const run = await captureCli(["lab", examples.get("pic")!, ...QUICK, "--csv"]);
    assert.equal(run.code, 3, run.stderr);
    const [header, ...rows] = run.stdout.split("\n");
    assert.equal(header, "section,strategy,threads,accessibleBytes,dirtyPages,metric,value,unit");
    assert.ok(
      rows.every((row) => row.split(",").length === 8),
      "eight fields on every line",
    );
    assert.ok(rows.some((row) => /^strategy,eager,,,,instantiate µs,[\d.]+,µs$/.test(row)));
    assert.ok(rows.some((row) => row === "strategy,cow-affine,,,,instantiate µs,,µs"));
    const text = await captureCli(["lab", examples.get("pic")!, ...QUICK]);
    assert.match(text.stdout, /^cow-affine: not run: the module gets no image/m);
  });

  for (const [args, message] of [
    [["--threads", "0"], /--threads needs counts from 1 to 64/],
    [["--strategies", "cow,uffd"], /--strategies takes eager, cow-fresh/],
    [["--json", "--csv"], /exclude each other/],
    [["--instances", "1001"], /--instances needs an integer from 1 to 1000/],
  ] as [string[], RegExp][]) {
    test(`${args.join(" ")}: a usage error`, async () => {
      const run = await captureCli(["lab", "x.wasm", ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
    });
  }
});
