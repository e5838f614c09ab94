// Smoke test of the whole product: the packaged .vsix in a real VS Code (code-server) with
// its Node extension host, opened from the explorer in a real browser. Run by
// `npm run test:e2e`, which packages the extension and installs code-server first.

import assert from "node:assert/strict";
import { test } from "node:test";
import { withWorkbench } from "./harness/session";

test(
  "tiny.wasm opens in the inspector: Overview shows the image, execution is available",
  { timeout: 180_000 },
  async () => {
    await withWorkbench({ name: "smoke" }, async ({ workbench, readyAfterMs }) => {
      console.log(`workbench ready after ${readyAfterMs} ms`);
      await workbench.waitForExtension();
      const field = '[data-field="images.0.length"]';
      const frame = await workbench.openInCustomEditor("build/tiny.wasm", field);
      // tiny.wat: one 64 KiB memory, one segment of 34 bytes at 1024 ("Hello … image!\0").
      // Wasmtime's image covers the data rounded out to 4 KiB pages: [0, 4096).
      assert.equal(await frame.locator(field).getAttribute("data-value"), "4096");
      // Shown by the views' one number rule: the exact integer grouped, and its size.
      assert.equal((await frame.locator(field).textContent())?.trim(), "4,096 (4 KiB)");
      // The capabilities arrive before the report: no notice means the runner started and
      // loaded the native addon from the installed package.
      const notice = frame.getByText(/Execution is unavailable/);
      assert.equal(await notice.count(), 0, (await notice.allTextContents()).join("\n"));
      await workbench.screenshot("smoke-overview");
    });
  },
);
