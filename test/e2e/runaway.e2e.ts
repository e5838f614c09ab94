// Issue 5, scenario 6: a runaway module. runaway.wasm's start function never returns
// (`(loop br 0)`); with `wasmCow.executionTimeoutMs` at 1500 (the launcher's user
// settings), Instantiate reports the time-out as an alert in the Instantiation tab, the
// runner is killed and restarted, and the next instantiation of a normal module succeeds
// on a fresh pool: its steps equal a fresh `wasm-cow run` (slot 0, a cold pick).

import assert from "node:assert/strict";
import { test } from "node:test";
import { wat } from "../helpers/wat";
import { instanceSteps, runJson } from "./harness/cli";
import { Inspector } from "./harness/inspector";
import { runnerPids } from "./harness/runner-processes";
import { scenarioRunner } from "./harness/scenario";
import { withWorkbench } from "./harness/session";
import { poll } from "./harness/workbench";
import { makeWorkspace } from "./harness/workspace";

const TIMEOUT_MS = 1500;
const RUNAWAY = `(module
  (memory (export "memory") 1)
  (func $spin (loop $forever (br $forever)))
  (start $spin))`;

test(
  "a runaway start function times out, the runner restarts, the next run works",
  { timeout: 180_000 },
  async (t) => {
    const workspace = await makeWorkspace({ "build/runaway.wasm": await wat(RUNAWAY) });
    try {
      await withWorkbench(
        {
          name: "runaway",
          folder: workspace.folder,
          settings: { "wasmCow.executionTimeoutMs": TIMEOUT_MS },
        },
        async ({ workbench, server, console: log }) => {
          const scenario = scenarioRunner(t, "runaway", workbench);
          await workbench.waitForExtension();
          const oneRunner = (what: string) =>
            poll(what, async () => {
              const pids = runnerPids(server.pid);
              return pids.length === 1 ? pids[0] : undefined;
            });
          let firstRunner: number | undefined;

          await scenario("Instantiate reports the time-out as an alert", async () => {
            const runaway = await Inspector.open(workbench, "build/runaway.wasm");
            await runaway.showTab("stepper");
            // The editor asked the runner whether execution is available: it runs.
            firstRunner = await oneRunner("the runner process");
            await runaway.act("instantiate");
            const error = await runaway.waitForRunError(30_000);
            assert.match(error, new RegExp(`timed out after ${TIMEOUT_MS} ms`));
            assert.match(error, /restart/);
            const alert = runaway.frame.locator(
              'section.stepper [role="alert"][data-field="run-error"]',
            );
            assert.equal(await alert.count(), 1, "shown as an alert");
            // The module's own steps ran; no instance survived the time-out.
            const steps = await runaway.frame
              .locator(".timeline-step")
              .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-step")));
            assert.deepEqual(steps, ["plan", "image"]);
            assert.ok(await runaway.actionDisabled("release"), "no live instance to release");
            await poll("the timed-out runner to be killed", async () =>
              runnerPids(server.pid).includes(firstRunner!) ? undefined : true,
            );
          });

          await scenario("the restarted runner instantiates dirty-per-call.wasm", async () => {
            const file = "build/dirty-per-call.wasm";
            const expected = runJson(workspace.file(file), []).steps;
            const dirty = await Inspector.open(workbench, file);
            await dirty.showTab("stepper");
            await dirty.act("instantiate");
            await dirty.waitForSteps(5); // plan, image, acquire, map, instantiate
            const secondRunner = await oneRunner("a new runner process");
            assert.notEqual(secondRunner, firstRunner, "a new runner process");
            for (const [i, step] of instanceSteps(expected).slice(0, 3).entries()) {
              await dirty.selectStep(2 + i);
              const shown = await dirty.currentStep();
              assert.equal(shown.step, step.step);
              assert.equal(shown.pick, step.pick, `${step.step}: a fresh pool's pick`);
              assert.deepEqual(
                shown.tables,
                step.memories.map((m) => m.pages),
                step.step,
              );
            }
            await dirty.selectStep(2);
            assert.match((await dirty.currentStep()).title, /^Step 3: Acquire slot 0 \(cold\)$/);
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
