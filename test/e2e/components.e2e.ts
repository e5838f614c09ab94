// Issue 14, a component in a real VS Code: a component whose text real Wasmtime's parser
// encodes (two core modules and a nested component) opens in the inspector with its module
// picker, on the module with the largest image; the Overview shows that module's image as
// `wasm-cow inspect` reports it; picking another module shows that one's. Then it runs in
// the Wasmtime engine (the only one offered): an exported function called with a JSON
// argument returns what its core code computes, and the step's memory is the core module's,
// found with its image and one page written. Last, Compare with the next build (its big
// module's image grown): a picker per side, the comparison as the two modules' inspect
// reports imply. Screenshots: test-results/screenshots/component.png, component-run.png,
// component-compare.png.

import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { readComponent } from "../../extension/analysis/component-reader";
import { inspectComponent } from "../../extension/analysis/inspect-component";
import { inspectJson, type InspectJson } from "./harness/cli";
import { compareFrame, readCompare } from "./harness/compare";
import { expectedCompare } from "./harness/expected-compare";
import { componentWat } from "../helpers/component-wat";
import { Inspector } from "./harness/inspector";
import { withWorkbench } from "./harness/session";
import { SCREENSHOT_VIEWPORT } from "./harness/themes";
import { poll } from "./harness/workbench";
import { makeWorkspace } from "./harness/workspace";

// `double` stores its result at 70000, in the big module's image (its second host page
// from 65536), so the call writes exactly one image page.
// The next build's big module has one more segment, further up: its image grows.
const app = (more: string) =>
  componentWat(`(component $app
  (import "wasi:cli/stdout@0.2.0" (instance))
  (core module $small (memory 1) (data (i32.const 0) "small image"))
  (core module $big (memory 2) (data (i32.const 0) "big") (data (i32.const 70000) "image") ${more}
    (func (export "double") (param i32) (result i32)
      (i32.store (i32.const 70000) (i32.mul (local.get 0) (i32.const 2)))
      (i32.load (i32.const 70000))))
  (core instance $i (instantiate $big))
  (component $inner (core module $leaf (func (export "f"))))
  (instance (instantiate $inner))
  (func (export "double") (param "v" u32) (result u32) (canon lift (core func $i "double")))
)`);
const COMPONENT = app("");
const NEXT_BUILD = app('(data (i32.const 90000) "grown")');

test(
  "a component: its modules picked one by one, each as inspect reports it",
  { timeout: 180_000 },
  async () => {
    const expected = inspectComponent(COMPONENT, {
      fileName: "app.component.wasm",
      pageSize: 4096,
      denseLimit: 16 << 20,
    });
    const [small, big] = expected.modules;
    const workspace = await makeWorkspace({
      "build/app.component.wasm": COMPONENT,
      "build/app-next.component.wasm": NEXT_BUILD,
    });
    try {
      await withWorkbench(
        { name: "components", folder: workspace.folder, viewport: SCREENSHOT_VIEWPORT },
        async ({ workbench, console: log }) => {
          await workbench.waitForExtension();
          const inspector = await Inspector.open(workbench, "build/app.component.wasm");
          const picker = inspector.frame.locator('section[aria-label="Component"]');
          await picker.waitFor();
          assert.match(
            (await picker.locator('[data-field="component-facts"]').textContent()) ?? "",
            /3 core modules, 1 import, 1 export \(double\)/,
          );
          // The largest image first: module 1.
          const fields = await inspector.overviewFields();
          assert.equal(fields["images.0.length"], String(big!.report.images[0]!.length));
          assert.equal(fields["images.0.sha256"], big!.report.images[0]!.sha256);
          await workbench.screenshotEditor("screenshots/component");

          // Running: Wasmtime only, the component's own export, JSON arguments.
          await inspector.showTab("stepper");
          await inspector.frame.locator('[data-field="component-engine"]').waitFor();
          assert.equal(
            await inspector.frame.locator('[data-action="instantiateOther"]').count(),
            0,
          );
          await inspector.act("instantiate");
          await inspector.waitForSteps(3, 120_000); // plan, compile, instantiate
          // Read from the step detail directly: currentStep() reads V8's syscall table,
          // and Wasmtime's copies are not system calls ("not seen").
          const detail = inspector.frame.locator("section.step-detail");
          const pageCount = (state: string) =>
            detail
              .locator(`section.memory-after-step td[data-count="${state}"]`)
              .first()
              .textContent()
              .then((text) => Number(text?.replace(/,/g, "")));
          assert.equal(
            await detail.locator('[data-field="pick"]').getAttribute("data-value"),
            "cold",
          );
          assert.equal(await pageCount("imageDirty"), 0);
          const heading =
            (await inspector.frame
              .locator("section.memory-after-step")
              .first()
              .getAttribute("aria-label")) ?? "";
          assert.match(heading, /^component → module 1: memory 0 /, "the big module's memory");
          await inspector.frame.locator('vscode-textfield[data-field="args"] input').fill("[21]");
          await inspector.act("invoke");
          await inspector.waitForSteps(4, 60_000);
          assert.equal(
            (await inspector.frame.locator('[data-field="result"]').textContent())?.trim(),
            "Result: u32 42",
          );
          assert.equal(await pageCount("imageDirty"), 1, "the one image page double wrote");
          await workbench.screenshotEditor("screenshots/component-run");

          await picker.locator('vscode-single-select[data-field="component-module"]').click();
          await inspector.frame.getByRole("option", { name: /"small"/ }).click();
          await poll("the small module's report", async () => {
            const now = await inspector.overviewFields();
            return now["images.0.length"] === String(small!.report.images[0]!.length)
              ? now
              : undefined;
          });
          assert.equal(
            (await inspector.overviewFields())["images.0.sha256"],
            small!.report.images[0]!.sha256,
          );

          // Compare with the next build: a picker per side, on each side's largest image,
          // and the comparison of those two core modules as their inspect reports imply.
          const bigOf = (file: string) => {
            const json = inspectJson(workspace.file(file)) as unknown as {
              modules: { report: InspectJson }[];
            };
            const bytes = readComponent(readFileSync(workspace.file(file))).modules[1]!.bytes;
            return { json: json.modules[1]!.report, bytes };
          };
          const wanted = expectedCompare(
            bigOf("build/app.component.wasm"),
            bigOf("build/app-next.component.wasm"),
          );
          await Inspector.open(workbench, "build/app.component.wasm");
          await workbench.runCommandWithPrompt(
            "Wasm CoW: Compare Memory Layouts",
            /^Compare app\.component\.wasm with/,
          );
          await workbench.answerOpenDialog(workspace.file("build/app-next.component.wasm"));
          const frame = await compareFrame(
            workbench,
            "app.component.wasm ↔ app-next.component.wasm",
          );
          for (const side of ["left", "right"]) {
            assert.equal(
              await frame
                .locator(
                  `section[aria-label="Component (${side})"] [data-field="component-module"]`,
                )
                .evaluate((select) => (select as HTMLSelectElement).value),
              "1",
              `${side}: the largest image`,
            );
          }
          const shown = await readCompare(frame);
          assert.deepEqual(shown.imageRows, wanted.imageRows);
          assert.deepEqual(shown.pageRanges, wanted.pageRanges);
          await workbench.screenshotEditor("screenshots/component-compare");
          assert.deepEqual(log.unexpected(), [], "console errors");
          assert.deepEqual(log.cspViolations(), [], "CSP violations");
        },
      );
    } finally {
      workspace.dispose();
    }
  },
);
