// Text a module controls, shown in the webview: a memory imported under names with an
// escape sequence and a bidi override, an export whose name carries a terminal escape, and
// a data segment named so (Segments, page map, Compare).
// React already keeps markup out; what is checked here is that control and bidi
// characters are shown as escapes (common/display-text.ts), never as themselves, in the
// Overview, the export picker, the timeline and a step's error, while the name posted back
// to the host stays exact.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunView } from "../../common/webview-protocol";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { wat } from "../helpers/wat";
import { diffMessage, reportMessage, type ReportMessage } from "./harness/messages";
import {
  activeData,
  dataSection,
  i32Offset,
  memorySection,
  module as wasmModule,
  nameSection,
} from "../helpers/binary-builder";
import { startHarness, type WebviewHarness } from "./harness/webview-harness";
import { newRecorder, openRunTab, postedRuns, type Recorder } from "./stepper-run-view";

/** ESC, the right-to-left override and a carriage return. */
const EXPORT = "boom\u001b[2J\u202e";
/** Characters that must never reach the page as themselves. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u001b\r\u202e\u2066]/;

let harness: WebviewHarness;
let recorder: Recorder;
let report: ReportMessage;
let run: RunView;
let runReport: ReportMessage;

before(async () => {
  // The Overview module imports its memory under hostile names; the run module exports a
  // function under one and traps in it.
  const imported = await wat(
    `(module (import "env\\1b]0;pwned\\07" "mem\\0d\\e2\\81\\a6ory" (memory 1)))`,
  );
  report = reportMessage(imported, { fileName: "imported.wasm" });
  const trapping = await wat(
    `(module (memory (export "memory") 1) (func (export "boom\\1b[2J\\e2\\80\\ae") unreachable))`,
  );
  runReport = reportMessage(trapping, { fileName: "trapping.wasm" });
  recorder = newRecorder();
  run = (
    await recorder.record({ name: "trapping.wasm", bytes: trapping }, [
      { action: "instantiate" },
      { action: "invoke", export: EXPORT, args: [] },
    ])
  ).at(-1)!;
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  await recorder?.dispose();
  await assertNoRunnerLeft();
});

test("the Overview shows an imported memory's hostile names as escapes", async () => {
  const view = await harness.openWebview();
  await view.start({ report });
  const kind = await view.page.locator('[data-field="memories.0.kind"]').textContent();
  assert.doesNotMatch(kind!, UNSAFE);
  // The module's names: "env" ESC "]0;pwned" BEL, and "mem" CR U+2066 "ory".
  assert.equal(kind, "32-bit, imported from env\\x1b]0;pwned\\x07.mem\\x0d\\u{2066}ory");
  await view.close();
});

test("an export's name: escaped in the picker and the timeline, exact in what is posted", async () => {
  const step = run.steps.find((s) => s.step === "invoke")!;
  assert.equal(step.export, EXPORT, "the runner keeps the exact name");
  assert.ok(step.error, "the export traps");
  const view = await openRunTab(harness, { report: runReport, run, tab: "Instantiation" });
  const option = await view.page
    .locator('vscode-single-select[data-field="export"] vscode-option')
    .first()
    .textContent();
  assert.equal(option?.trim(), "boom\\x1b[2J\\u{202e} () -> ()");
  const timeline = (await view.page.locator(".timeline-step").allTextContents()).join(" | ");
  assert.doesNotMatch(timeline, UNSAFE);
  assert.match(timeline, /Invoke boom\\x1b\[2J\\u\{202e\}/);
  const body = await view.page.locator("section.stepper").textContent();
  assert.doesNotMatch(body!, UNSAFE);

  await view.page.click('section.stepper vscode-button[data-action="invoke"]');
  await view.waitForPosted((m) => m.type === "run" && m.action === "invoke");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["v8"], action: "invoke", export: EXPORT, args: [] },
  ]);
  await view.close();
});

test("a data segment's name: escaped in the Segments table, on the page map and in Compare", async () => {
  // Segment 0 named ESC "[2J" U+202E "x" by the name section; the right module moves it.
  const named = (start: number) =>
    wasmModule(
      memorySection({ min: 1 }),
      dataSection(activeData(i32Offset(start), [1, 2, 3])),
      nameSection({ data: [[0, "seg\u001b[2J\u202ex"]] }),
    );
  const shown = "seg\\x1b[2J\\u{202e}x";
  const [left, right] = [named(0), named(8192)];

  const view = await harness.openWebview();
  await view.start({ report: reportMessage(left, { fileName: "named.wasm" }) });
  await view.page.getByRole("tab", { name: "Segments" }).click();
  const cell = view.page.locator("[role=grid] [data-segment='0'] [data-column='name']");
  assert.equal(await cell.textContent(), shown);
  assert.equal(await cell.getAttribute("title"), shown);
  await view.page.getByRole("tab", { name: "Page map" }).click();
  await view.page.locator(".page-map-frame").focus();
  const info = await view.page.locator(".page-map-info").textContent();
  assert.match(info!, new RegExp(`#0 "${shown.replace(/[\\[\]{}]/g, "\\$&")}"`));
  await view.close();

  const compare = await harness.openWebview();
  await compare.start({
    view: "compare",
    report: reportMessage(left, { fileName: "a.wasm", side: "left" }),
    then: [reportMessage(right, { fileName: "b.wasm", side: "right" }), diffMessage(left, right)],
  });
  await compare.page.locator(".compare-segment-table [data-kind='moved']").waitFor();
  const rows = await compare.page.locator("section.compare").textContent();
  assert.doesNotMatch(rows!, UNSAFE);
  assert.ok(rows!.includes(`0 "${shown}"`), "the segment column");
  await compare.page.keyboard.press("n");
  await compare.page.keyboard.press("n");
  const status = await compare.page.locator(".compare-nav-status").textContent();
  assert.doesNotMatch(status!, UNSAFE);
  await compare.close();
});
