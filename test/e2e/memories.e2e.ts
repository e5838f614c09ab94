// Issue 12, memories outside the image path, in a real VS Code: imported-memory.wasm (its
// memory imported, as QuickJS or SQLite builds do) and pic.wasm (no static image: its
// offsets come from an imported global) stepped in the Instantiation tab. Every step shows
// the memory's pages, equal to `wasm-cow run --json` on the same file; the imported memory
// is headed as such and both say that V8 copied the segments and why there is no image;
// the Slot pool lists the imported memory outside the pool. Then the Overview's picture of
// regions.wasm: its regions as worked out by hand, and after a run the pages `work`
// dirtied, by region, in the stepper and on the Overview. Screenshots are kept in
// test-results/screenshots/.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runJson } from "./harness/cli";
import { Inspector } from "./harness/inspector";
import { scenarioRunner } from "./harness/scenario";
import { withWorkbench } from "./harness/session";
import { poll } from "./harness/workbench";
import { checkSteps } from "./harness/steps";
import { SCREENSHOT_VIEWPORT } from "./harness/themes";
import { makeWorkspace } from "./harness/workspace";
import {
  regionRows,
  REGIONS_SAMPLE_DIRTIED,
  REGIONS_SAMPLE_REGIONS,
} from "../helpers/regions-sample";

/** What the step's memory section says of where the memory is and how it was filled. */
async function memoryOrigin(
  inspector: Inspector,
): Promise<{ heading: string; init: string | null; place: string | null; text: string }> {
  const section = inspector.frame.locator("section.step-detail section.memory-after-step").first();
  const origin = section.locator('[data-field="origin"]');
  return {
    heading: ((await section.locator("h4").textContent()) ?? "").trim(),
    init: await origin.getAttribute("data-init"),
    place: await origin.getAttribute("data-place"),
    text: ((await origin.textContent()) ?? "").trim(),
  };
}

