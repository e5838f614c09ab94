// The engine picker and "V8 emulation vs Wasmtime" in Chromium, fed with RunViews that
// real RunControllers published while a V8 runner and a real-Wasmtime runner ran the same
// script on dirty-per-call.wasm (same pool: two slots, no spare warm slots): the picker
// posts each action to the chosen engines, the side-by-side table pairs the steps with the
// kernel's page counts of each engine and marks a row that differs, the Wasmtime view
// shows Wasmtime's own pick, and without the library the picker says how to get it.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { pairEngineSteps } from "../../common/engine-comparison";
import type { Capabilities, RunView } from "../../common/webview-protocol";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { exampleModules } from "./harness/fixtures";
import {
  EXECUTION_AVAILABLE,
  NO_WASMTIME,
  reportMessage,
  type ReportMessage,
} from "./harness/messages";
import { formatAxe, startHarness, type WebviewHarness } from "./harness/webview-harness";
import {
  openRunTab,
  recordInEngines,
  postedRuns,
  type Recorder,
  type Scripted,
} from "./stepper-run-view";

const SCRIPT: Scripted[] = [
  { action: "instantiate" },
  { action: "invoke", export: "touch", args: [] },
  { action: "invoke", export: "touch", args: [] },
  { action: "release" },
  { action: "instantiate" },
  { action: "invoke", export: "touch", args: [] },
];

const library = findWasmtime();
if (!("found" in library)) assert.fail(library.missing);
const WITH_WASMTIME: Capabilities = {
  ...EXECUTION_AVAILABLE,
  wasmtime: { available: true, version: library.found.version, library: library.found.path },
} as Capabilities;

let harness: WebviewHarness;
const recorders: Recorder[] = [];
let report: ReportMessage;
let v8: RunView;
let wasmtime: RunView;

before(async () => {
  const dirty = (await exampleModules()).find((m) => m.name === "dirty-per-call.wasm")!;
  report = reportMessage(dirty.bytes, { fileName: dirty.name });
  [v8, wasmtime] = await recordInEngines(["v8", "wasmtime"], dirty, SCRIPT, recorders);
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  for (const recorder of recorders) await recorder.dispose();
  await assertNoRunnerLeft();
});

function openBoth(
  tab: "Instantiation" | "Slot pool" = "Instantiation",
  theme?: "light" | "dark" | "high-contrast",
) {
  return openRunTab(harness, {
    report,
    run: v8,
    others: [wasmtime],
    tab,
    capabilities: WITH_WASMTIME,
    ...(theme ? { theme } : {}),
  });
}

async function choose(view: Awaited<ReturnType<typeof openBoth>>, engine: string): Promise<void> {
  await view.page.click(`vscode-radio[data-engine="${engine}"]`);
  await view.waitForState<{ views?: { engine?: string } }>(
    (state) => state?.views?.engine === engine,
  );
}

test("the picker offers V8, Wasmtime with its version, and both; actions go to the chosen engines", async () => {
  const view = await openBoth();
  const labels = await view.page
    .locator('[data-field="engine-picker"] vscode-radio')
    .evaluateAll((radios) =>
      radios.map((radio) => (radio as HTMLElement & { label: string }).label),
    );
  assert.deepEqual(labels, ["V8 emulation", `Wasmtime ${library.found.version}`, "Side by side"]);
  const click = (action: string) =>
    view.page.click(`section.stepper vscode-button[data-action="${action}"]`);
  await choose(view, "wasmtime");
  await click("release");
  await choose(view, "both");
  await click("instantiate");
  await view.waitForPosted((m) => m.type === "run" && m.action === "instantiate");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["wasmtime"], action: "release" },
    { type: "run", engines: ["v8", "wasmtime"], action: "instantiate" },
  ]);
  await view.close();
});

test("side by side: every step of both engines, with the kernel's counts; all agree here", async () => {
  const view = await openBoth();
  await choose(view, "both");
  const rows = view.page.locator("table.engine-steps tbody tr");
  const pairs = pairEngineSteps(v8.steps, wasmtime.steps);
  // instantiate, 2 touches, reset; instantiate, 1 touch: six steps each.
  assert.equal(pairs.length, 6);
  assert.equal(await rows.count(), 6);
  for (const [i, pair] of pairs.entries()) {
    const row = rows.nth(i);
    assert.equal(await row.getAttribute("data-differs"), "false", `row ${i}`);
    for (const engine of ["v8", "wasmtime"] as const) {
      const step = pair[engine === "v8" ? "left" : "right"]!;
      const pages = await row
        .locator(`td[data-engine="${engine}"] [data-field="pages"]`)
        .textContent();
      // The counts shown are the runner's, for each state present.
      for (const [state, count] of Object.entries(step.pages!)) {
        if (count === 0) continue;
        assert.ok(
          pages!.includes(String(count)),
          `row ${i} ${engine}: ${state} ${count} in "${pages}"`,
        );
      }
    }
  }
  // The first instance: a cold slot; the second: the affine one, in both engines.
  assert.match((await rows.nth(0).textContent())!, /cold slot,.*cold slot,/s);
  assert.match((await rows.nth(4).textContent())!, /affine slot,.*affine slot,/s);
  assert.match(
    (await view.page.locator('[data-field="agreement"]').textContent())!,
    /agree on all 6 steps/,
  );
  await view.close();
});

