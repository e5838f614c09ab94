// A module that imports its memory, in Chromium, with the RunViews a real RunController
// published while a real runner ran it: the stepper shows the memory's pages after each
// step, headed as imported and labelled with how it was filled; the Slot pool lists it
// outside the pool. Expected texts come from the run's own figures (the runner's kernel
// snapshots) and the plan's reason, not from the webview.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { exactBytes } from "../../common/format";
import type { RunView } from "../../common/webview-protocol";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { wat } from "../helpers/wat";
import { reportMessage, type ReportMessage } from "./harness/messages";
import { startHarness, type WebviewHarness } from "./harness/webview-harness";
import { newRecorder, openRunTab, type Recorder } from "./stepper-run-view";

const FILE = "imports-memory.wasm";

let harness: WebviewHarness;
let recorder: Recorder;
let report: ReportMessage;
let final: RunView;

before(async () => {
  const bytes = await wat(`(module
    (import "env" "memory" (memory 2))
    (data (i32.const 4096) "hello")
    (func (export "touch") (i32.store (i32.const 8192) (i32.const 1))))`);
  report = reportMessage(bytes, { fileName: FILE });
  recorder = newRecorder();
  const views = await recorder.record({ name: FILE, bytes }, [
    { action: "instantiate" },
    { action: "invoke", export: "touch", args: [] },
  ]);
  final = views.at(-1)!;
  assert.equal(final.error, null);
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
  await recorder?.dispose();
  await assertNoRunnerLeft();
});

test("the stepper shows the imported memory after every step, with how it was filled", async () => {
  const invoke = final.steps.at(-1)!;
  assert.equal(invoke.step, "invoke");
  const [memory] = invoke.memories;
  assert.ok(memory, "the runner observed the imported memory");
  assert.equal(memory.pages.anonDirty, 2, "V8's copy of the segment and the touched page");
  const view = await openRunTab(harness, { report, run: final, tab: "Instantiation" });
  try {
    const section = view.page.locator("section.memory-after-step[data-memory='0']");
    await section.waitFor();
    assert.match(
      (await section.locator("h4").textContent()) ?? "",
      /^Memory 0 imported \(the runner's memory for the import, outside the pool\), after step \d+$/,
    );
    const origin = section.locator('[data-field="origin"]');
    assert.equal(await origin.getAttribute("data-init"), "copied");
    assert.equal(await origin.getAttribute("data-place"), "imported");
    assert.equal(
      await origin.textContent(),
      `data segments copied at instantiation: no image because ${memory.origin.noImage}`,
    );
    assert.match(memory.origin.noImage ?? "", /imported memory 0 \(env\.memory\)/);
    assert.equal(
      await section.locator('[data-count="anonDirty"]').textContent(),
      String(memory.pages.anonDirty),
    );
  } finally {
    await view.close();
  }
});

test("the Slot pool lists the live instance's imported memory outside the pool", async () => {
  const memory = final.steps.at(-1)!.memories[0]!;
  const view = await openRunTab(harness, { report, run: final, tab: "Slot pool" });
  try {
    const item = view.page.locator('[data-field="outside-pool"] li[data-memory="0"]');
    await item.waitFor();
    assert.equal(
      ((await item.textContent()) ?? "").replace(/\s+/g, " "),
      `Memory 0 of instance ${final.liveInstance}, imported: data segments copied at instantiation: no image because ${memory.origin.noImage}; ${exactBytes(memory.rssBytes)} resident, ${exactBytes(memory.privateDirtyBytes)} private dirty.`,
    );
    assert.equal(memory.rssBytes, 2 * 4096);
    // No slot is involved, and the pool says so instead of promising an image mapping.
    assert.match(
      (await view.page.locator('[data-field="next-pick"]').textContent())!,
      /^This module's memory is imported: .*takes no slot and maps nothing/,
    );
  } finally {
    await view.close();
  }
});
