// The Instantiation stepper in Chromium, fed with RunViews a real RunController published
// while a real runner ran dirty-per-call.wasm: every step's page counts (table and page
// map legend) equal the runner's snapshot of that step, Next/Back and the keyboard move
// the current step, the actions post the protocol's messages, and nothing runs when
// execution is unavailable.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunView } from "../../common/webview-protocol";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { exampleModules } from "./harness/fixtures";
import { NO_WASMTIME, reportMessage, type ReportMessage } from "./harness/messages";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";
import {
  DIRTY_PER_CALL_SCRIPT,
  newRecorder,
  openRunTab,
  postedRuns,
  STATE_NAMES,
  fixtureModule,
  type Recorder,
  type Scripted,
} from "./stepper-run-view";
import type { StepRecord } from "../../common/run-types";

let harness: WebviewHarness;
let recorder: Recorder;
let report: ReportMessage;
let views: RunView[];
let final: RunView;
/** A module's report and the view after running the script on it. */
let hello: { report: ReportMessage; run: RunView };
let arithmetic: { report: ReportMessage; run: RunView };

async function recorded(name: "wasiHello" | "arithmetic", script: Scripted[]) {
  const module = await fixtureModule(name);
  const run = (await recorder.record(module, script)).at(-1)!;
  assert.equal(run.error, null);
  return { report: reportMessage(module.bytes, { fileName: module.name }), run };
}

before(async () => {
  const dirty = (await exampleModules()).find((m) => m.name === "dirty-per-call.wasm")!;
  report = reportMessage(dirty.bytes, { fileName: dirty.name });
  recorder = newRecorder();
  views = await recorder.record(dirty, DIRTY_PER_CALL_SCRIPT);
  final = views.at(-1)!;
  assert.deepEqual(views.map((v) => v.error).filter(Boolean), [], "the recorded run has no errors");
  // The pool has two slots and dirty-per-call keeps one: release before the next module.
  hello = await recorded("wasiHello", [{ action: "instantiate" }, { action: "release" }]);
  arithmetic = await recorded("arithmetic", [{ action: "instantiate" }]);
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  await recorder?.dispose();
  await assertNoRunnerLeft();
});

function open(run: RunView | null, extra: Partial<Parameters<typeof openRunTab>[1]> = {}) {
  return openRunTab(harness, { report, run, tab: "Instantiation", ...extra });
}

async function currentStep(view: WebviewPage): Promise<number> {
  const current = view.page.locator('.timeline-step[aria-current="step"]');
  assert.equal(await current.count(), 1, "exactly one current step");
  return Number(await current.getAttribute("data-step-index"));
}

async function waitForCurrent(view: WebviewPage, index: number): Promise<void> {
  await view.page.waitForSelector(
    `.timeline-step[data-step-index="${index}"][aria-current="step"]`,
  );
}

/** What the detail shows per memory: the counts table and the page map legend. */
function shownCounts(view: WebviewPage) {
  return view.page.evaluate(() =>
    [...document.querySelectorAll("section.memory-after-step")].map((section) => ({
      memory: Number(section.getAttribute("data-memory")),
      table: Object.fromEntries(
        [...section.querySelectorAll("td[data-count]")].map((cell) => [
          cell.getAttribute("data-count"),
          Number(cell.textContent!.replace(/,/g, "")),
        ]),
      ),
      legend: Object.fromEntries(
        [...section.querySelectorAll("li.page-map-legend-item")].map((item) => [
          item.getAttribute("data-state"),
          Number(item.getAttribute("data-count")),
        ]),
      ),
    })),
  );
}

/** The step's counts by an independent tally of its page states. */
function tally(memory: StepRecord["memories"][number]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(STATE_NAMES.map((n) => [n, 0]));
  for (const state of memory.states!) counts[STATE_NAMES[state]!]!++;
  return counts;
}

test("every step's page counts and legend equal the runner's snapshot of that step", async () => {
  const view = await open(final);
  for (const [index, step] of final.steps.entries()) {
    await view.page.click(`.timeline-step[data-step-index="${index}"]`);
    await waitForCurrent(view, index);
    const shown = await shownCounts(view);
    assert.equal(shown.length, step.memories.length, `step ${index + 1} (${step.step}): memories`);
    for (const [k, memory] of step.memories.entries()) {
      const where = `step ${index + 1} (${step.step}), memory ${memory.memory}`;
      assert.deepEqual(memory.pages, tally(memory), `${where}: the snapshot is self-consistent`);
      const { total, ...table } = shown[k]!.table;
      assert.equal(shown[k]!.memory, memory.memory);
      assert.deepEqual(table, memory.pages, `${where}: the counts table`);
      assert.equal(total, memory.states!.length, `${where}: total pages`);
      assert.deepEqual(shown[k]!.legend, memory.pages, `${where}: the page map legend`);
    }
  }
  assert.deepEqual(view.collectConsoleErrors(), []);
  await view.close();
});

