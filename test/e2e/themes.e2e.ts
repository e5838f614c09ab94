// Issue 5, scenario 7: the overview, page map, stepper and compare view in the light, dark
// and high-contrast themes, each in its own session (the theme is a user setting the
// launcher writes), cropped to the editor and saved as
// test-results/screenshots/<theme>-<view>.png; the webview and the workbench log no
// console errors and no CSP violations meanwhile. scripts/screenshots.ts copies a light
// and a dark set into docs/screenshots/ for the README.

import assert from "node:assert/strict";
import { test } from "node:test";
import { COMPARE_READY, compareFrame } from "./harness/compare";
import { Inspector } from "./harness/inspector";
import { withWorkbench } from "./harness/session";
import { SCREENSHOT_VIEWPORT, screenshotName, THEMES, type ScreenshotView } from "./harness/themes";
import { poll } from "./harness/workbench";
import { describeRunnerThreads, extensionLogTail } from "./harness/runner-processes";
import { makeWorkspace } from "./harness/workspace";
import type { Frame } from "playwright-core";

for (const theme of THEMES) {
  test(
    `${theme.colorTheme}: screenshots, no console errors or CSP violations`,
    { timeout: 180_000 },
    async () => {
      const workspace = await makeWorkspace();
      try {
        await withWorkbench(
          {
            name: `theme-${theme.id}`,
            folder: workspace.folder,
            settings: { "workbench.colorTheme": theme.colorTheme },
            viewport: SCREENSHOT_VIEWPORT,
          },
          async ({ workbench, page, server, console: log }) => {
            const shoot = async (frame: Frame, view: ScreenshotView) => {
              await settled(frame);
              await workbench.screenshotEditor(screenshotName(theme.id, view));
            };
            await poll(`the workbench in ${theme.colorTheme}`, async () => {
              const classes = (await page.locator(".monaco-workbench").getAttribute("class")) ?? "";
              const applied = classes.split(" ");
              return theme.workbenchClasses.every((c) => applied.includes(c)) ? true : undefined;
            });
            await workbench.waitForExtension();
            const inspector = await Inspector.open(workbench, "build/dirty-per-call.wasm");
            assert.match(
              await inspector.frame.evaluate(() => document.body.className),
              new RegExp(`(^| )${theme.webviewClass}( |$)`),
            );
            await workbench.closeSideBar();
            await shoot(inspector.frame, "overview");

            // A live instance whose `touch` wrote twice: two pages copied from the image.
            await inspector.showTab("stepper");
            await inspector.act("instantiate");
            await inspector.waitForSteps(5);
            for (const steps of [6, 7]) {
              await inspector.act("invoke");
              await inspector.waitForSteps(steps);
            }
            await shoot(inspector.frame, "stepper");

            // Page 0 selected: its image bytes next to the live instance's, differences marked.
            await inspector.showTab("pages");
            await inspector.frame.locator(".page-map-frame").focus();
            await inspector.frame.locator(".page-map-frame").press("Enter");
            await inspector.frame.locator(".page-map-page .hex-row.differs").first().waitFor();
            await shoot(inspector.frame, "page-map");

            // The strategy lab, measured in the runner: two touches per instance, so two
            // userfaultfd faults each; its four charts drawn.
            await inspector.showTab("strategies");
            const lab = inspector.frame.locator('section[aria-label="Strategies"]');
            await lab.locator('[data-field="workload"] input').fill("touch; touch");
            await lab.locator('[data-field="instances"] input').fill("3");
            await lab.locator('[data-action="runLab"]').click();
            await lab
              .locator('table[data-table="madvise"]')
              .waitFor({ timeout: 120_000 })
              .catch(async (error: Error) => {
                // Where the lab is stuck, for the failure to say. It hung in CI three
                // times: the runner idle, its lab threads gone, because a scaling thread's
                // last messages were missed when the runner woke late (fixed in
                // thread-scaling.ts, test/unit/lab-thread-messages.test.ts).
                throw new Error(
                  `${error.message}\nthe Strategies tab says: ${await lab.innerText()}\n${describeRunnerThreads(server.pid)}\n${extensionLogTail(server.userData)}`,
                );
              });
            const heads = await lab
              .locator('table[data-table="strategies"] thead th')
              .allTextContents();
            const uffd = await lab
              .locator('table[data-table="strategies"] tbody tr', { hasText: "userfaultfd" })
              .locator("th, td")
              .allTextContents();
            assert.equal(uffd[heads.indexOf("faults/instance")], "2", "two touches, two faults");
            assert.equal(await lab.locator("figure[data-chart] canvas").count(), 4);
            await shoot(inspector.frame, "strategies");

            await inspector.showTab("overview");
            await inspector.frame.getByRole("button", { name: "Compare with…" }).click();
            await workbench.waitForPrompt(/^Compare dirty-per-call\.wasm with/);
            await workbench.answerOpenDialog(workspace.file("build/tiny.wasm"));
            const compare = await compareFrame(workbench, "dirty-per-call.wasm ↔ tiny.wasm");
            assert.match(
              await compare.evaluate(() => document.body.className),
              new RegExp(`(^| )${theme.webviewClass}( |$)`),
            );
            await compare.locator(COMPARE_READY).waitFor();
            await shoot(compare, "compare");

            assert.deepEqual(log.unexpected(), [], "console errors");
            assert.deepEqual(log.cspViolations(), [], "CSP violations");
          },
        );
      } finally {
        workspace.dispose();
      }
    },
  );
}

/** Fonts loaded and two frames painted since the last change (canvases drawn). */
async function settled(frame: Frame): Promise<void> {
  await frame.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}
