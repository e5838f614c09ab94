// The webview's shell (App.tsx) in Chromium: keyboard tab switching, view state that
// survives a reload, the error banner, the Restricted Mode notice, and `show`.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DecodeError } from "../../extension/analysis/binary-cursor";
import { readModule } from "../../extension/analysis/module-reader";
import { exampleModules } from "./harness/fixtures";
import { initMessage, NO_WASMTIME, reportMessage, type ReportMessage } from "./harness/messages";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";

// What extension/editor/execution-gate.ts says in an untrusted workspace (it imports
// vscode, so it cannot be loaded here).
const RESTRICTED =
  "this workspace is in Restricted Mode: inspection works, but running module code needs a trusted workspace";

let harness: WebviewHarness;
let sparse: ReportMessage;
let truncated: { fileName: string; message: string };

before(async () => {
  harness = await startHarness();
  const example = (await exampleModules()).find((m) => m.name === "sparse.wasm")!;
  sparse = reportMessage(example.bytes, { fileName: example.name });
  // A real decoder error, as the host would report it.
  const cut = example.bytes.subarray(0, example.bytes.length - 3);
  const error = (() => {
    try {
      readModule(cut);
    } catch (caught) {
      return caught;
    }
    return null;
  })();
  assert.ok(error instanceof DecodeError, "a truncated module must not decode");
  truncated = { fileName: "truncated.wasm", message: error.message };
});

after(() => harness?.close());

/** The selected tab's title (`aria-selected` on the tab headers). */
function selectedTab(view: WebviewPage): Promise<string[]> {
  return view.page
    .getByRole("tab", { selected: true })
    .evaluateAll((tabs) => tabs.map((t) => t.textContent!.trim()));
}

async function tabToSelectedHeader(view: WebviewPage): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await view.page.keyboard.press("Tab");
    if ((await view.focused())?.role === "tab") return;
  }
  assert.fail("Tab never reached the tab headers");
}

function assertClean(view: WebviewPage): void {
  assert.deepEqual(view.cspViolations(), []);
  assert.deepEqual(view.collectConsoleErrors(), []);
}

test("the tabs switch with the keyboard", async () => {
  const view = await harness.openWebview();
  await view.start({ report: sparse });
  assert.deepEqual(await selectedTab(view), ["Overview"]);
  await tabToSelectedHeader(view);
  assert.equal((await view.focused())?.label, "Overview");

  await view.page.keyboard.press("ArrowRight");
  assert.equal((await view.focused())?.label, "Segments");
  await view.page.keyboard.press("Enter");
  assert.deepEqual(await selectedTab(view), ["Segments"]);
  await view.waitForState((state) => state?.tab === "segments");
  assert.equal(await view.page.locator("section[aria-label=Overview]").count(), 0);

  // Left from the first tab wraps to the last.
  await view.page.keyboard.press("ArrowLeft");
  await view.page.keyboard.press("ArrowLeft");
  assert.equal((await view.focused())?.label, "Strategies");
  await view.page.keyboard.press("Enter");
  assert.deepEqual(await selectedTab(view), ["Strategies"]);
  await view.waitForState((state) => state?.tab === "strategies");

  await view.page.keyboard.press("ArrowRight");
  await view.page.keyboard.press("Enter");
  assert.deepEqual(await selectedTab(view), ["Overview"]);
  await view.page.locator("section[aria-label=Overview]").waitFor();
  assertClean(view);
  await view.close();
});

test("the selected tab and the selection survive a reload", async () => {
  // The state VS Code restores into a new page: a tab and a selection made earlier.
  const saved = { tab: "pages", memory: 0, page: 3, segment: 1, zoom: 2 };
  const view = await harness.openWebview({ state: saved });
  await view.start({ report: sparse });
  assert.deepEqual(await selectedTab(view), ["Page map"]);
  assert.ok((await view.stateSaves()) > 0);
  // The engine choice (V8 until another is picked) is kept with the views' own state.
  const withEngine = { ...saved, views: { engine: "v8" } };
  assert.deepEqual(await view.state(), withEngine);

  await tabToSelectedHeader(view);
  await view.page.keyboard.press("ArrowRight");
  await view.page.keyboard.press("Enter");
  assert.deepEqual(await selectedTab(view), ["Instantiation"]);
  await view.waitForState((state) => state?.tab === "stepper");

  await view.reload();
  await view.start({ report: sparse });
  assert.deepEqual(await selectedTab(view), ["Instantiation"]);
  // What the reloaded app saved itself, not just what was left in the store.
  assert.ok((await view.stateSaves()) > 0);
  // The Instantiation tab keeps its export and arguments too (none chosen here).
  assert.deepEqual(await view.state(), {
    ...withEngine,
    views: { ...withEngine.views, "stepper.export": null, "stepper.args": "" },
    tab: "stepper",
  });
  assertClean(view);
  await view.close();
});

