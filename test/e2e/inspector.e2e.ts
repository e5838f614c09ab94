// The inspector in a real VS Code (code-server with the packaged .vsix, driven by
// Chromium), one session for four scenarios of issue 5, each checked against the built CLI
// on the same file with the same settings:
//   1. every sample opened from the explorer: the Overview's values equal `inspect --json`,
//      its Segments tab lists what wasm-objdump lists;
//   2. dirty-per-call.wasm stepped through (Instantiate, Invoke touch ×2, Release): after
//      each action, every step's page counts (table and page-map legend), slot pick and
//      system calls equal `run --invoke touch --invoke touch --json`;
//   3. Instantiate again (Slot pool tab): an affine reuse, nothing mapped again;
//   then another editor in front and back: the run is still shown (issue 4: "state
//   survives hiding and reloading the tab");
//   4. Compare Memory Layouts with tiny.wasm picked in the open dialog: the difference list
//      is what the two `inspect --json` outputs imply.
// The webview and the workbench log no errors and no CSP violations meanwhile.

import { exactBytes } from "../../common/format";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { inspectJson, instanceSteps, runJson } from "./harness/cli";
import { compareFrame, readCompare, walkDifferences } from "./harness/compare";
import { expectedCompare } from "./harness/expected-compare";
import { objdumpDataSegments } from "./harness/objdump";
import { Inspector } from "./harness/inspector";
import { assertStep, checkSteps } from "./harness/steps";
import { expectedOverviewText, requiredIntegerFields } from "./harness/overview";
import { scenarioRunner } from "./harness/scenario";
import { withWorkbench } from "./harness/session";
import { poll } from "./harness/workbench";
import { makeWorkspace, SAMPLES } from "./harness/workspace";

const DIRTY = "build/dirty-per-call.wasm";
const TOUCHES = 2;

