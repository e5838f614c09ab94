// Issue 11 in a real VS Code: real Wasmtime 49 (the wasmtime Python package python3
// imports, found by the extension itself) beside the V8 emulation. dirty-per-call.wasm
// stepped side by side (Instantiate, Invoke touch, Release, Instantiate again): the
// comparison pairs every step, the Wasmtime column's page counts equal `wasm-cow run
// --engine wasmtime` on the same file, both engines pick a cold slot and then the affine
// one, and no row differs. Then Wasmtime alone in the Slot pool tab. Screenshots of the
// side-by-side stepper and slot pool are kept in test-results/screenshots/.

import assert from "node:assert/strict";
import { test } from "node:test";
import { PAGE_STATE_WORDS, type PageStateName } from "../../common/page-states";
import { instanceSteps, runJson } from "./harness/cli";
import { Inspector } from "./harness/inspector";
import { runnerPids } from "./harness/runner-processes";
import { scenarioRunner } from "./harness/scenario";
import { withWorkbench } from "./harness/session";
import { SCREENSHOT_VIEWPORT } from "./harness/themes";
import { poll } from "./harness/workbench";
import { makeWorkspace } from "./harness/workspace";

const DIRTY = "build/dirty-per-call.wasm";

test("V8 emulation and real Wasmtime side by side (issue 11)", { timeout: 240_000 }, async (t) => {
  const workspace = await makeWorkspace();
  try {
    await withWorkbench(
      {
        name: "engines",
        folder: workspace.folder,
        viewport: SCREENSHOT_VIEWPORT,
        timeoutMs: 220_000,
      },
      async ({ workbench, server, console: log }) => {
        await workbench.waitForExtension();
        const scenario = scenarioRunner(t, "engines", workbench);
        let dirty: Inspector | undefined;

        await scenario("side by side: the same steps, Wasmtime's counts as the CLI's", async () => {
          const cli = runJson(workspace.file(DIRTY), [
            "--engine",
            "wasmtime",
            "--invoke",
            "touch",
            "--instances",
            "2",
          ]);
          assert.equal(cli.engine?.kind, "wasmtime");
          dirty = await Inspector.open(workbench, DIRTY);
          await workbench.closeSideBar();
          await dirty.showTab("stepper");
          const picker = dirty.frame.locator('[data-field="engine-picker"]');
          await picker.waitFor();
          await dirty.frame.click('vscode-radio[data-engine="both"]');
          await dirty.frame.locator('section[aria-label="V8 emulation vs Wasmtime"]').waitFor();

          const rows = dirty.frame.locator("table.engine-steps tbody tr");
          const waitRows = (count: number) =>
            poll(
              `${count} rows side by side`,
              async () => {
                const running = await dirty!.frame
                  .locator('[data-field="blocked"]')
                  .count()
                  .then((n) => n > 0);
                return !running && (await rows.count()) === count ? true : undefined;
              },
              60_000,
            );
          await dirty.act("instantiate");
          await waitRows(1);
          await dirty.act("invoke");
          await waitRows(2);
          await dirty.act("release");
          await waitRows(3);
          await dirty.act("instantiate");
          await waitRows(4);

          // The CLI's Wasmtime steps of the same actions: instantiate, touch, reset, then
          // the second instance's instantiate.
          const expected = [...instanceSteps(cli.steps, 1), instanceSteps(cli.steps, 2)[0]!];
          assert.deepEqual(
            expected.map((s) => s.step),
            ["instantiate", "invoke", "reset", "instantiate"],
          );
          for (const [i, step] of expected.entries()) {
            const row = rows.nth(i);
            assert.equal(await row.getAttribute("data-differs"), "false", `row ${i} agrees`);
            const shown =
              (await row
                .locator('td[data-engine="wasmtime"] [data-field="pages"]')
                .textContent()) ?? "";
            const pages = step.memories[0]!.pages as Record<string, number>;
            const wanted = Object.entries(pages)
              .filter(([, n]) => n > 0)
              .map(
                ([state, n]) =>
                  `${PAGE_STATE_WORDS[state as PageStateName]} ${n.toLocaleString("en-US")}`,
              )
              .join(", ");
            assert.equal(shown, wanted, `row ${i} (${step.step}): Wasmtime's counts`);
          }
          assert.match((await rows.nth(0).textContent()) ?? "", /cold slot,.*cold slot,/s);
          assert.match((await rows.nth(3).textContent()) ?? "", /affine slot,.*affine slot,/s);
          assert.match(
            (await dirty.frame.locator('[data-field="agreement"]').textContent()) ?? "",
            /agree on all 4 steps/,
          );
          // Two runners now: the V8 one and Wasmtime's.
          await poll("two runner processes", async () =>
            runnerPids(server.pid).length === 2 ? true : undefined,
          );
          await workbench.screenshotEditor("screenshots/engines-side-by-side");
        });

        await scenario("the Slot pool: each engine's slots; Wasmtime alone", async () => {
          assert.ok(dirty, "the first scenario opened dirty-per-call.wasm");
          await dirty.showTab("pool");
          const pools = dirty.frame.locator(".engine-pool");
          assert.equal(await pools.count(), 2);
          const wasmtimePool = dirty.frame.locator('.engine-pool[data-engine="wasmtime"]');
          const row = wasmtimePool.locator("table.slot-table tbody tr").first();
          assert.equal(await row.getAttribute("data-state"), "in-use");
          assert.match(
            (await wasmtimePool.locator('[data-field="last-instantiation"]').textContent()) ?? "",
            /affine.*the image is mapped in the slot \(seen in \/proc\/self\/maps\)/s,
          );
          await workbench.screenshotEditor("screenshots/engines-slot-pool");

          await dirty.frame.click('vscode-radio[data-engine="wasmtime"]');
          await poll("one pool shown", async () =>
            (await pools.count()) === 1 ? true : undefined,
          );
          await dirty.showTab("stepper");
          const timeline = await dirty.frame.locator(".timeline-step").allTextContents();
          assert.ok(
            timeline.some((text) => /Instantiate in slot \d+ \(affine\)/.test(text)),
            timeline.join(" | "),
          );
        });

        await scenario("no console errors and no CSP violations", async () => {
          assert.deepEqual(log.unexpected(), []);
        });
      },
    );
  } finally {
    workspace.dispose();
  }
});
