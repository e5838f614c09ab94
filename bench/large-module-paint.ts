// A 50 MB module from opening to first paint, the way the extension does it: the real
// analysis worker thread (dist/analysis-worker.js: decode, validate, plan, report JSON,
// page layers, page hashes) and then the real webview in Chromium (the test harness:
// dist/webview.js under the extension's CSP) receiving the report and drawing the
// Overview. Target (issue 4): first paint under 2 s. Baseline: the 2 MiB sample.

import { readFileSync } from "node:fs";
import path from "node:path";
import { AnalysisClient } from "../extension/editor/analysis-client";
import { buildExamples } from "../scripts/build-examples";
import { startHarness } from "../test/webview/harness/webview-harness";
import type { HostMessage } from "../webview/src/protocol";
import { describeMachine, formatTable, writeResults } from "./report";
import { syntheticModule } from "./synthetic-module";
import { formatMs, formatRatio, summarize, type Stats } from "./timing";

const RUNS = Number(process.env.BENCH_LARGE_RUNS ?? 5);
const TARGET_MS = 2000;
const WORKER = path.resolve(__dirname, "../dist/analysis-worker.js");

interface Row {
  name: string;
  bytes: number;
  analysis: Stats;
  paint: Stats;
  total: Stats;
}

export async function runLargeModulePaint(): Promise<void> {
  const dense = (await buildExamples()).find((f) => f.endsWith("dense.wasm"))!;
  const modules = [
    { name: "dense sample (2 MiB image)", bytes: new Uint8Array(readFileSync(dense)) },
    {
      name: "synthetic, 100,000 segments",
      bytes: syntheticModule({ segments: 100_000, segmentSize: 500, gap: 12, base: 1024 }),
    },
  ];
  const harness = await startHarness();
  const rows: Row[] = [];
  try {
    for (const module of modules) {
      const analysis: number[] = [];
      const paint: number[] = [];
      const total: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const client = new AnalysisClient(WORKER);
        const view = await harness.openWebview({ theme: "dark" });
        try {
          const started = performance.now();
          const result = await client.analyze(module.bytes, "large.wasm", 4096, 16 << 20);
          const analysed = performance.now();
          const report: HostMessage = {
            type: "report",
            side: "left",
            fileName: "large.wasm",
            ...result,
          };
          // Delivered and drawn: the Overview's image length is on screen.
          await view.start({ report: report as Extract<HostMessage, { type: "report" }> });
          await view.page.locator('[data-field="images.0.length"]').waitFor();
          const painted = performance.now();
          analysis.push(analysed - started);
          paint.push(painted - analysed);
          total.push(painted - started);
        } finally {
          client.dispose();
          await view.close();
        }
      }
      rows.push({
        name: module.name,
        bytes: module.bytes.length,
        analysis: summarize(analysis),
        paint: summarize(paint),
        total: summarize(total),
      });
    }
  } finally {
    await harness.close();
  }
  const baseline = rows[0]!.total.medianMs;
  console.log(
    `\nopening a module to the first paint of the Overview, median of ${RUNS}: ${describeMachine()}`,
  );
  console.log(
    formatTable(
      [
        "module",
        "bytes",
        "analysis (worker)",
        "report → painted",
        "total",
        "÷ baseline",
        `target ${TARGET_MS} ms`,
      ],
      rows.map((row) => [
        row.name,
        row.bytes.toLocaleString("en-US"),
        formatMs(row.analysis.medianMs),
        formatMs(row.paint.medianMs),
        formatMs(row.total.medianMs),
        formatRatio(row.total.medianMs / baseline),
        row.total.medianMs < TARGET_MS ? "met" : "MISSED",
      ]),
    ),
  );
  writeResults("large-module-paint", { runs: RUNS, rows });
}
