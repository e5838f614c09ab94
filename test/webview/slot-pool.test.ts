// The Slot pool tab in Chromium, fed with RunViews a real RunController published while a
// real runner (two slots, max_unused_warm_slots 0) ran dirty-per-call.wasm and the
// controller's other module: every slot's state, affinity and byte counts, the pick of
// the last instantiation, the reset settings (setReset) and the last resets measured
// side by side; disabled with the reason without execution; axe passes.

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
  MODULE_URI_DIR,
  newRecorder,
  openRunTab,
  postedRuns,
  type Recorder,
} from "./stepper-run-view";
import type { SlotView } from "../../common/run-types";
import { exactBytes } from "../../common/format";

const FILE = "dirty-per-call.wasm";

let harness: WebviewHarness;
let recorder: Recorder;
let report: ReportMessage;
let views: RunView[];
let final: RunView;

before(async () => {
  const dirty = (await exampleModules()).find((m) => m.name === FILE)!;
  report = reportMessage(dirty.bytes, { fileName: FILE });
  recorder = newRecorder();
  views = await recorder.record(dirty, DIRTY_PER_CALL_SCRIPT);
  final = views.at(-1)!;
  assert.deepEqual(views.map((v) => v.error).filter(Boolean), [], "the run has no errors");
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  await recorder?.dispose();
  await assertNoRunnerLeft();
});

function open(run: RunView | null, extra: Partial<Parameters<typeof openRunTab>[1]> = {}) {
  return openRunTab(harness, { report, run, tab: "Slot pool", ...extra });
}

/** The view published right after the step with this index ended an action. */
function viewAfter(predicate: (view: RunView) => boolean): RunView {
  const found = views.find((v) => !v.running && predicate(v));
  assert.ok(found, "such a view was published");
  return found;
}

const afterFirstRelease = () => viewAfter((v) => v.steps.at(-1)?.step === "reset");
const afterOther = () =>
  viewAfter((v) => v.steps.at(-1)?.step === "reset" && v.steps.at(-1)?.export === "(other module)");

/** What the affinity cell must say, from the runner's affinity (module id and memory). */
function expectedAffinity(slot: SlotView): RegExp {
  if (slot.affinity === null) return /^none$/;
  const { moduleId, memory } = slot.affinity;
  if (moduleId === `${MODULE_URI_DIR}${FILE}` && memory === 0)
    return /^dirty-per-call\.wasm \(this module\), memory 0$/;
  if (moduleId === `${MODULE_URI_DIR}${FILE}#other` && memory === 0)
    return /other module.*, memory 0$/;
  throw new Error(`unexpected affinity ${JSON.stringify(slot.affinity)}`);
}

async function checkSlots(view: WebviewPage, run: RunView): Promise<void> {
  const rows = view.page.locator("table.slot-table tbody tr");
  assert.equal(await rows.count(), run.slots.length);
  for (const slot of run.slots) {
    const row = view.page.locator(`table.slot-table tr[data-slot="${slot.index}"]`);
    const where = `slot ${slot.index}`;
    assert.equal(await row.getAttribute("data-state"), slot.state, where);
    const cell = (field: string) => row.locator(`[data-field="${field}"]`);
    assert.match((await cell("affinity").textContent())!.trim(), expectedAffinity(slot), where);
    for (const field of ["bytesResident", "accessibleBytes", "retirements"] as const) {
      assert.equal(
        await cell(field).getAttribute("data-value"),
        String(slot[field]),
        `${where} ${field}`,
      );
    }
    assert.equal(await cell("imageMapped").textContent(), slot.imageMapped ? "yes" : "no", where);
  }
}

