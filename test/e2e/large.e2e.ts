// Issue 15, modules at scale in a real VS Code: a generated pair of 100,000-segment modules
// (51 MB each; the right one's segments every one a byte further apart, so all but the
// first moved). The left one opens on its Overview (the time from opening to the painted
// Overview is reported), an instance of it fills the Slot pool with its figures; then
// Compare with the right one: the figures, the counts and the
// page ranges equal the naive model's (expected-compare.ts, from the two `inspect --json`
// outputs and the bytes), the segment list keeps a few hundred rows in the DOM for 99,999
// changes, Next and Previous step through the differences in address order, and the last
// row of the list selects its difference. Screenshots of the three views are kept.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { grouped } from "../../common/format";
import { syntheticModule } from "../../bench/synthetic-module";
import { inspectJson } from "./harness/cli";
import { compareFrame, readCompare } from "./harness/compare";
import { expectedCompare, type ExpectedDifference } from "./harness/expected-compare";
import { Inspector } from "./harness/inspector";
import { withWorkbench } from "./harness/session";
import { SCREENSHOT_VIEWPORT } from "./harness/themes";
import { makeWorkspace } from "./harness/workspace";
import type { Frame } from "playwright-core";

const SEGMENTS = 100_000;
const SHAPE = { segments: SEGMENTS, segmentSize: 500, base: 1024 };
const LEFT = "build/large-left.wasm";
const RIGHT = "build/large-right.wasm";

/** The selected difference as the status line's data attributes carry it. */
async function selected(frame: Frame): Promise<ExpectedDifference & { index: number }> {
  const data = await frame
    .locator(".compare-nav-status")
    .evaluate((e) => ({ ...(e as HTMLElement).dataset }));
  return {
    index: Number(data.index),
    kind: data.kind as ExpectedDifference["kind"],
    start: Number(data.start),
    end: Number(data.end),
  };
}

async function waitForSelected(frame: Frame, index: number): Promise<void> {
  await frame.locator(`.compare-nav-status[data-index="${index}"]`).waitFor();
}

test(
  "a 100,000-segment pair: Overview, then Compare stepped through",
  { timeout: 300_000 },
  async (t) => {
    const workspace = await makeWorkspace({
      [LEFT]: syntheticModule({ ...SHAPE, gap: 12 }),
      [RIGHT]: syntheticModule({ ...SHAPE, gap: 13 }),
    });
    try {
      const sides = [LEFT, RIGHT].map((file) => {
        const absolute = workspace.file(file);
        return { json: inspectJson(absolute), bytes: new Uint8Array(readFileSync(absolute)) };
      });
      const expected = expectedCompare(sides[0]!, sides[1]!);
      await withWorkbench(
        {
          name: "large",
          folder: workspace.folder,
          viewport: SCREENSHOT_VIEWPORT,
          settings: { "workbench.editor.enablePreview": false },
          timeoutMs: 280_000,
        },
        async ({ workbench, console: log }) => {
          await workbench.waitForExtension();

          const opened = Date.now();
          const inspector = await Inspector.open(workbench, LEFT);
          await inspector.frame.locator('[data-field="images.0.length"]').waitFor();
          t.diagnostic(`open to Overview: ${Date.now() - opened} ms (${LEFT}, 51 MB)`);
          await workbench.closeSideBar();
          const fields = await inspector.overviewFields();
          assert.equal(fields["images.0.length"], String(sides[0]!.json.images[0]!.length));
          await workbench.screenshotEditor("screenshots/large-overview");

          // An instance of it live: the Slot pool's figures for its 51 MB image, grouped with
          // their sizes, the in-use slot's resident bytes as the stepper counts them.
          await inspector.showTab("stepper");
          await inspector.act("instantiate");
          await inspector.waitForSteps(5, 120_000);
          await inspector.showTab("pool");
          // Its memory (the image's 51 MB and more) in the one number format; nothing has
          // touched it yet, so no page is resident.
          const cell = (field: string) =>
            inspector.frame
              .locator(`table.slot-table tr[data-state="in-use"] [data-field="${field}"]`)
              .textContent();
          assert.match((await cell("accessibleBytes"))!, /^[\d,]+ \([\d.]+ MiB\)$/);
          assert.equal(await cell("bytesResident"), "0 bytes");
          await workbench.screenshotEditor("screenshots/large-pool");

          await workbench.runCommandWithPrompt(
            "Wasm CoW: Compare Memory Layouts",
            /^Compare large-left\.wasm with/,
          );
          const asked = Date.now();
          await workbench.answerOpenDialog(workspace.file(RIGHT));
          const frame = await compareFrame(workbench, "large-left.wasm ↔ large-right.wasm");
          t.diagnostic(`Compare to its first paint: ${Date.now() - asked} ms`);

          const shown = await readCompare(frame);
          assert.deepEqual(shown.imageRows, expected.imageRows);
          assert.deepEqual(shown.pageRanges, expected.pageRanges);
          const count = expected.differences.length;
          assert.equal(expected.segments.length, SEGMENTS - 1, "every segment but the first moved");
          assert.match(shown.status, new RegExp(`^${grouped(count)} differences`));
          assert.match(
            shown.segmentsText,
            new RegExp(`^${grouped(SEGMENTS - 1)} changed; ${expected.unchangedSegments} matched`),
          );
          // Virtualised: a screenful of rows in the DOM, not 99,999.
          assert.ok(
            shown.segments.length > 5 && shown.segments.length < 300,
            `${shown.segments.length} rows`,
          );
          assert.deepEqual(shown.segments, expected.segments.slice(0, shown.segments.length));

          // Next and Previous, by key and by button.
          for (let i = 0; i < 3; i++) {
            await frame.locator("body").press("n");
            await waitForSelected(frame, i);
            const { index: _index, ...now } = await selected(frame);
            assert.deepEqual(now, expected.differences[i], `difference ${i + 1}`);
          }
          await frame.getByRole("button", { name: /^Previous difference/ }).click();
          await waitForSelected(frame, 1);

          // The list's last row, scrolled to, selects its difference.
          const list = frame.locator(".compare-segment-table");
          await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
          const last = list.locator(`[role=row][aria-rowindex="${SEGMENTS}"]`);
          await last.waitFor();
          assert.equal(await last.getAttribute("data-left"), String(SEGMENTS - 1));
          await last.locator("button").click();
          const lastStart = SHAPE.base + (SEGMENTS - 1) * (SHAPE.segmentSize + 12);
          const want = expected.differences.findIndex(
            (d) => d.kind === "segment" && d.start === lastStart,
          );
          assert.ok(want > 0);
          await waitForSelected(frame, want);
          assert.equal(await last.getAttribute("aria-current"), "true");
          await frame.locator("body").press("n");
          await waitForSelected(frame, want + 1);
          const { index: _next, ...after } = await selected(frame);
          assert.deepEqual(after, expected.differences[want + 1]);
          await workbench.screenshotEditor("screenshots/large-compare");

          assert.deepEqual(log.unexpected(), [], "console errors");
          assert.deepEqual(log.cspViolations(), [], "CSP violations");
        },
      );
    } finally {
      workspace.dispose();
    }
  },
);
