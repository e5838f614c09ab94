// The extension's analysis worker (the built dist/analysis-worker.js, as the extension
// runs it): its export text is exactly what `wasm-cow inspect --json` prints, and the
// compact report the webview parses holds the same object.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { AnalysisClient, AnalysisError } from "../../extension/editor/analysis-client";
import { buildExamples } from "../../scripts/build-examples";
import { captureCli } from "../helpers/cli-capture";

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
    assert.deepEqual(JSON.parse(analysed.reportJson), JSON.parse(cli.stdout), file);
    assert.ok(!analysed.reportJson.includes("\n"), "the webview's copy is compact");
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