test("a step shows its time, system calls, pick and reset detail", async () => {
  const view = await open(final);
  const resets = [...final.steps.entries()].filter(([, s]) => s.step === "reset");
  const [index, reset] = resets.find(([, s]) => s.detail?.strategy === "pagemap")!;
  await view.page.click(`.timeline-step[data-step-index="${index}"]`);
  await waitForCurrent(view, index);
  const detail = view.page.locator("section.step-detail");
  assert.equal(
    await detail.locator('[data-field="ns"]').getAttribute("data-value"),
    String(reset.ns),
  );
  for (const name of ["mmap", "mprotect", "madvise", "ioctl", "copies"] as const) {
    assert.equal(
      await detail.locator(`[data-syscall="${name}"]`).textContent(),
      String(reset.syscalls?.[name]),
      name,
    );
  }
  for (const key of ["strategy", "bytesResident", "pagesRestored"]) {
    assert.equal(
      await detail.locator(`[data-detail="${key}"]`).getAttribute("data-value"),
      String(reset.detail![key]),
      key,
    );
  }
  const [acquireIndex, acquire] = [...final.steps.entries()].find(([, s]) => s.pick === "affine")!;
  await view.page.click(`.timeline-step[data-step-index="${acquireIndex}"]`);
  await waitForCurrent(view, acquireIndex);
  assert.equal(
    await detail.locator('[data-field="pick"]').getAttribute("data-value"),
    acquire.pick,
  );
  const [invokeIndex, invoke] = [...final.steps.entries()].find(([, s]) => s.step === "invoke")!;
  await view.page.click(`.timeline-step[data-step-index="${invokeIndex}"]`);
  await waitForCurrent(view, invokeIndex);
  assert.match(
    (await detail.locator('[data-field="result"]').textContent()) ?? "",
    new RegExp(`i32 ${invoke.result![0]!.value}`),
  );
  await view.close();
});

test("Next, Back and the keyboard move the current step; new steps are followed", async () => {
  const view = await open(final);
  const last = final.steps.length - 1;
  assert.equal(await currentStep(view), last, "the newest step is current");
  await view.page.click('vscode-button[data-nav="back"]');
  await waitForCurrent(view, last - 1);
  await view.page.click('vscode-button[data-nav="next"]');
  await waitForCurrent(view, last);
  assert.equal(
    await view.page.locator('vscode-button[data-nav="next"]').getAttribute("disabled"),
    "",
  );

  await view.page.focus(`.timeline-step[data-step-index="${last}"]`);
  const focusedIndex = () =>
    view.page.evaluate(() => document.activeElement?.getAttribute("data-step-index"));
  await view.page.keyboard.press("ArrowUp");
  await waitForCurrent(view, last - 1);
  assert.equal(await focusedIndex(), String(last - 1), "the focus moves with the current step");
  await view.page.keyboard.press("Home");
  await waitForCurrent(view, 0);
  await view.page.keyboard.press("ArrowDown");
  await waitForCurrent(view, 1);
  assert.equal(await focusedIndex(), "1");
  assert.match(
    (await view.page.locator('[data-field="position"]').textContent()) ?? "",
    new RegExp(`^Step 2 of ${final.steps.length}:`),
  );
  await view.page.keyboard.press("End");
  await waitForCurrent(view, last);
  await view.page.keyboard.press("ArrowDown");
  await waitForCurrent(view, last);

  // At the newest step, a longer run moves along; at an older one, the next action's new
  // steps are followed too (the newest is what the user just asked for).
  const earlier = views.find((v) => v.steps.length > 3 && v.steps.length < final.steps.length)!;
  await view.deliver({ type: "run", run: earlier });
  await waitForCurrent(view, earlier.steps.length - 1);
  await view.deliver({ type: "run", run: final });
  await waitForCurrent(view, last);
  await view.page.click('.timeline-step[data-step-index="2"]');
  await waitForCurrent(view, 2);
  await view.deliver({
    type: "run",
    run: { ...final, steps: [...final.steps, final.steps.at(-1)!] },
  });
  await view.page.waitForSelector(`.timeline-step[data-step-index="${last + 1}"]`);
  await waitForCurrent(view, last + 1);
  await view.close();
});

test("the actions post the protocol's run messages", async () => {
  const view = await open(final);
  const click = (action: string) =>
    view.page.click(`section.stepper vscode-button[data-action="${action}"]`);
  await click("instantiate");
  await view.page.locator('vscode-textfield[data-field="args"] input').fill("7, -8");
  await click("invoke");
  await view.page.locator('vscode-textfield[data-field="args"] input').fill("");
  await view.page.locator('vscode-textfield[data-field="args"] input').press("Enter");
  await click("release");
  await click("instantiateOther");
  await click("runToEnd");
  await view.waitForPosted((m) => m.type === "run" && m.action === "runToEnd");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["v8"], action: "instantiate" },
    { type: "run", engines: ["v8"], action: "invoke", export: "touch", args: ["7", "-8"] },
    { type: "run", engines: ["v8"], action: "invoke", export: "touch", args: [] },
    { type: "run", engines: ["v8"], action: "release" },
    { type: "run", engines: ["v8"], action: "instantiateOther" },
    { type: "run", engines: ["v8"], action: "runToEnd" },
  ]);
  await view.close();
});

