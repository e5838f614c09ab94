// "What CoW would have saved" in Chromium, fed with RunViews that real RunControllers
// published while a V8 runner ran imported-memory.wasm as built and another ran its imaged
// variant (extension/analysis/imaged-variant.ts), the same script on each: the picker
// offers the choice only for a module without an image and posts actions to both; the
// view lists what the variant changed and compares per instance with figures worked out
// from examples/imported-memory.wat; every step is paired with its private dirty bytes.

import { exactBytes } from "../../common/format";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunView } from "../../common/webview-protocol";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { exampleModules, type ExampleModule } from "./harness/fixtures";
import { reportMessage } from "./harness/messages";
import { THEMES } from "./harness/theme";
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
  { action: "release" },
  { action: "instantiate" },
  { action: "invoke", export: "touch", args: [] },
];

// imported-memory.wat: data on the pages at 0x1000 and 0x2000 (4 KiB host pages), which
// V8 copies at every instantiation as built; `touch` then writes the page at 0x3000.
const COPIED = 2 * 4096;
const TOUCHED = 4096;

let harness: WebviewHarness;
const recorders: Recorder[] = [];
let imported: ExampleModule;
let dirty: ExampleModule;
let asBuilt: RunView;
let imaged: RunView;

before(async () => {
  const examples = await exampleModules();
  imported = examples.find((m) => m.name === "imported-memory.wasm")!;
  dirty = examples.find((m) => m.name === "dirty-per-call.wasm")!;
  [asBuilt, imaged] = await recordInEngines(["v8", "imaged"], imported, SCRIPT, recorders);
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  for (const recorder of recorders) await recorder.dispose();
  await assertNoRunnerLeft();
});

function openWhatIf(theme: (typeof THEMES)[number] = "dark") {
  return openRunTab(harness, {
    report: reportMessage(imported.bytes, { fileName: imported.name }),
    run: asBuilt,
    others: [imaged],
    tab: "Instantiation",
    theme,
  });
}

async function chooseWhatIf(view: Awaited<ReturnType<typeof openWhatIf>>): Promise<void> {
  await view.page.click('vscode-radio[data-engine="what-if"]');
  await view.page.locator('section[aria-label="What CoW would have saved"]').waitFor();
}

test("offered for a module without an image only; actions go to the module and its variant", async () => {
  const view = await openWhatIf();
  const labels = await view.page
    .locator('[data-field="engine-picker"] vscode-radio')
    .evaluateAll((radios) =>
      radios.map((radio) => (radio as HTMLElement & { label: string }).label),
    );
  assert.deepEqual(labels, ["V8 emulation", "What CoW would have saved"]);
  await chooseWhatIf(view);
  await view.page.click('section.stepper vscode-button[data-action="instantiate"]');
  await view.waitForPosted((m) => m.type === "run");
  assert.deepEqual(await postedRuns(view), [
    { type: "run", engines: ["v8", "imaged"], action: "instantiate" },
  ]);
  await view.close();

  const imagedModule = await openRunTab(harness, {
    report: reportMessage(dirty.bytes, { fileName: dirty.name }),
    run: null,
    tab: "Instantiation",
  });
  // V8 alone (no Wasmtime here, an image already): nothing to pick.
  assert.equal(await imagedModule.page.locator('[data-field="engine-picker"]').count(), 0);
  await imagedModule.close();
});

test("what the variant changed, and the comparison per instance", async () => {
  const view = await openWhatIf();
  await chooseWhatIf(view);
  assert.deepEqual(await view.page.locator('[data-field="variant-changes"] li').allTextContents(), [
    "memory 0 defined in the module instead of imported from env.memory",
  ]);
  const figures = Object.fromEntries(
    await view.page
      .locator('[data-field="savings"] tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector("th")!.textContent,
          [...row.querySelectorAll("td")].map((cell) => cell.textContent),
        ]),
      ),
  );
  assert.deepEqual(figures["private dirty after instantiation"], [exactBytes(COPIED), "0 bytes"]);
  assert.deepEqual(figures["private dirty before the reset"], [
    exactBytes(COPIED + TOUCHED),
    exactBytes(TOUCHED),
  ]);
  assert.equal(
    await view.page.locator('[data-field="savings"] caption').textContent(),
    "Per instance (median of 2)",
  );
  // Step by step: instantiate, touch (no reset step for an imported memory as built: the
  // runner's memory goes with its instance), twice.
  const privateDirty = await view.page
    .locator("table.engine-steps tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => [
        row.querySelector("th")!.textContent,
        ...["v8", "imaged"].map(
          (engine) =>
            row.querySelector<HTMLElement>(
              `td[data-engine="${engine}"] [data-field="private-dirty"]`,
            )?.dataset.value ?? null,
        ),
      ]),
    );
  const steps = privateDirty.map(([label]) => label);
  assert.deepEqual(steps.slice(0, 2), ["#1 instantiate", "#1 invoke touch"]);
  assert.deepEqual(privateDirty[0]!.slice(1), [String(COPIED), "0"]);
  assert.deepEqual(privateDirty[1]!.slice(1), [String(COPIED + TOUCHED), String(TOUCHED)]);
  await view.close();
});

for (const theme of THEMES) {
  test(`axe finds no violations (${theme})`, async () => {
    const view = await openWhatIf(theme);
    await chooseWhatIf(view);
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
    await view.close();
  });
}
