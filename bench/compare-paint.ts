// Comparing two 100,000-segment modules, the way the extension does it: two real analysis
// worker threads (dist/analysis-worker.js) analyse the sides in parallel, the left one
// diffs them and packs the diff, and the real webview in Chromium (the test harness:
// dist/webview.js under the extension's CSP) receives both reports and the diff and draws
// the comparison; then Next difference, pressed again and again. Targets (issue 15):
// first paint under 1.5 s, each Next under 50 ms. Baseline: the same run on the two
// 2 MiB samples (dense.wasm against a copy with a segment moved).

import { AnalysisClient } from "../extension/editor/analysis-client";
import { formatTable } from "../common/markdown-table";
import type { HostMessage } from "../common/webview-protocol";
import { startHarness, type WebviewPage } from "../test/webview/harness/webview-harness";
import { describeMachine, writeResults } from "./report";
import { syntheticModule } from "./synthetic-module";
import { asEditorHoldsThem } from "./editor-bytes";
import { PAINT_TIMES, watchPaint } from "./page-paint-timing";
import { formatMs, formatRatio, summarize, type Stats } from "./timing";
import path from "node:path";

/** The comparison painted: its status line, its first segment row and a page map. */
const WATCH_PAINT = watchPaint(
  "diff",
  `document.querySelector(".compare-nav-status") && document.querySelector(".compare-segment-table [data-kind]") && document.querySelector(".compare-map .page-map-frame")`,
);

const RUNS = Number(process.env.BENCH_COMPARE_RUNS ?? 3);
const NEXT_PRESSES = 30;
const PAINT_TARGET_MS = 1500;
const NEXT_TARGET_MS = 50;
const WORKER = path.resolve(__dirname, "../dist/analysis-worker.js");

/** The left module and a right one whose every segment moved (gap 13 instead of 12):
 *  as many segment changes and differences as segments. */
function pair(segments: number): [Uint8Array, Uint8Array] {
  const shape = { segments, segmentSize: 500, base: 1024 };
  return [
    asEditorHoldsThem(syntheticModule({ ...shape, gap: 12 })),
    asEditorHoldsThem(syntheticModule({ ...shape, gap: 13 })),
  ];
}

interface Row {
  name: string;
  segments: number;
  analysis: Stats;
  diff: Stats;
  paint: Stats;
  total: Stats;
  next: Stats;
}

export async function runComparePaint(): Promise<void> {
  const cases = [
    { name: "1,000 segments a side (baseline)", segments: 1_000 },
    { name: "100,000 segments a side", segments: 100_000 },
  ];
  const harness = await startHarness();
  const rows: Row[] = [];
  try {
    for (const { name, segments } of cases) {
      const [leftBytes, rightBytes] = pair(segments);
      const figures = { analysis: [] as number[], diff: [] as number[], paint: [] as number[] };
      const totals: number[] = [];
      const nexts: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        // As the host makes a comparison's: both cores are busy, no validation aside.
        const clients = [
          new AnalysisClient(WORKER, { validateAside: false }),
          new AnalysisClient(WORKER, { validateAside: false }),
        ] as const;
        const view = await harness.openWebview({ theme: "dark" });
        try {
          const started = performance.now();
          const [left, right] = await Promise.all([
            clients[0].analyze(leftBytes, "left.wasm", 4096, 16 << 20),
            clients[1].analyze(rightBytes, "right.wasm", 4096, 16 << 20),
          ]);
          const analysed = performance.now();
          // As the host does: both sides' segments and hashes made at once, in parallel.
          const [, rightSide] = await Promise.all([
            clients[0].diffSide(false),
            clients[1].diffSide(true),
          ]);
          const diff = await clients[0].diff({ ...right, ...rightSide! });
          const diffed = performance.now();
          const messages: HostMessage[] = [
            // As the host sends a compare panel: the summaries, no segments.
            { type: "report", side: "left", fileName: "left.wasm", ...left },
            { type: "report", side: "right", fileName: "right.wasm", ...right },
            { type: "diff", diff },
          ];
          await view.start({ view: "compare" });
          await view.page.evaluate(WATCH_PAINT);
          await view.page.evaluate(PRESS_NEXT);
          for (const message of messages) await view.deliver(message);
          // The harness hands messages to Chromium through the DevTools protocol (seconds
          // for the reports' JSON, not part of VS Code): the page clock times the diff's
          // arrival to the painted comparison.
          const { arrived, painted } = await view.page.evaluate<{
            arrived: number;
            painted: number;
          }>(PAINT_TIMES);
          figures.analysis.push(analysed - started);
          figures.diff.push(diffed - analysed);
          figures.paint.push(painted - arrived);
          totals.push(diffed - started + (painted - arrived));
          nexts.push(...(await pressNext(view)));
        } finally {
          clients.forEach((client) => client.dispose());
          await view.close();
        }
      }
      rows.push({
        name,
        segments,
        analysis: summarize(figures.analysis),
        diff: summarize(figures.diff),
        paint: summarize(figures.paint),
        total: summarize(totals),
        next: summarize(nexts),
      });
    }
  } finally {
    await harness.close();
  }
  const [baseline] = rows;
  console.log(`\ncomparing two modules, median of ${RUNS} runs: ${describeMachine()}`);
  console.log(
    formatTable(
      [
        "pair",
        "analysis (2 workers)",
        "diff (both workers)",
        "diff → painted (page)",
        "first paint",
        "÷ baseline",
        "target",
        `Next (median of ${NEXT_PRESSES}×${RUNS})`,
        "÷ baseline",
        "target",
      ],
      rows.map((row) => [
        row.name,
        formatMs(row.analysis.medianMs),
        formatMs(row.diff.medianMs),
        formatMs(row.paint.medianMs),
        formatMs(row.total.medianMs),
        formatRatio(row.total.medianMs / baseline!.total.medianMs),
        `${row.total.medianMs < PAINT_TARGET_MS ? "met" : "MISSED"} (${PAINT_TARGET_MS} ms)`,
        formatMs(row.next.medianMs),
        formatRatio(row.next.medianMs / baseline!.next.medianMs),
        `${row.next.medianMs < NEXT_TARGET_MS ? "met" : "MISSED"} (${NEXT_TARGET_MS} ms)`,
      ]),
    ),
  );
  writeResults("compare-paint", { runs: RUNS, rows });
}

/** Presses n NEXT_PRESSES times; each time from the key to the frame painted with the
 *  new difference in the status line, on the page's clock. */
async function pressNext(view: WebviewPage): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < NEXT_PRESSES; i++) {
    times.push(await view.page.evaluate<number>(`window.__pressNext(${i})`));
  }
  return times;
}

// Plain JavaScript text, like page-paint-timing.ts's scripts.

/** window.__pressNext(index): presses n and resolves with the time until a frame shows
 *  difference `index`. */
const PRESS_NEXT = `window.__pressNext = (index) => new Promise((resolve) => {
  const started = performance.now();
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "n", bubbles: true }));
  const check = () => {
    const status = document.querySelector(".compare-nav-status");
    if (status && status.dataset.index === String(index)) resolve(performance.now() - started);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;
