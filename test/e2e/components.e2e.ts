// Issue 14, a component in a real VS Code: a component whose text real Wasmtime's parser
// encodes (two core modules and a nested component) opens in the inspector with its module
// picker, on the module with the largest image; the Overview shows that module's image as
// `wasm-cow inspect` reports it; picking another module shows that one's; running is
// refused with the reason. Screenshot: test-results/screenshots/component.png.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inspectComponent } from "../../extension/analysis/inspect-component";
import { componentWat } from "../helpers/component-wat";
import { Inspector } from "./harness/inspector";
import { withWorkbench } from "./harness/session";
import { SCREENSHOT_VIEWPORT } from "./harness/themes";
import { poll } from "./harness/workbench";
import { makeWorkspace } from "./harness/workspace";

const COMPONENT = componentWat(`(component $app
  (import "wasi:cli/stdout@0.2.0" (instance))
  (core module $small (memory 1) (data (i32.const 0) "small image"))
  (core module $big (memory 2) (data (i32.const 0) "big") (data (i32.const 70000) "image"))
  (component $inner (core module $leaf (func (export "f"))))
  (export "inner" (component $inner))
)`);

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
    const workspace = await makeWorkspace({ "build/app.component.wasm": COMPONENT });
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
            /3 core modules, 1 import, 1 export \(inner\)/,
          );
          // The largest image first: module 1.
          const fields = await inspector.overviewFields();
          assert.equal(fields["images.0.length"], String(big!.report.images[0]!.length));
          assert.equal(fields["images.0.sha256"], big!.report.images[0]!.sha256);
          assert.match(
            (await inspector.frame.locator(".notice").first().textContent()) ?? "",
            /this is a component/,
          );
          await workbench.screenshotEditor("screenshots/component");

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
          assert.deepEqual(log.unexpected(), [], "console errors");
          assert.deepEqual(log.cspViolations(), [], "CSP violations");
        },
      );
    } finally {
      workspace.dispose();
    }
  },
);
