// Instantiation of a module with a 16 MiB memory image: V8's ordinary instantiation
// (the module compiled once; each instance gets a new memory and V8 copies the 16 MiB
// of segments into it) against copy-on-write instantiation in pool slots:
//
// - cold: a fresh slot (new WebAssembly.Memory + mmap of the image) and the instance;
// - reuse, pool only: the affine slot still maps the image, so acquire → map (nothing
//   to do) → instance → store → reset and release, with SlotPool and the rewritten
//   module directly;
// - reuse with per-step kernel snapshots: the same through RunnerSession, which after
//   every step (acquire, map, instantiate, invoke, reset) takes a page-state snapshot
//   of the slot's memory (its resident and private-dirty figures come from it): the
//   measured states are the product, so this is what `wasm-cow run` and the UI pay;
// - the same with `smaps: true`, where every step also reads /proc/self/smaps for the
//   memory: the price of the optional smaps figures.
//
// For the two session rows, the snapshot and smaps calls are timed as the session makes
// them, and the breakdown splits the same iterations into those calls, the steps' own
// durations and the rest.
//
// Every iteration ends with the one i32.store of the exported `store`. Times are
// medians in this process; nothing is asserted about them (machines differ). What each
// path computes is checked once before it is timed.

import { readFileSync } from "node:fs";
import { SLOT_IMPORT_MODULE, rewriteForCow } from "../extension/analysis/cow-rewriter";
import {
  DEFAULT_DENSE_LIMIT,
  materializeImage,
  planImages,
  type ImageGeometry,
} from "../extension/analysis/image-planner";
import { readModule } from "../extension/analysis/module-reader";
import type { NativeAddon, NativeImage } from "../extension/runner/native-backend";
import { RunnerSession } from "../extension/runner/runner-session";
import { SlotPool, type SlotRequest } from "../extension/runner/slot-pool";
import { imageModule, SIXTEEN_MIB_IMAGE } from "./image-module";

import { MIB, requireAddon } from "./native";
import { formatTable } from "../common/markdown-table";
import { describeMachine, writeResults } from "./report";
import {
  collectGarbage,
  formatMs,
  formatRatio,
  sample,
  sampleMeasured,
  timeOnce,
  type Stats,
} from "./timing";
import type { ResetStrategy } from "../common/run-types";

const {
  memoryPages: MEMORY_PAGES,
  imageOffset: IMAGE_OFFSET,
  segments: SEGMENTS,
  segmentSize: SEGMENT_SIZE,
  storeAddress: STORE_ADDRESS,
  storeValue: STORE_VALUE,
} = SIXTEEN_MIB_IMAGE;

/** Budget per row; rows take at least MIN_RUNS runs. */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 2_000);
const MIN_RUNS = 20;
/** Memories a path drops are collected every this many runs, untimed. */
const GC_EVERY = 8;

interface Fixture {
  bytes: Uint8Array;
  image: ImageGeometry;
  imageBytes: Uint8Array;
  /** The module with its memory imported from a slot and its segments emptied. */
  rewritten: WebAssembly.Module;
  slotImport: string;
}

interface Row {
  path: string;
  stats: Stats;
}

