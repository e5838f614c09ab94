// Decode time of `readModule` (and `planImages` and `scanFeatures` on top of it) against
// wabt's `wasm-objdump -x` on the same files: the largest real npm modules and a synthetic
// module of ~100,000 data segments. The feature scan reads every instruction of every
// function body, so its time follows the code size and the function count. objdump runs
// as a process writing to /dev/null, so its time includes process start-up;
// `wasm-objdump --version` is measured as that baseline and the table shows both the raw
// and the start-up-adjusted ratio.
//
// Times are medians of warm runs in this process; nothing is asserted (machines differ).

import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { scanFeatures } from "../extension/analysis/feature-scan";
import { DEFAULT_DENSE_LIMIT, planImages } from "../extension/analysis/image-planner";
import { readModule } from "../extension/analysis/module-reader";
import { REAL_MODULES, realModulePath } from "../test/helpers/npm-wasm";
import { syntheticModule } from "./synthetic-module";
import { WASM_OBJDUMP } from "./wasm-objdump";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WARMUP = 2;
/** Fewer objdump runs for files where one run takes seconds (at least 3). */
const OBJDUMP_BUDGET_MS = 15_000;
/** The real modules worth timing: the large ones (≥ 10 MB). */
const LARGE = 10 * 1024 * 1024;

interface Row {
  file: string;
  bytes: number;
  segments: number;
  functions: number;
  readerMs: number;
  plannerMs: number;
  scanMs: number;
  objdumpMs: number;
  startupMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeMs(runs: number, task: () => void): number {
  for (let i = 0; i < WARMUP; i++) task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timeOnce(task));
  return median(times);
}

function objdump(args: string[], devNull: number): void {
  const result = spawnSync(WASM_OBJDUMP, args, { stdio: ["ignore", devNull, "pipe"] });
  if (result.error) throw new Error(`cannot run ${WASM_OBJDUMP}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${WASM_OBJDUMP} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
}

function timeOnce(task: () => void): number {
  const start = performance.now();
  task();
  return performance.now() - start;
}

/** `-x FILE` and the `--version` baseline, interleaved so both see the same process
 *  state: spawning from Node costs more as its heap grows (fork copies page tables). */
function timeObjdump(file: string, devNull: number): { full: number; startup: number } {
  const full = (): number => timeOnce(() => objdump(["-x", file], devNull));
  const startup = (): number => timeOnce(() => objdump(["--version"], devNull));
  startup();
  const runs = Math.min(RUNS, Math.max(3, Math.floor(OBJDUMP_BUDGET_MS / full())));
  const fullTimes: number[] = [];
  const startupTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    fullTimes.push(full());
    startupTimes.push(startup());
  }
  return { full: median(fullTimes), startup: median(startupTimes) };
}

/** Not a timing: the reader and `wasm-objdump -h` must agree on what is being timed. */
function checkSegmentCount(file: string, segments: number): void {
  const out = spawnSync(WASM_OBJDUMP, ["-h", file], { encoding: "utf8" }).stdout;
  const count = Number(/^\s*Data start=.* count: (\d+)$/m.exec(out)?.[1] ?? 0);
  if (count !== segments) {
    throw new Error(`${file}: the reader found ${segments} data segments, wasm-objdump ${count}`);
  }
}

async function measure(label: string, file: string, devNull: number): Promise<Row> {
  const bytes = new Uint8Array(await readFile(file));
  const module = readModule(bytes);
  const plannerOptions = { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT };
  checkSegmentCount(file, module.dataSegments.length);
  const objdumpTimes = timeObjdump(file, devNull);
  return {
    file: label,
    bytes: bytes.length,
    segments: module.dataSegments.length,
    functions: module.functionTypes.length,
    readerMs: timeMs(RUNS, () => readModule(bytes)),
    plannerMs: timeMs(RUNS, () => planImages(module, plannerOptions)),
    scanMs: timeMs(RUNS, () => scanFeatures(module)),
    objdumpMs: objdumpTimes.full,
    startupMs: objdumpTimes.startup,
  };
}

function formatTable(rows: Row[]): string {
  const header = [
    "file",
    "size",
    "segments",
    "functions",
    "reader ms",
    "planner ms",
    "feature scan ms",
    "objdump -x ms",
    "startup ms",
    "objdump/reader",
    "adjusted",
  ];
  const lines = rows.map((r) => [
    r.file,
    `${(r.bytes / 1024 / 1024).toFixed(1)} MB`,
    r.segments.toLocaleString("en-US"),
    r.functions.toLocaleString("en-US"),
    r.readerMs.toFixed(1),
    r.plannerMs.toFixed(1),
    r.scanMs.toFixed(1),
    r.objdumpMs.toFixed(1),
    r.startupMs.toFixed(1),
    `${(r.objdumpMs / r.readerMs).toFixed(1)}×`,
    `${((r.objdumpMs - r.startupMs) / r.readerMs).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    row(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.map(row),
  ].join("\n");
}

export async function runReaderVsObjdump(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-bench-"));
  const devNull = openSync("/dev/null", "w");
  try {
    const synthetic = path.join(scratch, "synthetic-100k.wasm");
    writeFileSync(
      synthetic,
      syntheticModule({ segments: 100_000, segmentSize: 320, gap: 16, base: 1024 }),
    );
    const rows: Row[] = [];
    for (const real of REAL_MODULES) {
      const file = await realModulePath(real);
      const size = (await readFile(file)).length;
      if (size >= LARGE) rows.push(await measure(path.basename(real.file), file, devNull));
    }
    rows.push(await measure("synthetic (100,000 segments)", synthetic, devNull));

    const version = spawnSync(WASM_OBJDUMP, ["--version"], { encoding: "utf8" }).stdout.trim();
    console.log(
      `\nreader vs ${WASM_OBJDUMP} ${version} -x: median of ${RUNS} warm runs` +
        ` (objdump: at least 3 within ${OBJDUMP_BUDGET_MS / 1000} s), Node ${process.version}, ${os.cpus().length} cores`,
    );
    console.log(formatTable(rows));
    const results = path.resolve(process.cwd(), "bench/results");
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, "reader-vs-objdump.json"), JSON.stringify(rows, null, 2));
  } finally {
    closeSync(devNull);
    rmSync(scratch, { recursive: true, force: true });
  }
}
