// The component's module picker in Chromium: a component's report (its chosen core
// module's, with the component's module list as the analysis worker sends it) shows the
// picker above the tabs with every module, the chosen one selected, the component's
// facts; picking another module asks the host for it; axe passes. Running it: Wasmtime is
// the only engine (without Wasmtime's library the picker says why), the component's own
// exports are invoked with one JSON array, there is no "instantiate another module", and
// the Strategies tab explains why the lab does not take components.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readComponent } from "../../extension/analysis/component-reader";
import type { ComponentView } from "../../common/report-types";
import { componentWat } from "../helpers/component-wat";
import type { Capabilities } from "../../common/webview-protocol";
import { EXECUTION_AVAILABLE, reportMessage, type ReportMessage } from "./harness/messages";
import { openRunTab, postedRuns } from "./stepper-run-view";
import { formatAxe, startHarness, type WebviewHarness } from "./harness/webview-harness";

let harness: WebviewHarness;
let report: ReportMessage;
let lengths: number[];
let componentBytes: Uint8Array;

before(async () => {
  const bytes = componentWat(`(component $app
    (core module $small (memory 1) (data (i32.const 0) "s"))
    (core module $big (memory 2) (data (i32.const 0) "b") (data (i32.const 70000) "big"))
    (core instance $i (instantiate $big))
    (component $inner (core module $leaf (func)))
    (export "inner" (component $inner))
    (core module $f (func (export "id") (param i32) (result i32) (local.get 0)))
    (core instance $fi (instantiate $f))
    (func (export "id") (param "v" u32) (result u32) (canon lift (core func $fi "id")))
  )`);
  componentBytes = bytes;
  const info = readComponent(bytes);
  lengths = info.modules.map((m) => m.length);
  const component: ComponentView = {
    name: info.name,
    modules: info.modules.map((m, i) => ({
      path: m.pathText,
      name: m.name,
      offset: m.offset,
      length: m.length,
      imageBytes: [4096, 18 * 4096, 0, 0][i]!,
    })),
    chosen: 1,
    imports: info.imports,
    exports: info.exports,
  };
  report = { ...reportMessage(info.modules[1]!.bytes, { fileName: "app.wasm" }), component };
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

test("the picker lists the modules, shows the chosen one, and asks for another", async () => {
  const view = await harness.openWebview();
  try {
    await view.start({ report });
    const picker = view.page.locator('section[aria-label="Component"]');
    await picker.waitFor();
    const options = await picker.locator("vscode-option").allTextContents();
    assert.deepEqual(
      options.map((o) => o.trim()),
      [
        `component → module 0 "small": ${lengths[0]} bytes, 4 KiB image`,
        `component → module 1 "big": ${lengths[1]} bytes, 72 KiB image`,
        `component → component 0 → module 0 "leaf": ${lengths[2]} bytes, no image`,
        `component → module 2 "f": ${lengths[3]} bytes, no image`,
      ],
    );
    assert.equal(
      await picker
        .locator('[data-field="component-module"]')
        .evaluate((select) => (select as HTMLSelectElement).value),
      "1",
    );
    assert.match(
      (await picker.locator('[data-field="component-facts"]').textContent()) ?? "",
      /4 core modules, 0 imports, 2 exports \(inner, id\)\. Offsets below are the module's own: it starts at byte 0x/,
    );
    assert.equal(
      await view.page.locator('section[aria-label="Overview"] h2').first().textContent(),
      'app.wasm: component → module 1 "big"',
      "the Overview says which core module it shows",
    );
    await picker.locator('vscode-single-select[data-field="component-module"]').click();
    await view.page.getByRole("option", { name: /"leaf"/ }).click();
    const posted = await view.waitForPosted((m) => m.type === "chooseModule");
    assert.deepEqual(posted, { type: "chooseModule", side: "left", module: 2 });
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
    assert.deepEqual(view.cspViolations(), []);
  } finally {
    await view.close();
  }
});

const WITH_WASMTIME = {
  ...EXECUTION_AVAILABLE,
  wasmtime: { available: true, version: "49.0.0", library: "/lib/libwasmtime.so" },
} as Capabilities;

test("a component runs in Wasmtime alone, its own exports invoked with a JSON array", async () => {
  const view = await openRunTab(harness, {
    report,
    run: null,
    tab: "Instantiation",
    capabilities: WITH_WASMTIME,
  });
  try {
    assert.match(
      (await view.page.locator('[data-field="component-engine"]').textContent()) ?? "",
      /Engine: Wasmtime 49\.0\.0\. A component runs in Wasmtime only/,
    );
    assert.equal(await view.page.locator('[data-action="instantiateOther"]').count(), 0);
    const options = await view.page
      .locator('vscode-single-select[data-field="export"] vscode-option')
      .allTextContents();
    assert.deepEqual(
      options.map((o) => o.trim()),
      ["id"],
      "the component's function, not its core module's exports",
    );
    assert.equal(
      (await view.page.locator('vscode-label[for="stepper-args"]').textContent())?.trim(),
      "Arguments, one JSON array",
    );
    await view.page.click('section.stepper vscode-button[data-action="instantiate"]');
    // The host's answer: Wasmtime's run with a live instance (no steps are needed here).
    await view.deliver({
      type: "run",
      run: {
        engine: "wasmtime",
        moduleId: "app.wasm",
        otherModuleId: "app.wasm#other",
        hostPageSize: 4096,
        steps: [],
        slots: [],
        running: false,
        error: null,
        reset: { strategy: "madvise", keepResidentBytes: 0 },
        liveInstance: 1,
        variantChanges: null,
      },
    });
    await view.page.locator('vscode-textfield[data-field="args"] input').fill('[7, "a,b"]');
    await view.page.click('section.stepper vscode-button[data-action="invoke"]');
    await view.waitForPosted((m) => m.type === "run" && m.action === "invoke");
    assert.deepEqual(await postedRuns(view), [
      { type: "run", engines: ["wasmtime"], action: "instantiate" },
      { type: "run", engines: ["wasmtime"], action: "invoke", export: "id", args: ['[7, "a,b"]'] },
    ]);
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
  } finally {
    await view.close();
  }
});

test("without Wasmtime a component offers no engine; the lab says why it does not take one", async () => {
  const view = await openRunTab(harness, { report, run: null, tab: "Instantiation" });
  try {
    assert.match(
      (await view.page.locator('[data-field="wasmtime-missing"]').textContent()) ?? "",
      /Real Wasmtime is not available/,
    );
    await view.page.getByRole("tab", { name: "Strategies" }).click();
    assert.match(
      (await view.page.locator('[data-field="lab-component"]').textContent()) ?? "",
      /a component's core modules import each other: none runs alone/,
    );
  } finally {
    await view.close();
  }
});

test("Compare between two builds of a component: a picker per side, each asking for its side", async () => {
  const view = await harness.openWebview();
  try {
    const right = {
      ...reportMessage(readComponent(componentBytes).modules[0]!.bytes, {
        fileName: "app-v2.wasm",
        side: "right",
      }),
      component: { ...report.component!, chosen: 0 },
    };
    await view.start({ view: "compare", report, then: [right] });
    const left = view.page.locator('section[aria-label="Component (left)"]');
    const other = view.page.locator('section[aria-label="Component (right)"]');
    await other.waitFor();
    assert.equal(
      await left
        .locator('[data-field="component-module"]')
        .evaluate((s) => (s as HTMLSelectElement).value),
      "1",
    );
    assert.equal(
      await other
        .locator('[data-field="component-module"]')
        .evaluate((s) => (s as HTMLSelectElement).value),
      "0",
    );
    await other.locator('vscode-single-select[data-field="component-module"]').click();
    await view.page.getByRole("option", { name: /"f"/ }).click();
    const posted = await view.waitForPosted((m) => m.type === "chooseModule");
    assert.deepEqual(posted, { type: "chooseModule", side: "right", module: 3 });
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
  } finally {
    await view.close();
  }
});
