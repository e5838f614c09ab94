// Issue 5, scenario 5: Restricted Mode. code-server starts with workspace trust on (no
// --disable-workspace-trust) and the folder untrusted. Inspection works (the Overview
// equals `wasm-cow inspect --json`); execution is disabled and the UI says why: the
// "Execution is unavailable" notice with the Restricted Mode reason, every run action
// disabled, and "Step Through Instantiation" absent from the command palette.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inspectJson } from "./harness/cli";
import { Inspector, type RunActionName } from "./harness/inspector";
import { expectedOverviewText } from "./harness/overview";
import { scenarioRunner } from "./harness/scenario";
import { withWorkbench } from "./harness/session";
import { makeWorkspace } from "./harness/workspace";

const FILE = "build/dirty-per-call.wasm";
const REASON = /^Execution is unavailable: .*Restricted Mode.*trusted workspace/;
/** What a tab says instead of repeating the reason. */
const POINTER = /^Execution is unavailable: the notice above says why\.$/;

test(
  "Restricted Mode: inspection works, execution is disabled and says why",
  { timeout: 180_000 },
  async (t) => {
    const workspace = await makeWorkspace();
    try {
      await withWorkbench(
        {
          name: "restricted-mode",
          folder: workspace.folder,
          workspaceTrust: true,
          // Untrusted without the start-up question: the folder opens in Restricted Mode.
          settings: { "security.workspace.trust.startupPrompt": "never" },
        },
        async ({ workbench, page, console: log }) => {
          const scenario = scenarioRunner(t, "restricted-mode", workbench);
          await page
            .getByRole("button", { name: /Restricted Mode/ })
            .first()
            .waitFor();
          await workbench.waitForExtension();
          let inspector: Inspector | undefined;

          await scenario("the Overview equals wasm-cow inspect --json", async () => {
            inspector = await Inspector.open(workbench, FILE);
            const json = inspectJson(workspace.file(FILE));
            const shown = await inspector.overviewFields();
            assert.equal(shown["images.0.length"], String(json.images[0]!.length));
            for (const [field, text] of Object.entries(shown)) {
              const expected = expectedOverviewText(json, field);
              if (expected !== undefined) assert.equal(text, expected, field);
            }
          });

          await scenario("execution is unavailable, with the Restricted Mode reason", async () => {
            assert.ok(inspector);
            const notice = inspector.frame.locator("main.app > .notice[role=status]");
            assert.match((await notice.textContent()) ?? "", REASON);

            await inspector.showTab("stepper");
            const actions: RunActionName[] = [
              "instantiate",
              "release",
              "instantiateOther",
              "runToEnd",
              "invoke",
            ];
            for (const action of actions) {
              assert.ok(await inspector.actionDisabled(action), `${action} is disabled`);
            }
            const blocked = inspector.frame.locator('section.stepper [data-field="blocked"]');
            assert.match((await blocked.textContent()) ?? "", POINTER);
            assert.equal(
              await inspector.frame.getByText(/Restricted Mode/).count(),
              1,
              "the reason, said once",
            );
            assert.equal(
              await inspector.frame.locator(".timeline-step").count(),
              0,
              "no steps ran",
            );

            await inspector.showTab("pool");
            assert.ok(
              await inspector.actionDisabled("instantiate"),
              "Instantiate again is disabled",
            );
            const poolBlocked = inspector.frame.locator('section.slot-pool [data-field="blocked"]');
            assert.match((await poolBlocked.textContent()) ?? "", POINTER);
            // The notice offers the way out: VS Code's workspace trust editor.
            const trustTab = page.getByRole("tab", { name: /Workspace Trust/ });
            assert.equal(await trustTab.count(), 0, "not open before");
            await notice.locator('vscode-button[data-action="manage-trust"]').click();
            await trustTab.first().waitFor();
          });

          await scenario("the palette offers inspection but not stepping", async () => {
            const titles = await workbench.paletteTitles("Wasm CoW:", "Wasm CoW: Open Inspector");
            assert.ok(titles.includes("Wasm CoW: Compare Memory Layouts"), titles.join(", "));
            assert.ok(!titles.includes("Wasm CoW: Step Through Instantiation"), titles.join(", "));
          });

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
