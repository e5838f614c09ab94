// Every view in a narrow editor (an editor group split three ways on a laptop: 420 px),
// in Chromium: the page itself never scrolls sideways (wide tables and maps scroll in
// their own frames), and no text is cut off without its full text in a tooltip.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { TOOL_STRATEGIES, type LabReport } from "../../common/lab-types";
import type { RunView } from "../../common/webview-protocol";
import { runLab } from "../../extension/runner/lab/lab-runner";
import { requireBackend } from "../helpers/native";
import { exampleModules } from "./harness/fixtures";
import {
  diffMessage,
  EXECUTION_AVAILABLE,
  reportMessage,
  type ReportMessage,
} from "./harness/messages";
import { startHarness, type WebviewHarness, type WebviewPage } from "./harness/webview-harness";
import { DIRTY_PER_CALL_SCRIPT, newRecorder, type Recorder } from "./stepper-run-view";

const WIDTH = 420;
const FILE = "dirty-per-call.wasm";
const SHOTS = process.env.NARROW_SHOTS;

let harness: WebviewHarness;
let report: ReportMessage;
let run: RunView;
let lab: LabReport;
let pair: { left: Uint8Array; right: Uint8Array };
const recorders: Recorder[] = [];

before(async () => {
  const examples = await exampleModules();
  const dirty = examples.find((m) => m.name === FILE)!;
  report = reportMessage(dirty.bytes, { fileName: FILE });
  const recorder = newRecorder();
  recorders.push(recorder);
  run = (await recorder.record(dirty, DIRTY_PER_CALL_SCRIPT)).at(-1)!;
  assert.equal(run.error, null);
  lab = await runLab(requireBackend(), {
    fileName: FILE,
    wasmtime: null,
    bytes: dirty.bytes,
    options: {
      invokes: [{ name: "touch", args: [] }],
      instances: 2,
      threads: [1],
      strategies: [...TOOL_STRATEGIES],
      madviseSizes: true,
    },
  });
  const sample = (name: string): Uint8Array => examples.find((m) => m.name === name)!.bytes;
  pair = { left: sample("dense.wasm"), right: sample("sparse.wasm") };
  harness = await startHarness();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await harness?.close();
  for (const recorder of recorders) await recorder.dispose();
});

/** How far the page scrolls sideways, and the elements that stick out of the viewport
 *  without a frame that scrolls between them and the page: cut off where nothing can
 *  bring them into view (a cell cut short with an ellipsis is not: its box stays inside).
 *  Plain JavaScript text: tsx would wrap a function's inner functions in a helper the
 *  page does not have. */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const framed = (element) => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      const overflowX = getComputedStyle(e).overflowX;
      if (overflowX === "auto" || overflowX === "scroll") return true;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !framed(e))
    .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/ +/).join(".") : ""));
  return { scroll: document.documentElement.scrollWidth - width, outside };
})()`;

async function checkNarrow(view: WebviewPage, what: string): Promise<void> {
  await view.page.setViewportSize({ width: WIDTH, height: 900 });
  // Two frames: the resize observers' layout has settled.
  await view.page.evaluate(
    "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))",
  );
  if (SHOTS) {
    await view.page.screenshot({ path: path.join(SHOTS, `${what}.png`), fullPage: true });
  }
  const { scroll, outside } = await view.page.evaluate<{ scroll: number; outside: string[] }>(
    OVERFLOW,
  );
  assert.deepEqual(outside, [], `${what}: elements outside a ${WIDTH} px page`);
  assert.ok(scroll <= 0, `${what}: the page scrolls ${scroll} px sideways`);
}

const TABS = [
  ["Overview", "section[aria-label=Overview]"],
  ["Segments", "section.segments-view, section[aria-label='Data segments']"],
  ["Page map", "section[aria-label='Page map']"],
  ["Instantiation", "section.stepper"],
  ["Slot pool", "section.slot-pool"],
  ["Strategies", "section.strategies"],
] as const;

for (const [tab, selector] of TABS) {
  test(`${tab} fits a ${WIDTH} px editor`, async () => {
    const view = await harness.openWebview({ theme: "dark" });
    try {
      await view.start({
        report,
        then: [
          { type: "run", run },
          { type: "lab", lab: { running: false, report: lab, error: null } },
        ],
        capabilities: EXECUTION_AVAILABLE,
      });
      await view.page.getByRole("tab", { name: tab }).click();
      await view.page.locator(selector).first().waitFor();
      await checkNarrow(view, tab.toLowerCase().replace(/ /g, "-"));
    } finally {
      await view.close();
    }
  });
}

test(`Compare fits a ${WIDTH} px editor`, async () => {
  const view = await harness.openWebview({ theme: "dark" });
  try {
    await view.start({
      view: "compare",
      report: reportMessage(pair.left, { fileName: "dense.wasm", side: "left" }),
      then: [
        reportMessage(pair.right, { fileName: "sparse.wasm", side: "right" }),
        diffMessage(pair.left, pair.right),
      ],
    });
    await view.page.locator(".compare-nav-status").waitFor();
    await checkNarrow(view, "compare");
  } finally {
    await view.close();
  }
});
