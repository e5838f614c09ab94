// The extension's analysis worker (the built dist/analysis-worker.js, as the extension
// runs it): its export text is exactly what `wasm-cow inspect --json` prints, and the
// compact report the webview parses holds the same object; the compare view's diff it
// packs rebuilds the diff's own rows.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { AnalysisClient, AnalysisError } from "../../extension/editor/analysis-client";
import { buildExamples } from "../../scripts/build-examples";
import { captureCli } from "../helpers/cli-capture";
import { componentWat } from "../helpers/component-wat";
import type { ReportJson } from "../../common/report-json";
import { joinReportJson } from "../webview/harness/messages";
import { diffLayouts } from "../../common/layout-diff";
import { differenceAt } from "../../common/packed-diff";
import { planImages } from "../../extension/analysis/image-planner";
import { reportOf } from "../../extension/analysis/inspect";
import { moduleLayout } from "../../extension/analysis/module-layout";
import { segmentColumns } from "../../common/segment-columns";
import { readModule } from "../../extension/analysis/module-reader";

const WORKER = path.resolve(__dirname, "../../dist/analysis-worker.js");
let client: AnalysisClient;
let samples: string[];

before(async () => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: run npm run build first`);
  enableWasmFeatures();
  samples = (await buildExamples()).map((file) => path.relative(process.cwd(), file));
  client = new AnalysisClient(WORKER);
});

after(() => client.dispose());

test("Export Report's JSON is the text of wasm-cow inspect --json, for every sample", async () => {
  for (const file of samples) {
    const cli = await captureCli(["inspect", file, "--json"]);
    assert.equal(cli.code, 0, cli.stderr);
    const analysed = await client.analyze(readFileSync(file), file, 4096, 16 * 1024 * 1024);
    assert.equal(await client.reportText(), cli.stdout, file);
    // The summary first, the segments and exports on request: together, the report.
    const details = await client.details();
    const full = JSON.parse(cli.stdout) as ReportJson;
    assert.deepEqual(joinReportJson({ ...analysed, ...details }), full, file);
    const summary = JSON.parse(analysed.summaryJson) as ReportJson;
    assert.deepEqual([summary.dataSegments, summary.exports], [[], []], "the summary alone");
    assert.equal(analysed.segmentCount, full.dataSegments.length, file);
    assert.equal(analysed.exportCount, full.exports.length, file);
    for (const text of [analysed.summaryJson, details.segmentsJson, details.exportsJson])
      assert.ok(!text.includes("\n"), "the webview's copy is compact");
  }
});

test("a malformed module comes back as an error naming the byte offset", async () => {
  await assert.rejects(
    client.analyze(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), "bad.wasm", 4096, 1 << 24),
    (error) => {
      assert.ok(error instanceof AnalysisError);
      assert.equal(error.offset, 4);
      assert.match(error.message, /unknown binary version.*\(at byte 0x4\)/);
      return true;
    },
  );
});

test("a component: its modules listed, the one with the largest image reported, any on request", async () => {
  const bytes = componentWat(`(component $app
    (core module $small (memory 1) (data (i32.const 0) "s"))
    (core module $big (memory 2) (data (i32.const 0) "b") (data (i32.const 70000) "big"))
    (core module $none (func (export "f")))
  )`);
  const first = await client.analyze(bytes, "app.wasm", 4096, 1 << 24);
  assert.ok(first.component);
  assert.deepEqual(
    first.component.modules.map((m) => [m.path, m.name, m.imageBytes]),
    [
      ["component → module 0", "small", 4096],
      ["component → module 1", "big", 18 * 4096],
      ["component → module 2", "none", 0],
    ],
  );
  assert.equal(first.component.chosen, 1, "the largest image first");
  assert.equal(JSON.parse(first.summaryJson).images[0].length, 18 * 4096);
  const third = await client.analyze(bytes, "app.wasm", 4096, 1 << 24, 2);
  assert.equal(third.component?.chosen, 2);
  assert.deepEqual(JSON.parse(third.summaryJson).memories, []);
  // Export Report of a component is the whole component's, exactly as inspect prints it.
  const file = path.join(mkdtempSync(path.join(tmpdir(), "wasm-cow-worker-")), "app.wasm");
  writeFileSync(file, bytes);
  const cli = await captureCli(["inspect", file, "--json"]);
  assert.equal(cli.code, 0, cli.stderr);
  await client.analyze(bytes, file, 4096, 16 * 1024 * 1024, 2);
  assert.equal(await client.reportText(), cli.stdout);
  assert.equal(JSON.parse(cli.stdout).kind, "component");
  rmSync(path.dirname(file), { recursive: true });
  // A core module is no component.
  const plain = await client.analyze(readFileSync(samples[0]!), samples[0]!, 4096, 1 << 24);
  assert.equal(plain.component, null);
});

test("a malformed module inside a component: the error names the offset in the file", async () => {
  const bytes = componentWat("(component (core module (memory 1)))").slice();
  const moduleStart = bytes.indexOf(0x61, 8) - 1; // the inner module's "\0asm"
  bytes[moduleStart + 8] = 0x20; // its first section id
  await assert.rejects(client.analyze(bytes, "bad.wasm", 4096, 1 << 24), (error) => {
    assert.ok(error instanceof AnalysisError);
    assert.equal(error.offset, moduleStart + 8);
    assert.match(error.message, /component → module 0: malformed section id/);
    return true;
  });
});

test("the compare diff: the left worker's against the right's, as diffLayouts makes it", async () => {
  const [leftFile, rightFile] = ["dirty-per-call.wasm", "stack-first.wasm"].map((name) =>
    samples.find((file) => file.endsWith(name))!,
  );
  const right = new AnalysisClient(WORKER);
  try {
    const options = { pageSize: 4096, denseLimit: 16 * 1024 * 1024, fileName: "x.wasm" };
    const sides = [leftFile!, rightFile!].map((file) => {
      const module = readModule(new Uint8Array(readFileSync(file)));
      const plan = planImages(module, options);
      const layout = moduleLayout(module, plan);
      return { report: reportOf(module, plan, options), ...layout };
    });
    await client.analyze(readFileSync(leftFile!), leftFile!, 4096, 16 * 1024 * 1024);
    const rightResult = await right.analyze(
      readFileSync(rightFile!),
      rightFile!,
      4096,
      16 * 1024 * 1024,
    );
    const packed = await client.diff({ ...rightResult, ...(await right.diffSide(true)) });
    const expected = diffLayouts(sides[0]!, sides[1]!);
    assert.ok(expected.differences.length > 2, "the samples differ");
    assert.equal(packed.differences.count, expected.differences.length);
    expected.differences.forEach((difference, i) =>
      assert.deepEqual(differenceAt(packed, i), difference),
    );
  } finally {
    right.dispose();
  }
});

test("a diff before any analysis is refused", async () => {
  const fresh = new AnalysisClient(WORKER);
  try {
    await assert.rejects(
      fresh.diff({ summaryJson: "{}", segments: segmentColumns([]), layers: [], pageHashes: [] }),
      /no module was analysed/,
    );
  } finally {
    fresh.dispose();
  }
});