test(
  "memories outside the image path, observed after every step (issue 12)",
  { timeout: 240_000 },
  async (t) => {
    const workspace = await makeWorkspace();
    try {
      await withWorkbench(
        {
          name: "memories",
          folder: workspace.folder,
          viewport: SCREENSHOT_VIEWPORT,
          settings: { "workbench.editor.enablePreview": false },
          timeoutMs: 220_000,
        },
        async ({ workbench, console: log }) => {
          await workbench.waitForExtension();
          const scenario = scenarioRunner(t, "memories", workbench);

          await scenario(
            "an imported memory: its pages after every step, as the CLI's",
            async () => {
              const file = "build/imported-memory.wasm";
              const cli = runJson(workspace.file(file), ["--invoke", "touch"]);
              const instantiate = cli.steps.find((step) => step.step === "instantiate")!;
              assert.equal(
                instantiate.memories[0]?.origin.place,
                "imported",
                "the CLI observed it",
              );
              const inspector = await Inspector.open(workbench, file);
              await inspector.showTab("stepper");
              await inspector.act("instantiate");
              // plan, image, instantiate: no slot to acquire or map.
              await checkSteps(inspector, cli.steps, 3);
              await inspector.act("invoke");
              await checkSteps(inspector, cli.steps, 4);
              const origin = await memoryOrigin(inspector);
              assert.match(
                origin.heading,
                /^Memory 0 imported \(the runner's memory for the import, outside the pool\), after step 4$/,
              );
              assert.deepEqual([origin.place, origin.init], ["imported", "copied"]);
              assert.equal(
                origin.text,
                `data segments copied at instantiation: no image because ${instantiate.memories[0]!.origin.noImage}`,
              );
              await workbench.screenshotEditor("screenshots/imported-memory");
              await inspector.showTab("pool");
              const outside = inspector.frame.locator(
                '[data-field="outside-pool"] li[data-memory="0"]',
              );
              await outside.waitFor();
              assert.match(
                (await outside.textContent()) ?? "",
                /^Memory 0 of instance \d+, imported: data segments copied/,
              );
            },
          );

          await scenario(
            "what CoW would have saved: imported-memory.wasm as built and imaged, side by side",
            async () => {
              const inspector = await Inspector.open(workbench, "build/imported-memory.wasm");
              await inspector.showTab("stepper");
              await inspector.frame.click('vscode-radio[data-engine="what-if"]');
              const view = inspector.frame.locator(
                'section[aria-label="What CoW would have saved"]',
              );
              await view.waitFor();
              await inspector.act("instantiate");
              await inspector.act("invoke");
              // imported-memory.wat: V8 copies its two data pages as built; imaged, none;
              // `touch` then writes one more page in both.
              const figure = (label: string) =>
                view.locator('[data-field="savings"] tbody tr', { hasText: label }).locator("td");
              await poll("the variant's touch", async () =>
                (await figure("private dirty before the reset").count()) === 2 &&
                (await figure("private dirty before the reset").nth(1).textContent()) ===
                  "4,096 (4 KiB)"
                  ? true
                  : undefined,
              );
              assert.deepEqual(
                await figure("private dirty after instantiation").allTextContents(),
                ["8,192 (8 KiB)", "0 bytes"],
              );
              await workbench.screenshotEditor("screenshots/what-cow-would-have-saved");
              // Back to V8 alone for the next scenarios.
              await inspector.frame.click('vscode-radio[data-engine="v8"]');
            },
          );

          await scenario(
            "no image (pic.wasm): the slot's pages, copied by V8, and why",
            async () => {
              const file = "build/pic.wasm";
              const cli = runJson(workspace.file(file), []);
              const instantiate = cli.steps.find((step) => step.step === "instantiate")!;
              const inspector = await Inspector.open(workbench, file);
              await inspector.showTab("stepper");
              await inspector.act("instantiate");
              // plan, image, acquire, map, instantiate.
              await checkSteps(inspector, cli.steps, 5);
              const origin = await memoryOrigin(inspector);
              assert.match(origin.heading, /^Memory 0 in slot \d+, after step 5$/);
              assert.deepEqual([origin.place, origin.init], ["slot", "copied"]);
              assert.equal(
                origin.text,
                `data segments copied at instantiation: no image because ${instantiate.memories[0]!.origin.noImage}`,
              );
              await workbench.screenshotEditor("screenshots/no-image");
            },
          );

          await scenario(
            "the Overview's picture: regions.wasm's regions, and after a run its dirtied pages by region",
            async () => {
              const inspector = await Inspector.open(workbench, "build/regions.wasm");
              await inspector.showTab("overview");
              await inspector.frame.locator(".memory-picture-box svg").waitFor();
              assert.deepEqual(await regionRows(inspector.frame), REGIONS_SAMPLE_REGIONS);
              await workbench.screenshotEditor("screenshots/overview-picture");
              await inspector.showTab("stepper");
              await inspector.act("instantiate");
              await inspector.act("invoke");
              // plan, image, acquire, map, instantiate, invoke.
              await inspector.waitForSteps(6);
              const dirtied = inspector.frame.locator('section.step-detail [data-field="dirtied"]');
              await dirtied.first().waitFor();
              assert.equal(await dirtied.first().textContent(), REGIONS_SAMPLE_DIRTIED);
              await inspector.showTab("overview");
              const summary = inspector.frame.locator(".memory-picture-summary");
              await summary.waitFor();
              assert.match(
                (await summary.textContent()) ?? "",
                new RegExp(`^After step \\d+ \\(Invoke work\\): ${REGIONS_SAMPLE_DIRTIED}\\.$`),
              );
              await workbench.screenshotEditor("screenshots/overview-dirtied");
            },
          );

          await scenario("no console errors and no CSP violations", async () => {
            assert.deepEqual(log.unexpected(), []);
          });
        },
      );
    } finally {
      workspace.dispose();
    }
  },
);
