// The notice over an empty static page map, on real reports of modules written for each
// case: an imported memory, offsets from an imported global (position-independent code),
// passive segments only, no segment at all; and none for a module with an image.

import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyMapText } from "../../common/empty-map-text";
import type { ReportJson } from "../../common/report-json";
import { inspectModule } from "../../extension/analysis/inspect";
import { toJsonText } from "../../extension/analysis/json-text";
import { wat } from "../helpers/wat";

async function notice(source: string): Promise<string | null> {
  const report = JSON.parse(
    toJsonText(
      inspectModule(await wat(source), { pageSize: 4096, denseLimit: 1 << 24, fileName: "m.wasm" }),
    ),
  ) as ReportJson;
  const image = report.images.find((i) => i.memory === 0) ?? null;
  return emptyMapText(report.memories[0]!, image, report.passiveSegments);
}

test("an image: no notice", async () => {
  assert.equal(await notice(`(module (memory 1) (data (i32.const 16) "x"))`), null);
});

test("an imported memory: no image pages to show are the importer's", async () => {
  // With data, the map shows the pages an image would cover (and says Wasmtime builds none).
  assert.equal(
    await notice(`(module (import "env" "memory" (memory 1)) (data (i32.const 16) "x"))`),
    null,
  );
  const text = await notice(`(module (import "env" "memory" (memory 1)) (data "x"))`);
  assert.match(text!, /^No image pages: memory 0 is imported/);
});

test("offsets from an imported global: the planner's reason", async () => {
  const text = await notice(`(module
    (import "env" "__memory_base" (global $base i32))
    (memory 1)
    (data (global.get $base) "x"))`);
  assert.match(
    text!,
    /^No image pages for memory 0: data segment 0 has a non-constant offset.*advice/,
  );
});

test("passive segments only, and no segment at all", async () => {
  assert.match(
    (await notice(`(module (memory 1) (data "a") (data "b"))`))!,
    /no active data segment writes it, so it starts all zeros\. Its passive segments are copied by memory\.init/,
  );
  assert.equal(
    await notice(`(module (memory 1))`),
    "No image pages for memory 0: no active data segment writes it, so it starts all zeros.",
  );
});