test("a step whose counts differ is marked, and says what differs", async () => {
  // Wasmtime's view with one more dirty page after the first touch than the kernel saw.
  const doctored: RunView = structuredClone(wasmtime);
  const touch = doctored.steps.find((s) => s.step === "invoke")!;
  touch.memories[0]!.pages.imageDirty += 1;
  touch.memories[0]!.pages.notPresent -= 1;
  const view = await openRunTab(harness, {
    report,
    run: v8,
    others: [doctored],
    tab: "Instantiation",
    capabilities: WITH_WASMTIME,
  });
  await choose(view, "both");
  const row = view.page.locator("table.engine-steps tbody tr").nth(1);
  assert.equal(await row.getAttribute("data-differs"), "true");
  assert.equal(await row.locator('[data-field="differences"]').textContent(), "pages");
  assert.match(
    (await view.page.locator('[data-field="agreement"]').textContent())!,
    /1 of 6 steps differ/,
  );
  await view.close();
});

test("the Wasmtime view shows Wasmtime's steps: the pick inside instantiation, its system calls", async () => {
  const view = await openBoth();
  await choose(view, "wasmtime");
  const timeline = await view.page.locator(".timeline-step").allTextContents();
  assert.ok(
    timeline.some((text) => /Instantiate in slot 0 \(cold\)/.test(text)),
    timeline.join(" | "),
  );
  assert.ok(timeline.some((text) => /Compile \(Wasmtime\)/.test(text)));
  await view.page.locator('.timeline-step:has-text("Instantiate in slot 0 (affine)")').click();
  const affine = wasmtime.steps.find((s) => s.step === "instantiate" && s.pick === "affine")!;
  assert.ok(affine.syscalls, "counted (tracefs is mounted where the tests run)");
  const shown = await view.page
    .locator("td[data-syscall]")
    .evaluateAll((cells) => cells.map((c) => [c.getAttribute("data-syscall"), c.textContent]));
  assert.deepEqual(shown, [
    ["mmap", String(affine.syscalls.mmap)],
    ["mprotect", String(affine.syscalls.mprotect)],
    ["madvise", String(affine.syscalls.madvise)],
    ["ioctl", String(affine.syscalls.ioctl)],
    // A memcpy inside Wasmtime is no system call: not seen.
    ["copies", "not seen"],
  ]);
  await view.close();
});

test("the slot pool side by side: each engine's slots", async () => {
  const view = await openBoth("Slot pool");
  await choose(view, "both");
  for (const engine of ["v8", "wasmtime"] as const) {
    const pool = view.page.locator(`.engine-pool[data-engine="${engine}"]`);
    assert.match(
      (await pool.locator("h2").textContent())!,
      engine === "v8" ? /V8 emulation/ : /Wasmtime/,
    );
    assert.equal(await pool.locator("table.slot-table tbody tr").count(), engine === "v8" ? 2 : 1);
  }
  // Wasmtime does not report retirements: said, not shown as "never".
  assert.equal(
    await view.page
      .locator('.engine-pool[data-engine="wasmtime"] td[data-field="retirements"]')
      .textContent(),
    "not reported",
  );
  await view.close();
});

test("without the library the picker offers nothing else and says how to get Wasmtime", async () => {
  const view = await openRunTab(harness, {
    report,
    run: v8,
    tab: "Instantiation",
    capabilities: { ...EXECUTION_AVAILABLE, wasmtime: NO_WASMTIME },
  });
  assert.equal(await view.page.locator("vscode-radio").count(), 0);
  assert.match(
    (await view.page.locator('[data-field="wasmtime-missing"]').textContent())!,
    /Real Wasmtime is not available: no Wasmtime C API library found: install the wheel/,
  );
  await view.close();
});

for (const theme of ["dark", "light", "high-contrast"] as const) {
  test(`axe finds no violations side by side (${theme})`, async () => {
    const view = await openBoth("Instantiation", theme);
    await choose(view, "both");
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
    await view.close();
  });
}