function buildFixture(): Fixture {
  const bytes = imageModule(SIXTEEN_MIB_IMAGE);
  const module = readModule(bytes);
  const plan = planImages(module, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
  const image = plan.memories[0]?.image;
  if (!plan.memories[0]?.static || !image) throw new Error("the bench module has no static image");
  if (image.offset !== BigInt(IMAGE_OFFSET) || image.length !== 16 * MIB) {
    throw new Error(`unexpected image geometry: ${image.length} bytes at ${image.offset}`);
  }
  const rewrite = rewriteForCow(module, new Set([0]));
  return {
    bytes,
    image,
    imageBytes: materializeImage(module, image),
    rewritten: new WebAssembly.Module(rewrite.bytes as Uint8Array<ArrayBuffer>),
    slotImport: rewrite.memories[0]!.name,
  };
}

function wordAt(memory: WebAssembly.Memory, address: number): number {
  return new DataView(memory.buffer).getInt32(address, true);
}

/** The stored word, and the image's bytes around it before the store. */
function checkStored(memory: WebAssembly.Memory, fixture: Fixture, what: string): void {
  const bytes = new Uint8Array(memory.buffer);
  const imageByte = fixture.imageBytes[100];
  if (wordAt(memory, STORE_ADDRESS) !== STORE_VALUE || bytes[IMAGE_OFFSET + 100] !== imageByte) {
    throw new Error(`${what}: the memory does not hold the image and the stored word`);
  }
}

function checkPristine(memory: WebAssembly.Memory, fixture: Fixture, what: string): void {
  const expected = new DataView(fixture.imageBytes.buffer, fixture.imageBytes.byteOffset).getInt32(
    STORE_ADDRESS - IMAGE_OFFSET,
    true,
  );
  if (wordAt(memory, STORE_ADDRESS) !== expected) {
    throw new Error(`${what}: the reset did not restore the image word`);
  }
}

function callStore(instance: WebAssembly.Instance): void {
  (instance.exports.store as () => void)();
}

function ordinary(fixture: Fixture): Row {
  const compiled = new WebAssembly.Module(fixture.bytes as Uint8Array<ArrayBuffer>);
  const check = new WebAssembly.Instance(compiled, {});
  callStore(check);
  checkStored(check.exports.memory as WebAssembly.Memory, fixture, "V8 instantiation");
  const stats = sample(() => callStore(new WebAssembly.Instance(compiled, {})), {
    minRuns: MIN_RUNS,
    budgetMs: BUDGET_MS,
    every: { runs: GC_EVERY, run: collectGarbage },
  });
  return { path: "V8 instantiation (module compiled once) + store", stats };
}

function slotRequest(image: NativeImage): SlotRequest {
  return {
    key: "bench#0",
    limits: { initialPages: MEMORY_PAGES, maximumPages: MEMORY_PAGES },
    image: { native: image, offset: IMAGE_OFFSET },
    source: "mapping",
  };
}

/** acquire → map → instantiate → store on `pool`; returns the slot and its instance. */
function instantiateInSlot(
  pool: SlotPool,
  request: SlotRequest,
  fixture: Fixture,
): { slot: number; memory: WebAssembly.Memory; pick: string; alreadyMapped: boolean } {
  const acquired = pool.acquire(request);
  const mapped = pool.map(acquired.slot, request);
  const instance = new WebAssembly.Instance(fixture.rewritten, {
    [SLOT_IMPORT_MODULE]: { [fixture.slotImport]: acquired.memory },
  });
  callStore(instance);
  return {
    slot: acquired.slot,
    memory: acquired.memory,
    pick: acquired.pick,
    alreadyMapped: mapped.alreadyMapped,
  };
}

/** A fresh pool per run, so every instance gets a cold slot: new memory + mmap. */
function cold(addon: NativeAddon, image: NativeImage, fixture: Fixture): Row {
  const request = slotRequest(image);
  const stats = sampleMeasured(
    () => {
      const pool = new SlotPool(addon, 1, 1);
      let used: ReturnType<typeof instantiateInSlot> | undefined;
      const ms = timeOnce(() => (used = instantiateInSlot(pool, request, fixture)));
      if (used!.pick !== "cold" || used!.alreadyMapped) throw new Error("not a cold slot");
      checkStored(used!.memory, fixture, "cold slot");
      pool.release(used!.slot, "madvise", 0); // untimed: drops the dirty page
      return ms;
    },
    { minRuns: MIN_RUNS, budgetMs: BUDGET_MS, every: { runs: GC_EVERY, run: collectGarbage } },
  );
  return { path: "CoW cold: new Memory + mmap image + instantiate + store", stats };
}

function poolReuse(
  addon: NativeAddon,
  image: NativeImage,
  fixture: Fixture,
  strategy: ResetStrategy,
  keepResident: number,
): Row {
  const pool = new SlotPool(addon, 1, 1);
  const request = slotRequest(image);
  const iteration = (): ReturnType<typeof instantiateInSlot> => {
    const used = instantiateInSlot(pool, request, fixture);
    pool.release(used.slot, strategy, keepResident);
    return used;
  };
  iteration(); // the cold first use
  const used = instantiateInSlot(pool, request, fixture);
  if (used.pick !== "affine" || !used.alreadyMapped) throw new Error("not an affine reuse");
  checkStored(used.memory, fixture, `pool reuse (${strategy})`);
  pool.release(used.slot, strategy, keepResident);
  checkPristine(used.memory, fixture, `pool reuse (${strategy})`);
  const stats = sample(iteration, { minRuns: MIN_RUNS, budgetMs: BUDGET_MS });
  pool.purge(request.key);
  const reset = strategy === "pagemap" ? `pagemap reset, keep ${keepResident / MIB} MiB` : strategy;
  return { path: `CoW reuse, pool only (${reset})`, stats };
}

/** What the session's snapshot() and accounting() calls took, in ns, since last read. */
interface Observations {
  snapshotNs: number;
  snapshotCalls: number;
  accountingNs: number;
  accountingCalls: number;
}

/** The addon with its two observation calls timed as the session makes them, so the
 *  breakdown is measured inside the timed iterations (the two clock reads per call are
 *  part of the iteration, well under a microsecond each). */
function observedAddon(addon: NativeAddon): { backend: NativeAddon; take: () => Observations } {
  let seen: Observations = { snapshotNs: 0, snapshotCalls: 0, accountingNs: 0, accountingCalls: 0 };
  const timed = <T>(call: () => T, add: (ns: number) => void): T => {
    const started = process.hrtime.bigint();
    try {
      return call();
    } finally {
      add(Number(process.hrtime.bigint() - started));
    }
  };
  const backend: NativeAddon = {
    ...addon,
    snapshot: (memory, offset, length) =>
      timed(
        () => addon.snapshot(memory, offset, length),
        (ns) => ((seen.snapshotNs += ns), seen.snapshotCalls++),
      ),
    accounting: (memory) =>
      timed(
        () => addon.accounting(memory),
        (ns) => ((seen.accountingNs += ns), seen.accountingCalls++),
      ),
  };
  const take = (): Observations => {
    const taken = seen;
    seen = { snapshotNs: 0, snapshotCalls: 0, accountingNs: 0, accountingCalls: 0 };
    return taken;
  };
  return { backend, take };
}

/** One iteration's parts, in ns on the clock the step records use (process.hrtime). */
interface Parts extends Observations {
  totalNs: number;
  /** The steps' own durations (acquire … reset), without the observations after each. */
  stepsNs: number;
}

/** Per-iteration means over the middle half of the iterations (ranked by total): the
 *  parts of the same iterations, so they add up to the whole, without the odd GC pause. */
interface Breakdown {
  iterations: number;
  iterationMs: number;
  snapshot: { calls: number; ms: number };
  accounting: { calls: number; ms: number };
  stepsMs: number;
  /** Step records, imports, pool bookkeeping, JS: the iteration minus the parts above. */
  restMs: number;
}

interface SessionRun {
  row: Row;
  breakdown: Breakdown;
}

function breakdownOf(parts: readonly Parts[]): Breakdown {
  const sorted = [...parts].sort((a, b) => a.totalNs - b.totalNs);
  const quarter = Math.floor(sorted.length / 4);
  const kept = sorted.slice(quarter, sorted.length - quarter);
  const meanMs = (of: (p: Parts) => number): number =>
    kept.reduce((sum, p) => sum + of(p), 0) / kept.length / 1e6;
  const iterationMs = meanMs((p) => p.totalNs);
  const snapshotMs = meanMs((p) => p.snapshotNs);
  const accountingMs = meanMs((p) => p.accountingNs);
  const stepsMs = meanMs((p) => p.stepsNs);
  return {
    iterations: kept.length,
    iterationMs,
    snapshot: { calls: kept[0]!.snapshotCalls, ms: snapshotMs },
    accounting: { calls: kept[0]!.accountingCalls, ms: accountingMs },
    stepsMs,
    restMs: meanMs((p) => p.totalNs - p.stepsNs - p.snapshotNs - p.accountingNs),
  };
}

/** Instantiate → invoke `store` → release through RunnerSession, whose every step is
 *  followed by a page-state snapshot of the slot's memory and, with `smaps`, by a read of
 *  /proc/self/smaps for it. */
function sessionReuse(addon: NativeAddon, fixture: Fixture, smaps: boolean): SessionRun {
  const observed = observedAddon(addon);
  const session = new RunnerSession(observed.backend, {
    slots: 1,
    maxUnusedWarmSlots: 1,
    includePageStates: false,
    smaps,
  });
  const loaded = session.loadModule({
    moduleId: "bench",
    fileName: "image-16mib.wasm",
    bytes: fixture.bytes,
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
  });
  if (!loaded.summary.cow) throw new Error(`no CoW: ${loaded.summary.cowRefusal}`);
  const options = { init: "cow" as const, initialize: false, wasi: false };
  const what = smaps ? "session with smaps" : "session";
  const parts: Parts[] = [];
  let expectAffine = false; // from the second use on
  const iteration = (): number => {
    observed.take();
    const started = process.hrtime.bigint();
    const created = session.instantiate("bench", options);
    const invoked = session.invoke(created.instance, "store", []);
    const released = session.release(created.instance, "madvise", 0);
    const totalNs = Number(process.hrtime.bigint() - started);
    const calls = observed.take();
    const steps = [...created.steps, invoked, ...released];
    const states = steps.flatMap((step) => step.memories);
    const acquire = created.steps.find((s) => s.step === "acquire");
    const map = created.steps.find((s) => s.step === "map");
    const reused = acquire?.pick === "affine" && map?.detail?.alreadyMapped === true;
    if (created.mode !== "cow" || (expectAffine && !reused)) {
      throw new Error(`${what}: the slot was not the affine one with its image mapped`);
    }
    // Every memory state in the records is one snapshot, and one smaps read if asked for.
    if (
      calls.snapshotCalls !== states.length ||
      calls.accountingCalls !== (smaps ? states.length : 0) ||
      states.some((state) => (state.smaps !== null) !== smaps)
    ) {
      throw new Error(`${what}: the observation calls do not match the step records`);
    }
    parts.push({ ...calls, totalNs, stepsNs: steps.reduce((sum, step) => sum + step.ns, 0) });
    return totalNs / 1e6;
  };
  iteration(); // the cold first use
  expectAffine = true;
  const check = session.instantiate("bench", options);
  const invoked = session.invoke(check.instance, "store", []);
  const memory = session.exportsOf(check.instance)!.memory as WebAssembly.Memory;
  const after = invoked.memories[0];
  // The store's page became a private copy of an image page, and the figures say so.
  if (!after || after.pages.imageDirty < 1 || after.privateDirtyBytes < 4096) {
    throw new Error(`${what}: the invoke step's page states miss the written image page`);
  }
  checkStored(memory, fixture, what);
  session.release(check.instance, "madvise", 0);
  checkPristine(memory, fixture, what);

  parts.length = 0;
  const stats = sampleMeasured(iteration, { minRuns: MIN_RUNS, budgetMs: BUDGET_MS });
  session.unloadModule("bench");
  const path = smaps
    ? "CoW reuse with smaps accounting on every step (RunnerSession, smaps: true)"
    : "CoW reuse with per-step kernel snapshots (RunnerSession)";
  // The warm-up runs come first: the timed runs are the last ones.
  return { row: { path, stats }, breakdown: breakdownOf(parts.slice(-stats.runs)) };
}

/** Shares in tenths of a percent, rounded so that the shown ones add up to 100.0 %
 *  (largest remainder). */
function shares(parts: readonly number[], whole: number): string[] {
  const exact = parts.map((part) => (1000 * part) / whole);
  const tenths = exact.map(Math.floor);
  const missing = 1000 - tenths.reduce((sum, t) => sum + t, 0);
  const byRemainder = parts
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - tenths[b]! - (exact[a]! - tenths[a]!));
  for (const i of byRemainder.slice(0, missing)) tenths[i]!++;
  return tenths.map((t) => `${(t / 10).toFixed(1)} %`);
}

