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
//   and reads /proc/self/smaps for the slot's memory: the measured states are the
//   product, so this is what `wasm-cow run` and the UI pay.
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
import type { NativeAddon, NativeImage, ResetStrategy } from "../extension/runner/native-backend";
import { RunnerSession } from "../extension/runner/runner-session";
import { SlotPool, type SlotRequest } from "../extension/runner/slot-pool";
import { imageModule } from "./image-module";
import { MIB, WASM_PAGE, requireAddon } from "./native";
import { describeMachine, formatTable, writeResults } from "./report";
import {
  collectGarbage,
  formatMs,
  formatRatio,
  median,
  sample,
  sampleMeasured,
  timeOnce,
  type Stats,
} from "./timing";

const IMAGE_OFFSET = WASM_PAGE; // one page of zeros below the image
const SEGMENT_SIZE = WASM_PAGE;
const SEGMENTS = (16 * MIB) / SEGMENT_SIZE;
const MEMORY_PAGES = 1 + SEGMENTS + 1; // and one page of zeros above it
const STORE_ADDRESS = IMAGE_OFFSET + 8 * MIB + 4 * 1234;
const STORE_VALUE = 0x12345678;
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
  const bytes = imageModule({
    memoryPages: MEMORY_PAGES,
    imageOffset: IMAGE_OFFSET,
    segments: SEGMENTS,
    segmentSize: SEGMENT_SIZE,
    storeAddress: STORE_ADDRESS,
    storeValue: STORE_VALUE,
  });
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

interface SessionRun {
  row: Row;
  /** Median per iteration of the steps' own durations (acquire … reset). */
  stepsMs: number;
  snapshotMs: number;
  accountingMs: number;
  /** snapshot + accounting calls per iteration (one each per step). */
  observations: number;
}

/** With `withoutSmaps`, a what-if: the session's addon answers accounting() with a
 *  fixed record instead of reading /proc/self/smaps (the other calls are the real ones). */
function sessionReuse(addon: NativeAddon, fixture: Fixture, withoutSmaps: boolean): SessionRun {
  const fixed = addon.accounting(new WebAssembly.Memory({ initial: 1 }));
  const backend: NativeAddon = withoutSmaps ? { ...addon, accounting: () => fixed } : addon;
  const session = new RunnerSession(backend, {
    slots: 1,
    maxUnusedWarmSlots: 1,
    includePageStates: false,
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
  const stepsMs: number[] = [];
  let observations = 0;
  let memory: WebAssembly.Memory | null = null;
  let expectAffine = false; // from the second use on
  const iteration = (): void => {
    const created = session.instantiate("bench", options);
    const invoked = session.invoke(created.instance, "store", []);
    memory ??= session.exportsOf(created.instance)!.memory as WebAssembly.Memory;
    const released = session.release(created.instance, "madvise", 0);
    const steps = [...created.steps, invoked, ...released];
    stepsMs.push(steps.reduce((sum, step) => sum + step.ns, 0) / 1e6);
    observations = steps.reduce((sum, step) => sum + step.memories.length, 0);
    const acquire = created.steps.find((s) => s.step === "acquire");
    const map = created.steps.find((s) => s.step === "map");
    const reused = acquire?.pick === "affine" && map?.detail?.alreadyMapped === true;
    if (created.mode !== "cow" || (expectAffine && !reused)) {
      throw new Error("the session did not reuse the affine slot with its image mapped");
    }
  };
  iteration(); // the cold first use
  expectAffine = true;
  const check = session.instantiate("bench", options);
  session.invoke(check.instance, "store", []);
  checkStored(memory!, fixture, "session");
  session.release(check.instance, "madvise", 0);
  checkPristine(memory!, fixture, "session");

  stepsMs.length = 0;
  const stats = sample(iteration, { minRuns: MIN_RUNS, budgetMs: BUDGET_MS });
  const steps = median(stepsMs);
  // The two observation calls alone, on the same memory in the same state.
  const snapshot = sample(() => addon.snapshot(memory!, IMAGE_OFFSET, 16 * MIB), {
    minRuns: MIN_RUNS,
    budgetMs: BUDGET_MS / 4,
  });
  const accounting = sample(() => backend.accounting(memory!), {
    minRuns: MIN_RUNS,
    budgetMs: BUDGET_MS / 4,
  });
  session.unloadModule("bench");
  const path = withoutSmaps
    ? "what-if: the same without reading smaps (accounting() stubbed)"
    : "CoW reuse with per-step kernel snapshots (RunnerSession)";
  return {
    row: { path, stats },
    stepsMs: steps,
    snapshotMs: snapshot.medianMs,
    accountingMs: accounting.medianMs,
    observations,
  };
}

function breakdownOf(run: SessionRun): Record<string, number> {
  const snapshots = run.observations * run.snapshotMs;
  const smaps = run.observations * run.accountingMs;
  return {
    iterationMs: run.row.stats.medianMs,
    observationsPerIteration: run.observations,
    snapshotMs: run.snapshotMs,
    accountingMs: run.accountingMs,
    stepsMs: run.stepsMs,
    restMs: Math.max(0, run.row.stats.medianMs - snapshots - smaps - run.stepsMs),
  };
}

/** Per-iteration parts of both session runs, with their share of the iteration. */
function formatBreakdown(session: SessionRun, whatIf: SessionRun): string {
  const runs = [breakdownOf(session), breakdownOf(whatIf)];
  const cells = (of: (b: Record<string, number>) => number): string[] =>
    runs.flatMap((b) => [formatMs(of(b)), `${((100 * of(b)) / b.iterationMs!).toFixed(0)} %`]);
  const calls = (b: Record<string, number>, key: string): number =>
    b.observationsPerIteration! * b[key]!;
  return formatTable(
    ["part (median per call × calls)", "session", "share", "without smaps", "share"],
    [
      [
        `addon.snapshot() (${formatMs(session.snapshotMs)} × ${session.observations})`,
        ...cells((b) => calls(b, "snapshotMs")),
      ],
      [
        `addon.accounting(), /proc/self/smaps (${formatMs(session.accountingMs)} × ${session.observations})`,
        ...cells((b) => calls(b, "accountingMs")),
      ],
      ["the steps' own ns (acquire … reset)", ...cells((b) => b.stepsMs!)],
      ["the rest (step records, imports, JS)", ...cells((b) => b.restMs!)],
      ["whole iteration (median)", ...cells((b) => b.iterationMs!)],
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
    const whatIf = sessionReuse(addon, fixture, true);
    rows.push(session.row, whatIf.row);
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
      `\nwhere a RunnerSession iteration goes (${vmas} mappings in this process's smaps):`,
    );
    console.log(formatBreakdown(session, whatIf));
    const file = writeResults("cow-instantiation", {
      imageBytes: 16 * MIB,
      memoryPages: MEMORY_PAGES,
      rows: rows.map(({ path, stats }) => ({
        path,
        ...stats,
        speedup: baseline.stats.medianMs / stats.medianMs,
      })),
      session: { ...breakdownOf(session), vmas },
      withoutSmaps: breakdownOf(whatIf),
    });
    console.log(`\nresults: ${file}`);
  } finally {
    image.release();
    collectGarbage();
  }
}
