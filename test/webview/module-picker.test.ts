// The component's module picker in Chromium: a component's report (its chosen core
// module's, with the component's module list as the analysis worker sends it) shows the
// picker above the tabs with every module, the chosen one selected, the component's
// facts; picking another module asks the host for it; axe passes.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readComponent } from "../../extension/analysis/component-reader";
import type { ComponentView } from "../../common/report-types";
import { componentWat } from "../helpers/component-wat";
import { reportMessage, type ReportMessage } from "./harness/messages";
import { formatAxe, startHarness, type WebviewHarness } from "./harness/webview-harness";

let harness: WebviewHarness;
let report: ReportMessage;
let lengths: number[];

before(async () => {
  const bytes = componentWat(`(component $app
    (core module $small (memory 1) (data (i32.const 0) "s"))
    (core module $big (memory 2) (data (i32.const 0) "b") (data (i32.const 70000) "big"))
    (component $inner (core module $leaf (func)))
    (export "inner" (component $inner))
  )`);
  const info = readComponent(bytes);
  lengths = info.modules.map((m) => m.length);
  const component: ComponentView = {
    name: info.name,
    modules: info.modules.map((m, i) => ({
      path: m.pathText,
      name: m.name,
      offset: m.offset,
      length: m.length,
      imageBytes: [4096, 18 * 4096, 0][i]!,
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
      /3 core modules, 0 imports, 1 export \(inner\)\. Offsets below are the module's own: it starts at byte 0x/,
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