test("every slot shows its state, affinity and bytes, as the runner reported them", async () => {
  const runs = [afterFirstRelease(), afterOther(), final];
  // The run covers each state and both affinities (so the checks below mean something).
  const seen = runs.flatMap((run) => run.slots);
  for (const state of ["cold", "warm", "in-use"])
    assert.ok(
      seen.some((s) => s.state === state),
      state,
    );
  assert.ok(
    seen.some((s) => s.affinity?.moduleId.endsWith("#other") && s.affinity.memory === 0),
    "the other module's affinity",
  );
  // The other module has this module's limits, so its slot is remapped, never retired;
  // a retirement (a memory that grew, say) is shown as the runner counts it.
  const retired: RunView = {
    ...final,
    slots: final.slots.map((s, i) => (i === 0 ? { ...s, retirements: 3 } : s)),
  };
  const view = await open(runs[0]!);
  for (const run of [...runs, retired]) {
    await view.deliver({ type: "run", run });
    await view.page.waitForFunction(
      (count) => document.querySelectorAll("table.slot-table tbody tr").length === count,
      run.slots.length,
    );
    await checkSlots(view, run);
  }
  assert.deepEqual(view.collectConsoleErrors(), []);
  await view.close();
});

test("a module of another editor with this file's name is not this module", async () => {
  // The runner's pool is shared by every editor; modules are told apart by document URI.
  const run = afterFirstRelease();
  const warm = run.slots.find((s) => s.state === "warm")!;
  const namesake: RunView = {
    ...run,
    slots: run.slots.map((s) =>
      s === warm ? { ...s, affinity: { moduleId: `file:///elsewhere/${FILE}`, memory: 0 } } : s,
    ),
  };
  const view = await open(namesake);
  const cell = view.page.locator(
    `table.slot-table tr[data-slot="${warm.index}"] [data-field="affinity"]`,
  );
  assert.equal((await cell.textContent())?.trim(), `${FILE}, memory 0`);
  assert.match(
    (await view.page.locator('[data-field="next-pick"]').textContent())!,
    /^No slot holds this module's image/,
  );
  await view.close();
});

test("with an instance live: its slot in use, resident bytes as the stepper's, and kept for it", async () => {
  const live = viewAfter((v) => v.liveInstance !== null && v.steps.at(-1)?.step === "invoke");
  const memory = live.steps.at(-1)!.memories[0]!;
  const slot = live.slots.find((s) => s.state === "in-use")!;
  assert.equal(slot.index, memory.slot);
  // One source: the runner's page states, read for the pool as for the step.
  assert.equal(slot.bytesResident, memory.rssBytes);
  assert.ok(slot.bytesResident > 0);
  const view = await open(live);
  const resident = view.page.locator(
    `table.slot-table tr[data-slot="${slot.index}"] [data-field="bytesResident"]`,
  );
  assert.equal((await resident.textContent())?.trim(), exactBytes(memory.rssBytes));
  assert.match(
    (await view.page.locator('[data-field="next-pick"]').textContent())!,
    new RegExp(`^Slot ${slot.index} holds this module's image, in use by the live instance`),
  );
  await view.close();
});

test("the last instantiation's pick and the next pick follow the affinity rule", async () => {
  const view = await open(afterFirstRelease());
  const text = (field: string) => view.page.locator(`[data-field="${field}"]`).textContent();
  assert.equal(await text("last-pick"), "cold");
  assert.match((await text("next-pick"))!, /warm slot still holds this module's image \(slot 0/);
  await view.deliver({ type: "run", run: afterOther() });
  await view.page.waitForSelector('[data-field="next-pick"]:has-text("No slot holds")');
  // Slot 1 is cold, slot 0 warm with the other module: which one depends on the threshold.
  assert.match((await text("next-pick"))!, /cold slot .*max_unused_warm_slots.* remaps/);
  const secondPick = afterOther().steps.filter(
    (s) => s.step === "acquire" && s.export !== "(other module)",
  );
  assert.equal(await text("last-pick"), secondPick.at(-1)!.pick);
  await view.deliver({ type: "run", run: final });
  const lastAcquire = final.steps.filter((s) => s.step === "acquire").at(-1)!;
  await view.page.waitForSelector(`[data-field="last-pick"]:text-is("${lastAcquire.pick}")`);
  assert.match(
    (await text("last-instantiation"))!,
    new RegExp(`instance ${lastAcquire.instance}\\)`),
  );
  await view.close();
});

test("Instantiate again and Instantiate another module post their actions", async () => {
  const view = await open(final);
  await view.page.click('section.slot-pool vscode-button[data-action="instantiate"]');
  await view.page.click('section.slot-pool vscode-button[data-action="instantiateOther"]');
  await view.waitForPosted((m) => m.type === "run" && m.action === "instantiateOther");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["v8"], action: "instantiate" },
    { type: "run", engines: ["v8"], action: "instantiateOther" },
  ]);
  await view.close();
});

