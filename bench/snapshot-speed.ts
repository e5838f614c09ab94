// A page-state snapshot of a 4 GiB memory (65536 wasm pages = 1,048,576 host pages;
// V8 reserves it, nothing is committed until touched) with a 16 MiB image mapped and
// some pages touched: addon.snapshot() (PAGEMAP_SCAN, where the kernel has it) against
// the baseline of reading the same range's 8 MiB of /proc/self/pagemap entries from
// here with fs.readSync (the data the plain-pagemap path classifies).
//
// Two memory states: "light" (a few thousand pages of every kind) and "scattered" (as
// light, plus one written page every 256 KiB over the whole 4 GiB: 16,384 separate
// regions for the scan to report). Times are medians; nothing is asserted about them.

import { closeSync, openSync, readSync } from "node:fs";
import type { NativeAddon, NativeImage } from "../extension/runner/native-backend";
import { countPageStates, type PageCounts } from "../common/page-states";
import { fillRandom } from "./image-module";
import {
  HOST_PAGE,
  MIB,
  WASM_PAGE,
  readPages,
  requireAddon,
  spreadPages,
  writePages,
} from "./native";
import { formatTable } from "../common/markdown-table";
import { describeMachine, writeResults } from "./report";
import { collectGarbage, formatMs, formatRatio, median, sample, type Stats } from "./timing";

const MEMORY_PAGES = 65536;
const HOST_PAGES = (MEMORY_PAGES * WASM_PAGE) / HOST_PAGE;
const IMAGE_OFFSET = 64 * MIB;
const IMAGE_BYTES = 16 * MIB;
const IMAGE_FIRST = IMAGE_OFFSET / HOST_PAGE;
const IMAGE_PAGES = IMAGE_BYTES / HOST_PAGE;
const ENTRY = 8;
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1_500);

interface Row {
  state: string;
  counts: PageCounts;
  method: string;
  snapshot: Stats;
  nativeMedianMs: number;
  pagemapRead: Stats;
}

/** Reads `pages` pagemap entries for the pages from `base` on, as a plain reader would. */
function readEntries(fd: number, base: bigint, pages: number, into: Buffer): void {
  let done = 0;
  const position = (Number(base) / HOST_PAGE) * ENTRY;
  while (done < pages * ENTRY) {
    const n = readSync(fd, into, done, pages * ENTRY - done, position + done);
    if (n <= 0) throw new Error("short read of /proc/self/pagemap");
    done += n;
  }
}

/** Present entries (bit 63) in the buffer: the baseline read the right range. */
function presentEntries(entries: Buffer): number {
  const words = new Uint32Array(entries.buffer, entries.byteOffset, entries.length / 4);
  let present = 0;
  for (let i = 1; i < words.length; i += 2) present += words[i]! >>> 31;
  return present;
}

function touchLight(memory: WebAssembly.Memory): void {
  readPages(memory, spreadPages(256, IMAGE_PAGES, IMAGE_FIRST)); // image pages (and fault-around)
  writePages(memory, spreadPages(64, IMAGE_PAGES, IMAGE_FIRST + 3), 0xa5); // private copies
  writePages(memory, spreadPages(1024, HOST_PAGES, 7), 0x5a); // anonymous pages, all over
  readPages(memory, spreadPages(256, HOST_PAGES, 11)); // shared zero pages, all over
}

function touchScattered(memory: WebAssembly.Memory): void {
  touchLight(memory);
  writePages(memory, spreadPages(16_384, HOST_PAGES, 13), 0x3c);
}

function measure(addon: NativeAddon, memory: WebAssembly.Memory, fd: number, state: string): Row {
  const base = addon.memoryBase(memory);
  const first = addon.snapshot(memory, IMAGE_OFFSET, IMAGE_BYTES);
  const counts = countPageStates(first.states);
  const entries = Buffer.alloc(HOST_PAGES * ENTRY);
  readEntries(fd, base, HOST_PAGES, entries);
  const present = counts.zero + counts.imageClean + counts.imageDirty + counts.anonDirty;
  if (presentEntries(entries) !== present) {
    throw new Error(
      `${state}: pagemap has ${presentEntries(entries)} present pages, the snapshot ${present}`,
    );
  }
  const nativeMs: number[] = [];
  const snapshot = sample(
    () => nativeMs.push(addon.snapshot(memory, IMAGE_OFFSET, IMAGE_BYTES).ns / 1e6),
    {
      minRuns: 20,
      budgetMs: BUDGET_MS,
    },
  );
  const pagemapRead = sample(() => readEntries(fd, base, HOST_PAGES, entries), {
    minRuns: 20,
    budgetMs: BUDGET_MS,
  });
  return {
    state,
    counts,
    method: first.method,
    snapshot,
    nativeMedianMs: median(nativeMs),
    pagemapRead,
  };
}

function formatRows(rows: Row[]): string {
  return formatTable(
    [
      "memory state",
      "present pages (zero / image clean / image dirty / anon dirty)",
      "method",
      "snapshot()",
      "p90",
      "native",
      "pagemap read 8 MiB",
      "read ÷ snapshot",
    ],
    rows.map((r) => [
      r.state,
      `${r.counts.zero} / ${r.counts.imageClean} / ${r.counts.imageDirty} / ${r.counts.anonDirty}`,
      r.method,
      formatMs(r.snapshot.medianMs),
      formatMs(r.snapshot.p90Ms),
      formatMs(r.nativeMedianMs),
      formatMs(r.pagemapRead.medianMs),
      formatRatio(r.pagemapRead.medianMs / r.snapshot.medianMs),
    ]),
  );
}

/** Both states on one 4 GiB memory; it is unreachable once this returns. */
function measureStates(addon: NativeAddon, native: NativeImage, fd: number): Row[] {
  const memory = new WebAssembly.Memory({ initial: MEMORY_PAGES, maximum: MEMORY_PAGES });
  const { base } = addon.mapImage(memory, IMAGE_OFFSET, native);
  try {
    touchLight(memory);
    const rows = [measure(addon, memory, fd, "light")];
    touchScattered(memory);
    rows.push(measure(addon, memory, fd, "scattered"));
    return rows;
  } finally {
    addon.reset(memory, base, "madvise", 0, native, IMAGE_OFFSET); // drop every page
  }
}

export async function runSnapshotSpeed(): Promise<void> {
  const addon = requireAddon();
  const imageBytes = new Uint8Array(IMAGE_BYTES);
  fillRandom(imageBytes, 11);
  const native = new addon.Image(imageBytes);
  const fd = openSync("/proc/self/pagemap", "r");
  try {
    const rows = measureStates(addon, native, fd);
    console.log(
      `\npage-state snapshot of a 4 GiB memory (${HOST_PAGES.toLocaleString("en-US")} host pages, ` +
        `16 MiB image at ${IMAGE_OFFSET / MIB} MiB): median per call, ${describeMachine()}`,
    );
    console.log(formatRows(rows));
    const file = writeResults(
      "snapshot-speed",
      rows.map(({ snapshot, pagemapRead, ...row }) => ({
        ...row,
        snapshot,
        pagemapRead,
        readOverSnapshot: pagemapRead.medianMs / snapshot.medianMs,
      })),
    );
    console.log(`\nresults: ${file}`);
  } finally {
    closeSync(fd);
    native.release();
    collectGarbage();
  }
}