test("the export select lists the function exports; the chosen one is invoked", async () => {
  const view = await openRunTab(harness, { ...arithmetic, tab: "Instantiation" });
  const select = view.page.locator('vscode-single-select[data-field="export"]');
  const options = await select.locator("vscode-option").allTextContents();
  // The fixture's WAT exports these functions (and a memory, which is not invocable),
  // each listed with its type.
  assert.deepEqual(
    options.map((o) => o.trim()),
    [
      "add (i32, i32) -> i32",
      "triple (i64) -> i64",
      "half (f64) -> f64",
      "stored () -> i32",
      "bump () -> i32",
      "boom () -> ()",
      "spin () -> ()",
    ],
  );
  await select.click();
  await view.page.getByRole("option", { name: "half (f64) -> f64" }).click();
  await view.page.locator('vscode-textfield[data-field="args"] input').fill(" 2.5 ");
  await view.page.click('vscode-button[data-action="invoke"]');
  await view.waitForPosted((m) => m.type === "run");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["v8"], action: "invoke", export: "half", args: ["2.5"] },
  ]);
  await view.close();
});

test("while an action runs the actions are disabled; a run error is an alert", async () => {
  const view = await open({ ...final, running: true });
  const actions = view.page.locator("section.stepper vscode-button[data-action]");
  assert.equal(await actions.count(), 5);
  for (const button of await actions.all()) {
    assert.equal(await button.getAttribute("disabled"), "", (await button.textContent()) ?? "");
    await button.click({ force: true });
  }
  assert.match((await view.page.locator('[data-field="blocked"]').textContent()) ?? "", /running/);
  await view.deliver({ type: "run", run: { ...final, error: 'no exported function "nope"' } });
  const alert = view.page.locator('section.stepper [role="alert"]');
  assert.equal(await alert.textContent(), 'no exported function "nope"');
  assert.deepEqual(await postedRuns(view), [], "nothing was posted while running");
  await view.close();
});

test("without execution every action is disabled and says why", async () => {
  const reason =
    "this workspace is in Restricted Mode: running module code needs a trusted workspace";
  const view = await open(null, {
    capabilities: {
      execution: false,
      executionUnavailable: reason,
      pending: false,
      hostPageSize: null,
      wasmtime: NO_WASMTIME,
    },
  });
  const actions = view.page.locator("section.stepper vscode-button[data-action]");
  assert.equal(await actions.count(), 5);
  for (const button of await actions.all()) {
    assert.equal(await button.getAttribute("disabled"), "", (await button.textContent()) ?? "");
    await button.click({ force: true });
  }
  assert.equal(
    await view.page.locator('vscode-single-select[data-field="export"]').getAttribute("disabled"),
    "",
  );
  // The reason is said once, in the notice above the tabs; the tab points at it.
  assert.equal(
    (await view.page.locator('section.stepper [data-field="blocked"]').textContent())?.trim(),
    "Execution is unavailable: the notice above says why.",
  );
  assert.equal(await view.page.getByText(reason).count(), 1);
  assert.deepEqual(await postedRuns(view), []);
  await view.close();
});

test("captured WASI output shows with its step", async () => {
  const view = await openRunTab(harness, { ...hello, tab: "Instantiation" });
  const index = hello.run.steps.findIndex((s) => s.step === "start");
  assert.ok(index >= 0, "the module's _start ran");
  await view.page.click(`.timeline-step[data-step-index="${index}"]`);
  await waitForCurrent(view, index);
  assert.equal(await view.page.locator('[data-output="stdout"]').textContent(), "hello");
  await view.close();
});

for (const theme of ["dark", "light", "high-contrast"] as const) {
  test(`axe finds no violations (${theme})`, async () => {
    const view = await open(final, { theme });
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
    assert.deepEqual(view.cspViolations(), []);
    await view.close();
  });
}

test("a step that ended in proc_exit says the program exited, with its code", async () => {
  const [index, invoke] = [...final.steps.entries()].find(([, s]) => s.step === "invoke")!;
  const exited = {
    ...final,
    steps: final.steps.map((step, i) =>
      i === index ? { ...invoke, detail: { ...invoke.detail, exitStatus: 3 } } : step,
    ),
  };
  const view = await open(exited);
  await view.page.click(`.timeline-step[data-step-index="${index}"]`);
  await waitForCurrent(view, index);
  const detail = view.page.locator("section.step-detail");
  assert.equal(
    (await detail.locator('[data-field="exit"]').textContent())?.replace(/\s+/g, " ").trim(),
    "Exited with code 3 (proc_exit): the instance runs no more code.",
  );
  assert.equal(await detail.locator('[data-field="result"]').count(), 0);
  await view.close();
});
