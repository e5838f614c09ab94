// Reset cost against memory size and dirty pages. The same 1 MiB image is mapped at
// the start of a 16 MiB and of a 1 GiB memory; each run writes one byte in N host pages
// (untimed), then resets the memory (timed). The pages are spread evenly over the first
// 16 MiB (the same addresses in both memories: only the size differs) or, in the 1 GiB
// memory, over all of it (each page then has a page table of its own):
//
// - pagemap: PAGEMAP_SCAN finds the private pages and only those are restored in place
//   (keep-resident large enough that the walk covers the whole memory), so the cost
//   should follow N, not the memory size;
// - madvise: one MADV_DONTNEED over the whole accessible range.
//
// With pagemap, restored pages stay resident and private, so later scans find them
// again: the runs re-dirty the same pages, so each reset restores exactly those N.
// Times are medians in this process; nothing is asserted about them.

import type { NativeAddon, NativeImage } from "../extension/runner/native-backend";
import { fillRandom } from "./image-module";
import { HOST_PAGE, MIB, WASM_PAGE, requireAddon, spreadPages, writePages } from "./native";
import { formatTable } from "../common/markdown-table";
import { describeMachine, writeResults } from "./report";
import {
  collectGarbage,
  formatMs,
  formatRatio,
  median,
  sampleMeasured,
  timeOnce,
  type Stats,
} from "./timing";
import type { ResetStrategy } from "../common/run-types";

const IMAGE_BYTES = MIB;
const SMALL = 16 * MIB;
const LARGE = 1024 * MIB;
/** Memory size, and the span the dirty pages are spread over. */
const LAYOUTS = [
  { memory: "16 MiB", bytes: SMALL, spread: SMALL },
  { memory: "1 GiB", bytes: LARGE, spread: SMALL },
  { memory: "1 GiB", bytes: LARGE, spread: LARGE },
] as const;
type Layout = (typeof LAYOUTS)[number];
/** 0: the walk (or the madvise) alone. */
const DIRTY_COUNTS = [0, 1, 10, 100, 1000] as const;
/** The headline comparison. */
const HEADLINE_DIRTY = 10;
/** keepResident for pagemap: the whole of the largest memory. */
const KEEP_RESIDENT = 1024 * MIB;
const STRATEGIES: readonly ResetStrategy[] = ["pagemap", "madvise"];
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 300);

interface Row {
  strategy: ResetStrategy;
  memory: string;
  memoryBytes: number;
  /** The dirty pages lie in the first this many bytes. */
  spreadBytes: number;
  dirtyPages: number;
  stats: Stats;
  nativeMedianMs: number;
  pagesRestored: number;
  madvise: number;
}

/** The byte the reset must bring back at `address`: the image's, or zero above it. */
function pristineByte(image: Uint8Array, address: number): number {
  return address < image.length ? image[address]! : 0;
}

function measure(
  addon: NativeAddon,
  native: NativeImage,
  imageBytes: Uint8Array,
  strategy: ResetStrategy,
  layout: Layout,
  dirtyPages: number,
): Row {
  const pages = layout.bytes / WASM_PAGE;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const { base } = addon.mapImage(memory, 0, native);
  const dirty = spreadPages(dirtyPages, layout.spread / HOST_PAGE);
  const keep = strategy === "pagemap" ? KEEP_RESIDENT : 0;
  const nativeMs: number[] = [];
  let last: ReturnType<NativeAddon["reset"]> | undefined;
  let value = 0;
  const stats = sampleMeasured(
    () => {
      writePages(memory, dirty, (value = (value % 255) + 1));
      const ms = timeOnce(() => (last = addon.reset(memory, base, strategy, keep, native, 0)));
      nativeMs.push(last!.ns / 1e6);
      return ms;
    },
    { warmup: 3, minRuns: 30, maxRuns: 500, budgetMs: BUDGET_MS },
  );
  if (last!.fellBack !== null) throw new Error(`${strategy} fell back: ${last!.fellBack}`);
  const bytes = new Uint8Array(memory.buffer);
  for (const page of dirty) {
    const address = page * HOST_PAGE + 64;
    if (bytes[address] !== pristineByte(imageBytes, address)) {
      throw new Error(`${strategy} on ${layout.memory}: page ${page} was not restored`);
    }
  }
  addon.reset(memory, base, "madvise", 0, native, 0); // drop every resident page
  return {
    strategy,
    memory: layout.memory,
    memoryBytes: layout.bytes,
    spreadBytes: layout.spread,
    dirtyPages,
    stats,
    nativeMedianMs: median(nativeMs),
    pagesRestored: last!.pagesRestored,
    madvise: last!.syscalls.madvise,
  };
}

function spreadLabel(bytes: number): string {
  return bytes === LARGE ? "all 1 GiB" : `first ${bytes / MIB} MiB`;
}

function headline(rows: Row[]): string {
  const find = (strategy: ResetStrategy, layout: Layout): Row =>
    rows.find(
      (r) =>
        r.strategy === strategy &&
        r.memoryBytes === layout.bytes &&
        r.spreadBytes === layout.spread &&
        r.dirtyPages === HEADLINE_DIRTY,
    )!;
  return formatTable(
    [
      "strategy",
      "16 MiB memory",
      "1 GiB, same pages",
      "1 GiB ÷ 16 MiB",
      "1 GiB, spread over it",
      "1 GiB spread ÷ 16 MiB",
    ],
    STRATEGIES.map((strategy) => {
      const [small, same, spread] = LAYOUTS.map((layout) => find(strategy, layout).stats.medianMs);
      return [
        strategy === "pagemap" ? `pagemap (keep ${KEEP_RESIDENT / MIB} MiB)` : strategy,
        formatMs(small!),
        formatMs(same!),
        formatRatio(same! / small!),
        formatMs(spread!),
        formatRatio(spread! / small!),
      ];
    }),
  );
}

function sweep(rows: Row[]): string {
  return formatTable(
    [
      "strategy",
      "memory",
      "dirty pages in",
      "dirty pages",
      "median",
      "p10",
      "p90",
      "native median",
      "pages restored",
      "madvise calls",
    ],
    rows.map((r) => [
      r.strategy,
      r.memory,
      spreadLabel(r.spreadBytes),
      String(r.dirtyPages),
      formatMs(r.stats.medianMs),
      formatMs(r.stats.p10Ms),
      formatMs(r.stats.p90Ms),
      formatMs(r.nativeMedianMs),
      String(r.pagesRestored),
      String(r.madvise),
    ]),
  );
}

export async function runResetCost(): Promise<void> {
  const addon = requireAddon();
  const imageBytes = new Uint8Array(IMAGE_BYTES);
  fillRandom(imageBytes, 7);
  const native = new addon.Image(imageBytes);
  try {
    const rows: Row[] = [];
    for (const strategy of STRATEGIES) {
      for (const layout of LAYOUTS) {
        for (const dirty of DIRTY_COUNTS) {
          rows.push(measure(addon, native, imageBytes, strategy, layout, dirty));
          collectGarbage();
        }
      }
    }
    console.log(
      `\nreset of ${HEADLINE_DIRTY} dirty host pages, same ${IMAGE_BYTES / MIB} MiB image: median per reset, ${describeMachine()}`,
    );
    console.log(headline(rows));
    console.log(
      "\nreset cost by dirty pages (wall time of the addon call, and its own native timing):",
    );
    console.log(sweep(rows));
    const file = writeResults(
      "reset-cost",
      rows.map(({ stats, ...row }) => ({ ...row, ...stats })),
    );
    console.log(`\nresults: ${file}`);
  } finally {
    native.release();
    collectGarbage();
  }
}