test("a reportError shows an alert with the file and the message", async () => {
  const view = await harness.openWebview({ theme: "light" });
  await view.start({ then: [{ type: "reportError", side: "left", ...truncated }] });
  const alert = view.page.getByRole("alert");
  await alert.waitFor();
  const text = await alert.textContent();
  assert.ok(text?.includes(truncated.fileName), text ?? "");
  assert.ok(text?.includes(truncated.message), text ?? "");
  assert.equal(await view.page.getByRole("tab").count(), 0);
  const violations = await view.checkAxe();
  assert.deepEqual(violations, [], formatAxe(violations));
  assertClean(view);
  await view.close();
});

test("without execution the notice gives the reason (Restricted Mode)", async () => {
  const restricted = await harness.openWebview();
  await restricted.start({
    report: sparse,
    capabilities: {
      execution: false,
      executionUnavailable: RESTRICTED,
      pending: false,
      hostPageSize: null,
      wasmtime: NO_WASMTIME,
      restricted: true,
    },
  });
  const notice = restricted.page.getByRole("status").filter({ hasText: RESTRICTED });
  assert.equal(await notice.count(), 1);
  // The way out, from the notice: VS Code's workspace trust editor, through the host.
  await notice.locator('vscode-button[data-action="manage-trust"]').click();
  assert.deepEqual(await restricted.waitForPosted((m) => m.type === "manageTrust"), {
    type: "manageTrust",
  });
  assertClean(restricted);
  await restricted.close();

  // With execution available there is no such notice.
  const trusted = await harness.openWebview();
  await trusted.start({ report: sparse });
  await trusted.page.locator("section[aria-label=Overview]").waitFor();
  assert.equal(await trusted.page.getByText("Restricted Mode").count(), 0);
  assert.equal(await trusted.page.getByText("Execution is unavailable").count(), 0);
  await trusted.close();
});

test("a show message switches to the Instantiation tab", async () => {
  const view = await harness.openWebview();
  await view.start({ report: sparse });
  assert.deepEqual(await selectedTab(view), ["Overview"]);
  await view.deliver({ type: "show", tab: "stepper" });
  await view.page.getByRole("tab", { name: "Instantiation", selected: true }).waitFor();
  assert.deepEqual(await selectedTab(view), ["Instantiation"]);
  await view.waitForState((state) => state?.tab === "stepper");
  assertClean(view);
  await view.close();
});

test("while the runner starts, the Overview is there and run actions wait for it", async () => {
  const view = await harness.openWebview();
  // What the host sends first in a trusted workspace: the runner has not answered yet.
  await view.start({
    report: sparse,
    capabilities: {
      execution: false,
      executionUnavailable: null,
      pending: true,
      hostPageSize: null,
      wasmtime: NO_WASMTIME,
    },
  });
  await view.page.locator("section[aria-label=Overview]").waitFor();
  assert.equal(await view.page.getByText("Execution is unavailable").count(), 0);
  await view.page.getByRole("tab", { name: /Instantiation/ }).click();
  const blocked = view.page.locator('section.stepper [data-field="blocked"]');
  assert.equal((await blocked.textContent())?.trim(), "The runner is starting…");

  // Then the runner's answer: the actions are allowed.
  await view.deliver(initMessage());
  await blocked.waitFor({ state: "detached" });
  const instantiate = view.page.locator('section.stepper vscode-button[data-action="instantiate"]');
  assert.equal(await instantiate.getAttribute("disabled"), null);
  assertClean(view);
  await view.close();
});

test("each tab header is found by its data-tab, after any re-render, and names its panel", async () => {
  const view = await harness.openWebview();
  await view.start({ report: sparse });
  // vscode-tabs renames its headers on every slot change: the harness (test/e2e) finds them
  // by data-tab, which no component touches. A second init re-renders the app.
  await view.deliver(initMessage());
  const headers = await view.page
    .locator("vscode-tab-header[data-tab]")
    .evaluateAll((all) =>
      all.map((h) => [
        h.getAttribute("data-tab"),
        document.getElementById(h.getAttribute("aria-controls") ?? "")?.tagName ?? null,
      ]),
    );
  assert.deepEqual(headers, [
    ["overview", "VSCODE-TAB-PANEL"],
    ["segments", "VSCODE-TAB-PANEL"],
    ["pages", "VSCODE-TAB-PANEL"],
    ["stepper", "VSCODE-TAB-PANEL"],
    ["pool", "VSCODE-TAB-PANEL"],
    ["strategies", "VSCODE-TAB-PANEL"],
  ]);
  await view.page.locator('vscode-tab-header[data-tab="pages"]').click();
  assert.deepEqual(await selectedTab(view), ["Page map"]);
  assertClean(view);
});
