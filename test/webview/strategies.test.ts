// The Strategies tab in Chromium, fed with a LabReport the real lab measured in this
// process on dirty-per-call.wasm (two `touch` calls per instance: under userfaultfd two
// faults each, by construction of the module). Checked: Chart.js draws its four charts
// under the webview's strict CSP (no violation, no console error), the tables carry the
// figures, the form posts the options it shows and refuses bad ones, the export buttons
// post their formats, the running and failed states, the tab without execution, and axe
// in three themes.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TOOL_STRATEGIES, type LabReport } from "../../common/lab-types";
import { runLab } from "../../extension/runner/lab/lab-runner";
import { requireBackend } from "../helpers/native";
import { exampleModules } from "./harness/fixtures";
import { EXECUTION_AVAILABLE, reportMessage, type ReportMessage } from "./harness/messages";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";

const FILE = "dirty-per-call.wasm";
const INSTANCES = 3;

let harness: WebviewHarness;
let report: ReportMessage;
let lab: LabReport;

before(async () => {
  const dirty = (await exampleModules()).find((m) => m.name === FILE)!;
  report = reportMessage(dirty.bytes, { fileName: FILE });
  lab = await runLab(requireBackend(), {
    fileName: FILE,
    wasmtime: null,
    bytes: dirty.bytes,
    options: {
      invokes: [
        { name: "touch", args: [] },
        { name: "touch", args: [] },
      ],
      instances: INSTANCES,
      threads: [1, 2],
      strategies: [...TOOL_STRATEGIES],
      madviseSizes: true,
    },
  });
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

async function openStrategies(
  options: {
    labView?: { running: boolean; report: LabReport | null; error: string | null } | null;
    theme?: "light" | "dark" | "high-contrast";
    execution?: boolean;
  } = {},
): Promise<WebviewPage> {
  const view = await harness.openWebview({ theme: options.theme ?? "dark" });
  const labView =
    options.labView === undefined ? { running: false, report: lab, error: null } : options.labView;
  await view.start({
    report,
    then: labView ? [{ type: "lab", lab: labView }] : [],
    capabilities:
      options.execution === false
        ? {
            execution: false,
            executionUnavailable: "running module code needs a trusted workspace",
            pending: false,
            hostPageSize: null,
            wasmtime: EXECUTION_AVAILABLE.wasmtime,
          }
        : EXECUTION_AVAILABLE,
  });
  await view.page.getByRole("tab", { name: "Strategies" }).click();
  await view.page.waitForSelector("section.strategies");
  return view;
}

/** Pixels of the canvas that are not transparent: what Chart.js drew. */
function drawnPixels(view: WebviewPage, chart: string): Promise<number> {
  return view.page.$eval(`figure[data-chart="${chart}"] canvas`, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
    return drawn;
  });
}

describe("the Strategies tab with a measured report", () => {
  test("Chart.js draws the four charts under the strict CSP, without an error", async () => {
    const view = await openStrategies();
    try {
      for (const chart of ["times", "first-touch", "scaling", "madvise"]) {
        await view.page.waitForSelector(`figure[data-chart="${chart}"] canvas`);
        assert.ok((await drawnPixels(view, chart)) > 1000, `${chart} was drawn`);
        const label = await view.page.getAttribute(
          `figure[data-chart="${chart}"] canvas`,
          "aria-label",
        );
        assert.match(label ?? "", /the numbers are in the tables below/);
      }
      assert.deepEqual(view.cspViolations(), []);
      assert.deepEqual(view.collectConsoleErrors(), []);
    } finally {
      await view.close();
    }
  });

  test("the tables: a row per strategy, userfaultfd's two faults, every size of madvise", async () => {
    const view = await openStrategies();
    try {
      const rows = view.page.locator('table[data-table="strategies"] tbody tr');
      assert.deepEqual(await rows.locator("th").allTextContents(), [...TOOL_STRATEGIES]);
      const heads = await view.page
        .locator('table[data-table="strategies"] thead th')
        .allTextContents();
      const faultsColumn = heads.indexOf("faults/instance");
      assert.ok(faultsColumn > 0);
      const uffdCells = await rows.nth(3).locator("th, td").allTextContents();
      assert.equal(uffdCells[faultsColumn], "2", "two touches, two faults");
      assert.equal((await rows.nth(2).locator("th, td").allTextContents())[faultsColumn], "—");
      const sizes = await view.page
        .locator('table[data-table="madvise"] tbody tr th')
        .allTextContents();
      assert.deepEqual(
        [...new Set(sizes)],
        ["64 KiB", "1 MiB", "16 MiB", "256 MiB", "1 GiB", "4 GiB"],
      );
      const threads = await view.page
        .locator('table[data-table="scaling"] tbody tr th')
        .allTextContents();
      assert.deepEqual(threads, ["1", "2"]);
    } finally {
      await view.close();
    }
  });

  test("Measure posts the options the form shows; bad ones are refused with a reason", async () => {
    const view = await openStrategies({ labView: null });
    try {
      await view.page.locator('[data-field="workload"] input').fill("touch; touch=1,2");
      await view.page.locator('[data-field="instances"] input').fill("4");
      await view.page.locator('[data-field="threads"] input').fill("1, 3");
      await view.page.locator('[data-strategy="eager"]').click();
      await view.page.locator('[data-field="madvise-sizes"]').click();
      await view.page.locator('[data-action="runLab"]').click();
      const posted = await view.waitForPosted((m) => m.type === "runLab");
      assert.deepEqual(posted, {
        type: "runLab",
        options: {
          invokes: [
            { name: "touch", args: [] },
            { name: "touch", args: ["1", "2"] },
          ],
          instances: 4,
          threads: [1, 3],
          strategies: ["cow-fresh", "cow-affine", "userfaultfd"],
          madviseSizes: false,
        },
      });
      await view.page.locator('[data-field="instances"] input').fill("0");
      await view.page.waitForSelector('[data-field="lab-error"]');
      assert.match(
        (await view.page.textContent('[data-field="lab-error"]')) ?? "",
        /Instances must be a whole number from 1 to 1000/,
      );
      assert.equal(await view.page.locator('[data-action="runLab"]').getAttribute("disabled"), "");
    } finally {
      await view.close();
    }
  });

  test("the export buttons post JSON and CSV", async () => {
    const view = await openStrategies();
    try {
      await view.page.locator('[data-action="exportLabJson"]').click();
      await view.page.locator('[data-action="exportLabCsv"]').click();
      const exports = (await view.posted()).filter((m) => m.type === "exportLab");
      assert.deepEqual(exports, [
        { type: "exportLab", format: "json" },
        { type: "exportLab", format: "csv" },
      ]);
    } finally {
      await view.close();
    }
  });

  test("while measuring: a progress status and no second Measure; a failure is shown", async () => {
    const view = await openStrategies({ labView: { running: true, report: null, error: null } });
    try {
      await view.page.waitForSelector(".lab-running");
      assert.equal(await view.page.locator('[data-action="runLab"]').getAttribute("disabled"), "");
      await view.deliver({
        type: "lab",
        lab: {
          running: false,
          report: null,
          error: "invoke touch failed: memory access out of bounds",
        },
      });
      await view.page.waitForSelector(".error-banner");
      assert.match(
        (await view.page.textContent(".error-banner")) ?? "",
        /The lab failed: invoke touch failed/,
      );
    } finally {
      await view.close();
    }
  });

  test("without execution the tab says why and cannot measure", async () => {
    const view = await openStrategies({ labView: null, execution: false });
    try {
      assert.match(
        (await view.page.textContent("section.strategies .notice")) ?? "",
        /needs a trusted workspace/,
      );
      assert.equal(await view.page.locator('[data-action="runLab"]').getAttribute("disabled"), "");
    } finally {
      await view.close();
    }
  });

  for (const theme of ["dark", "light", "high-contrast"] as const) {
    test(`axe finds no violations (${theme})`, async () => {
      const view = await openStrategies({ theme });
      try {
        const violations = await view.checkAxe();
        assert.deepEqual(violations, [], formatAxe(violations));
      } finally {
        await view.close();
      }
    });
  }
});