/** Per-iteration parts of both session runs, with their share of the iteration. */
function formatBreakdown(plain: Breakdown, withSmaps: Breakdown): string {
  const columns = [plain, withSmaps].map((b) => {
    const values = [b.snapshot.ms, b.accounting.ms, b.stepsMs, b.restMs];
    const calls = (part: { calls: number; ms: number }): string =>
      part.calls ? `${formatMs(part.ms)} (${part.calls} calls)` : "no calls";
    return {
      values: [calls(b.snapshot), calls(b.accounting), formatMs(b.stepsMs), formatMs(b.restMs)],
      shares: shares(values, b.iterationMs),
      whole: formatMs(b.iterationMs),
    };
  });
  const labels = [
    "addon.snapshot(), the page states",
    "addon.accounting(), /proc/self/smaps",
    "the steps' own ns (acquire … reset)",
    "the rest (step records, imports, JS)",
  ];
  return formatTable(
    ["part, per iteration", "session", "share", "session, smaps: true", "share"],
    [
      ...labels.map((label, i) => [label, ...columns.flatMap((c) => [c.values[i]!, c.shares[i]!])]),
      ["whole iteration", ...columns.flatMap((c) => [c.whole, "100.0 %"])],
    ],
  );
}

function vmaCount(): number {
  return readFileSync("/proc/self/maps", "utf8").trimEnd().split("\n").length;
}

