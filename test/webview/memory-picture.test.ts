// The Overview's picture of a memory in Chromium: regions.wasm (a wasm-ld-style layout
// written by hand in examples/regions.wat) shows the regions its segment names and
// linker globals give, with the bounds worked out by hand from its source
// (test/helpers/regions-sample.ts); after a real run
// of `work`, the pages it writes are attributed to those regions on the Overview and in
// the stepper; and a 4 GiB memory with 3 bytes 3 GiB in gets a compressed gap, marked
// with its size, and an image wide enough to see.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunView } from "../../common/webview-protocol";
import {
  activeData,
  dataSection,
  i32Offset,
  memorySection,
  module,
} from "../helpers/binary-builder";
import {
  regionRows,
  REGIONS_SAMPLE_DIRTIED,
  REGIONS_SAMPLE_REGIONS,
} from "../helpers/regions-sample";
import { exampleModules, type ExampleModule } from "./harness/fixtures";
import { reportMessage } from "./harness/messages";
import { startHarness, type WebviewHarness, type WebviewPage } from "./harness/webview-harness";
import { newRecorder, type Recorder } from "./stepper-run-view";

let harness: WebviewHarness;
let regionsModule: ExampleModule;
let recorder: Recorder;
/** regions.wasm after instantiate and one call of `work`. */
let run: RunView;

before(async () => {
  const [started, examples] = await Promise.all([startHarness(), exampleModules()]);
  harness = started;
  regionsModule = examples.find((e) => e.name === "regions.wasm")!;
  assert.ok(regionsModule, "examples/regions.wat is built");
  recorder = newRecorder();
  const views = await recorder.record(regionsModule, [
    { action: "instantiate" },
    { action: "invoke", export: "work", args: [] },
  ]);
  run = views.at(-1)!;
  assert.equal(run.error, null);
});

after(async () => {
  await recorder?.dispose();
  await harness?.close();
});

async function openOverview(
  bytes: Uint8Array,
  name: string,
  withRun?: RunView,
): Promise<WebviewPage> {
  const view = await harness.openWebview({ theme: "dark" });
  await view.start({
    report: reportMessage(bytes, { fileName: name }),
    then: withRun ? [{ type: "run", run: withRun }] : [],
  });
  await view.page.locator(".memory-picture svg").first().waitFor();
  return view;
}

describe("regions", () => {
  test("segment names and the linker's globals give each region its bounds", async () => {
    const view = await openOverview(regionsModule.bytes, regionsModule.name);
    assert.deepEqual(await regionRows(view.page), REGIONS_SAMPLE_REGIONS);
    // Drawn left to right in address order (x of each box's left edge).
    const boxes = await view.page
      .locator(".memory-picture-box .picture-region")
      .evaluateAll((groups) =>
        groups.map((g) => [
          (g as SVGGElement).dataset.region!,
          Number(g.querySelector("rect")!.getAttribute("x")),
          Number(g.querySelector("rect")!.getAttribute("width")),
        ]),
      );
    const x = Object.fromEntries(boxes.map(([label, left]) => [label, left as number]));
    assert.ok(
      x[".rodata"]! < x[".data"]! && x[".data"]! < x.stack! && x.stack! < x.heap!,
      JSON.stringify(x),
    );
    // The whole memory is regions but for its first KiB: drawn to scale, the heap is
    // 188,400 / 65,536 of the stack's width.
    const width = Object.fromEntries(boxes.map(([label, , w]) => [label, w as number]));
    assert.ok(
      Math.abs(width.heap! / width.stack! - 188_400 / 65_536) < 0.02,
      JSON.stringify(width),
    );
    assert.equal(
      await view.page.locator(".picture-breaks [data-gap]").count(),
      0,
      "no gap compressed",
    );
    // The image (3 pages, all holding data) is drawn as data.
    assert.equal(await view.page.locator(".memory-picture-box .picture-image-zero").count(), 0);
    assert.equal(await view.page.locator(".memory-picture-box .picture-image-data").count(), 1);
    await view.close();
  });

  test("after a run, the pages `work` wrote are attributed: 2 .data, 2 heap, 1 stack", async () => {
    const expected = REGIONS_SAMPLE_DIRTIED;
    const view = await openOverview(regionsModule.bytes, regionsModule.name, run);
    const summary = view.page.locator(".memory-picture-summary");
    await summary.waitFor();
    assert.equal(
      await summary.textContent(),
      `After step ${run.steps.length} (Invoke work): ${expected}.`,
    );
    const dirtied = await view.page
      .locator(".memory-regions tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => [
          (row as HTMLElement).dataset.region!,
          row.querySelector('[data-column="dirtied"]')!.textContent,
        ]),
      );
    assert.deepEqual(dirtied, [
      [".rodata", "0"],
      [".data", "2"],
      ["static data", "0"],
      ["stack", "1"],
      ["heap", "2"],
    ]);
    // Five dirtied pages in three runs of adjacent pixels at most: .data's two pages
    // touch, the heap's two touch.
    const runs = await view.page.locator(".memory-picture-box .picture-dirtied").count();
    assert.ok(runs >= 3 && runs <= 5, `${runs} runs`);
    // The stepper says the same of the step.
    await view.page.getByRole("tab", { name: "Instantiation" }).click();
    const field = view.page.locator('.memory-after-step [data-field="dirtied"]');
    await field.first().waitFor();
    assert.equal(await field.first().textContent(), expected);
    await view.close();
  });
});

describe("scale", () => {
  test("3 bytes 3 GiB into 4 GiB: both gaps compressed and labelled, the image visible", async () => {
    const bytes = module(
      memorySection({ min: 65536 }),
      dataSection(activeData(i32Offset(0xc000_0000 | 0), [1, 2, 3])),
    );
    const view = await openOverview(bytes, "far.wasm");
    const gaps = await view.page
      .locator(".picture-breaks [data-gap]")
      .evaluateAll((groups) =>
        groups.map((g) => [Number((g as SVGGElement).dataset.gap), g.textContent]),
      );
    assert.deepEqual(gaps, [
      [0xc000_0000, "≈ 3 GiB empty"],
      [2 ** 32 - 0xc000_0000 - 4096, "≈ 1 GiB empty"],
    ]);
    const boxWidth = Number(
      await view.page.locator(".memory-picture-box").getAttribute("data-width"),
    );
    const image = await view.page
      .locator(".memory-picture-box .picture-image-data")
      .evaluate((rect) => ({
        x: Number(rect.getAttribute("x")),
        width: Number(rect.getAttribute("width")),
      }));
    assert.ok(image.width >= 2, `the image is ${image.width} px wide`);
    // To scale it would start at three quarters of the width; the compressed gaps move
    // it, but it stays between them.
    assert.ok(image.x > 0 && image.x + image.width < boxWidth, JSON.stringify(image));
    await view.close();
  });
});