test("inspector scenarios in VS Code (issue 5: 1–4)", { timeout: 300_000 }, async (t) => {
  const workspace = await makeWorkspace();
  try {
    await withWorkbench(
      {
        name: "inspector",
        folder: workspace.folder,
        // Every file in its own tab (no preview tab replaced by the next file opened).
        settings: { "workbench.editor.enablePreview": false },
        timeoutMs: 280_000,
      },
      async ({ workbench, console: log, readyAfterMs }) => {
        t.diagnostic(`workbench ready after ${readyAfterMs} ms`);
        await workbench.waitForExtension();
        const scenario = scenarioRunner(t, "inspector", workbench);
        let dirty: Inspector | undefined;

        await scenario("1. each sample's Overview equals wasm-cow inspect --json", async () => {
          for (const name of SAMPLES) {
            const json = inspectJson(workspace.file(`build/${name}`));
            const inspector = await Inspector.open(workbench, `build/${name}`);
            const shown = await inspector.overviewFields();
            for (const field of requiredIntegerFields(json)) {
              assert.ok(field in shown, `${name}: the Overview has no ${field}`);
              assert.match(shown[field]!, /^(\d+|—)$/, `${name}: ${field} is a plain integer`);
            }
            for (const [field, text] of Object.entries(shown)) {
              const expected = expectedOverviewText(json, field);
              if (expected !== undefined) assert.equal(text, expected, `${name}: ${field}`);
            }
            // The Segments tab against wabt's own listing of the data section.
            const dumped = objdumpDataSegments(workspace.file(`build/${name}`));
            const segments = await inspector.segmentRows();
            const plural = dumped.length === 1 ? "" : "s";
            assert.equal(segments.count, `${dumped.length} data segment${plural}.`, name);
            assert.ok(segments.rows.length >= Math.min(dumped.length, 5), `${name}: rows shown`);
            for (const row of segments.rows) {
              const want = dumped[Number(row.index)]!;
              assert.deepEqual(
                [row.size, row.start, row.memory],
                [
                  exactBytes(want.size),
                  // A passive segment has no start; an active one placed by a global.get
                  // has one only at run time: the offset is shown instead.
                  want.memory === null
                    ? "—"
                    : want.global !== null
                      ? `global.get ${want.global}`
                      : `0x${want.start!.toString(16)}`,
                  want.memory === null ? "—" : String(want.memory),
                ],
                `${name}: segment ${row.index}`,
              );
            }
          }
        });

        await scenario("2. stepping dirty-per-call.wasm: counts equal wasm-cow run", async () => {
          const cli = runJson(workspace.file(DIRTY), touchArgs());
          dirty = await Inspector.open(workbench, DIRTY);
          await dirty.showTab("stepper");
          // Instantiate: plan and image (module steps), then acquire, map, instantiate.
          await dirty.act("instantiate");
          await checkSteps(dirty, cli.steps, 5);
          for (let call = 1; call <= TOUCHES; call++) {
            await dirty.act("invoke");
            await checkSteps(dirty, cli.steps, 5 + call);
          }
          await dirty.act("release");
          await checkSteps(dirty, cli.steps, 6 + TOUCHES);
          assert.equal(cli.steps.length, 6 + TOUCHES, "the CLI ran the same steps");
        });

        await scenario("3. Instantiate again: an affine reuse, nothing mapped", async () => {
          assert.ok(dirty, "scenario 2 opened dirty-per-call.wasm");
          const cli = runJson(workspace.file(DIRTY), [...touchArgs(), "--instances", "2"]);
          const second = instanceSteps(cli.steps, 2).slice(0, 3); // acquire, map, instantiate
          const before = 6 + TOUCHES;
          await dirty.showTab("pool");
          await dirty.act("instantiate"); // "Instantiate again"
          await dirty.showTab("stepper");
          await dirty.waitForSteps(before + second.length);
          for (const [i, expected] of second.entries()) {
            await dirty.selectStep(before + i);
            assertStep(await dirty.currentStep(), expected, `instance 2, ${expected.step}`);
          }
          // Wasmtime's rule, independently of the CLI: the slot the first instance freed is
          // warm with this module's image, so it is picked (affine) and nothing is mapped.
          await dirty.selectStep(before);
          assert.equal((await dirty.currentStep()).pick, "affine");
          await dirty.selectStep(before + 1);
          const map = await dirty.currentStep();
          assert.equal(map.syscalls.mmap, 0, "no mmap: the image is still mapped");
          assert.equal(map.alreadyMapped, "true");

          await dirty.showTab("pool");
          const pool = dirty.frame.locator("section.slot-pool");
          assert.equal(await pool.locator('[data-field="last-pick"]').textContent(), "affine");
          assert.match(
            (await pool.locator('[data-field="last-instantiation"]').textContent()) ?? "",
            /nothing mapped \(the image was still there\)/,
          );
          const slot = second[0]!.slot;
          const row = pool.locator(`table.slot-table tr[data-slot="${slot}"]`);
          assert.equal(await row.getAttribute("data-state"), "in-use");
          assert.match(
            (await row.locator('[data-field="affinity"]').textContent()) ?? "",
            /dirty-per-call\.wasm \(this module\)/,
          );
          assert.equal(await pool.locator('tr[data-state="in-use"]').count(), 1);
        });

        await scenario(
          "the run survives hiding the editor (issue 4: state survives hiding)",
          async () => {
            assert.ok(dirty, "scenario 2 opened dirty-per-call.wasm");
            await dirty.showTab("stepper");
            const before = await dirty.runState();
            // Another editor in front: VS Code discards the hidden webview; showing the
            // editor again builds a new one, which must get the run back from the host.
            await Inspector.open(workbench, "build/tiny.wasm");
            const again = await Inspector.open(workbench, DIRTY);
            await again.frame.locator("section.stepper").waitFor(); // the saved tab
            // Polled for a while (the host answers the new webview's "ready"), then compared.
            const restored = await poll(
              "the run to come back",
              async () => {
                const state = await again.runState();
                return state.steps === before.steps ? state : undefined;
              },
              5_000,
            ).catch(() => again.runState());
            assert.deepEqual(restored, before, "the same steps, nothing running");
            assert.equal(await again.actionDisabled("release"), false, "the live instance is kept");
          },
        );

        await scenario(
          "4. Compare with tiny.wasm: the differences the inspect JSONs imply",
          async () => {
            const [left, right] = ["dirty-per-call.wasm", "tiny.wasm"].map((name) => {
              const file = workspace.file(`build/${name}`);
              return { json: inspectJson(file), bytes: new Uint8Array(readFileSync(file)) };
            });
            const expected = expectedCompare(left!, right!);
            await Inspector.open(workbench, DIRTY); // the active editor is the left side
            await workbench.runCommandWithPrompt(
              "Wasm CoW: Compare Memory Layouts",
              /^Compare dirty-per-call\.wasm with/,
            );
            await workbench.answerOpenDialog(workspace.file("build/tiny.wasm"));
            const frame = await compareFrame(workbench, "dirty-per-call.wasm ↔ tiny.wasm");
            const shown = await readCompare(frame);
            assert.deepEqual(shown.imageRows, expected.imageRows);
            assert.deepEqual(shown.segments, expected.segments);
            assert.match(
              shown.segmentsText,
              new RegExp(
                `^${expected.segments.length} changed; ${expected.unchangedSegments} matched`,
              ),
            );
            assert.deepEqual(shown.pageRanges, expected.pageRanges);
            const count = expected.differences.length;
            assert.match(shown.status, new RegExp(`^${count} differences`));
            assert.deepEqual(await walkDifferences(frame), expected.differences);
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
});

function touchArgs(): string[] {
  return Array.from({ length: TOUCHES }, () => ["--invoke", "touch"]).flat();
}