export async function runCowInstantiation(): Promise<void> {
  const addon = requireAddon();
  const fixture = buildFixture();
  const image = new addon.Image(fixture.imageBytes);
  try {
    const baseline = ordinary(fixture);
    collectGarbage();
    const rows: Row[] = [baseline, cold(addon, image, fixture)];
    collectGarbage();
    rows.push(poolReuse(addon, image, fixture, "madvise", 0));
    rows.push(poolReuse(addon, image, fixture, "pagemap", MIB));
    const session = sessionReuse(addon, fixture, false);
    const withSmaps = sessionReuse(addon, fixture, true);
    rows.push(session.row, withSmaps.row);
    const vmas = vmaCount();

    console.log(
      `\n16 MiB image (${SEGMENTS} segments of ${SEGMENT_SIZE / 1024} KiB, memory of ${MEMORY_PAGES} pages): ` +
        `median per iteration, ${describeMachine()}`,
    );
    console.log(
      formatTable(
        ["path", "median", "p10", "p90", "runs", "V8 instantiation ÷ path"],
        rows.map(({ path, stats }) => [
          path,
          formatMs(stats.medianMs),
          formatMs(stats.p10Ms),
          formatMs(stats.p90Ms),
          String(stats.runs),
          formatRatio(baseline.stats.medianMs / stats.medianMs),
        ]),
      ),
    );

    console.log(
      `\nwhere a RunnerSession iteration goes (mean of the middle half of the iterations by ` +
        `time; smaps walks this process's ${vmas} mappings):`,
    );
    console.log(formatBreakdown(session.breakdown, withSmaps.breakdown));
    const file = writeResults("cow-instantiation", {
      imageBytes: 16 * MIB,
      memoryPages: MEMORY_PAGES,
      rows: rows.map(({ path, stats }) => ({
        path,
        ...stats,
        speedup: baseline.stats.medianMs / stats.medianMs,
      })),
      session: session.breakdown,
      sessionWithSmaps: { ...withSmaps.breakdown, vmas },
    });
    console.log(`\nresults: ${file}`);
  } finally {
    image.release();
    collectGarbage();
  }
}