test("the reset strategy and keep-resident bytes are posted with setReset", async () => {
  const view = await open(final);
  assert.match(
    (await view.page.locator('[data-field="reset-current"]').textContent())!,
    /pagemap, keeping 65,536 \(64 KiB\) resident/,
    "the host's current reset (the script set pagemap, 64 KiB)",
  );
  const apply = view.page.locator('vscode-button[data-action="setReset"]');
  assert.equal(await apply.getAttribute("disabled"), "", "nothing to apply yet");
  await view.page.locator('vscode-single-select[data-field="strategy"]').click();
  await view.page.getByRole("option", { name: "keep-resident" }).click();
  const keep = view.page.locator('vscode-textfield[data-field="keep-resident"] input');
  await keep.fill("1000");
  assert.match(
    (await view.page.locator('[data-field="keep-resident-error"]').textContent())!,
    /multiple of 4096/,
  );
  assert.equal(await apply.getAttribute("disabled"), "");
  await keep.fill("8192");
  await apply.click();
  await view.page.locator('vscode-single-select[data-field="strategy"]').click();
  await view.page.getByRole("option", { name: "madvise" }).click();
  assert.equal(
    await view.page
      .locator('vscode-textfield[data-field="keep-resident"]')
      .getAttribute("disabled"),
    "",
    "madvise keeps nothing resident",
  );
  await apply.click();
  await view.waitForPosted((m) => m.type === "setReset" && m.strategy === "madvise");
  assert.deepEqual(await postedRuns(view), [
    { type: "setReset", strategy: "keep-resident", keepResidentBytes: 8192 },
    { type: "setReset", strategy: "madvise", keepResidentBytes: 65536 },
  ]);
  await view.close();
});

test("the last reset steps show their time and resident bytes side by side", async () => {
  const view = await open(final);
  const resets = final.steps
    .map((step, index) => ({ step, index }))
    .filter((r) => r.step.step === "reset");
  assert.ok(resets.some((r) => r.step.detail?.strategy === "madvise"));
  assert.ok(resets.some((r) => r.step.detail?.strategy === "pagemap"));
  const rows = view.page.locator("table.reset-comparison tbody tr");
  const shown = resets.slice(-6);
  assert.equal(await rows.count(), shown.length);
  for (const { step, index } of shown) {
    const row = view.page.locator(`table.reset-comparison tr[data-reset-step="${index}"]`);
    const cell = (field: string) => row.locator(`[data-field="${field}"]`);
    assert.equal(await cell("strategy").textContent(), step.detail!.strategy);
    assert.equal(await cell("ns").getAttribute("data-value"), String(step.ns));
    assert.equal(
      await cell("bytesResident").getAttribute("data-value"),
      String(step.detail!.bytesResident),
    );
  }
  await view.close();
});

test("without execution the pool's actions are disabled and say why", async () => {
  const reason = "copy-on-write execution is unavailable here: the native backend did not load";
  const view = await open(null, {
    capabilities: {
      execution: false,
      executionUnavailable: reason,
      pending: false,
      hostPageSize: null,
      wasmtime: NO_WASMTIME,
    },
  });
  for (const button of await view.page.locator("section.slot-pool vscode-button").all()) {
    assert.equal(await button.getAttribute("disabled"), "", (await button.textContent()) ?? "");
    await button.click({ force: true });
  }
  assert.equal(
    (await view.page.locator('section.slot-pool [data-field="blocked"]').textContent())?.trim(),
    "Execution is unavailable: the notice above says why.",
  );
  assert.equal(await view.page.getByText(reason).count(), 1, "the reason, said once");
  assert.ok(await view.page.locator('[data-field="no-slots"]').isVisible());
  assert.deepEqual(await postedRuns(view), []);
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
