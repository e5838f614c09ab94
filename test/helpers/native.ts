// Shared helpers for tests of the native backend: loading the addon (a missing or broken
// build FAILS the test, it never skips), memories with an image mapped, pristine-content
// checks, and an independent page classifier that reads /proc/self/pagemap (and, for
// frame facts, /proc/kpageflags and /proc/kpagecount) itself instead of trusting the
// addon's snapshot.

import assert from "node:assert/strict";
import { closeSync, openSync, readSync } from "node:fs";
import {
  loadBackend,
  type NativeAddon,
  type NativeImage,
} from "../../extension/runner/native-backend";
import { PAGE_STATES, type PageStateName } from "../../common/page-states";

export const HOST_PAGE = 4096;
export const WASM_PAGE = 65536;

/** The addon, or an assertion failure that says why it could not be loaded. */
export function requireBackend(): NativeAddon {
  const backend = loadBackend();
  if (!backend.available) assert.fail(`native backend unavailable: ${backend.reason}`);
  const probe = backend.addon.probe();
  assert.equal(probe.hostPageSize, HOST_PAGE, "these tests assume 4 KiB host pages");
  return backend.addon;
}

/** Deterministic image bytes with no zero byte, so "image" and "zero" never coincide. */
export function imageBytes(pages: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(pages * HOST_PAGE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = ((i * 31 + seed * 17 + (i >>> 12)) % 255) + 1;
  return bytes;
}

export interface MappedMemory {
  memory: WebAssembly.Memory;
  image: NativeImage;
  bytes: Uint8Array;
  /** Byte offset of the image in linear memory. */
  offset: number;
  base: bigint;
}

export interface MappedOptions {
  wasmPages: number;
  imageOffset: number;
  imagePages: number;
  seed?: number;
  /** Map this image instead of building a new one (its bytes must be `bytes`). */
  shared?: { image: NativeImage; bytes: Uint8Array };
}

/** A fresh memory with an image mapped at `imageOffset`. */
export function mappedMemory(addon: NativeAddon, options: MappedOptions): MappedMemory {
  const memory = new WebAssembly.Memory({ initial: options.wasmPages });
  const bytes = options.shared?.bytes ?? imageBytes(options.imagePages, options.seed);
  const image = options.shared?.image ?? new addon.Image(bytes);
  const base = addon.mapImage(memory, options.imageOffset, image).base;
  return { memory, image, bytes, offset: options.imageOffset, base };
}

/** The small layout the kernel tests share: 2 wasm pages (32 host pages) with an
 *  image on host pages 4..11. */
export const SMALL = {
  wasmPages: 2,
  memoryPages: 32,
  imageFirst: 4,
  imagePages: 8,
  imageEnd: 12,
} as const;

/** A fresh memory in the SMALL layout with its own image (bytes from `seed`). */
export function smallMapped(addon: NativeAddon, seed?: number): MappedMemory {
  return mappedMemory(addon, {
    wasmPages: SMALL.wasmPages,
    imageOffset: SMALL.imageFirst * HOST_PAGE,
    imagePages: SMALL.imagePages,
    ...(seed === undefined ? {} : { seed }),
  });
}

/** Reads one byte of a host page. The value is returned so the JIT cannot drop the load. */
export function readPage(memory: WebAssembly.Memory, page: number): number {
  return new Uint8Array(memory.buffer)[page * HOST_PAGE + 123]!;
}

export function writePage(memory: WebAssembly.Memory, page: number, value = 0xa5): void {
  new Uint8Array(memory.buffer)[page * HOST_PAGE + 321] = value;
}

/** Asserts that the memory holds `image` at `offset` and zero everywhere else. */
export function assertPristine(
  memory: WebAssembly.Memory,
  image: Uint8Array | null,
  offset = 0,
): void {
  const all = new Uint8Array(memory.buffer);
  const imageEnd = image ? offset + image.length : 0;
  for (let i = 0; i < all.length; i++) {
    const expected = image && i >= offset && i < imageEnd ? image[i - offset]! : 0;
    if (all[i] !== expected) {
      assert.fail(
        `byte ${i} (host page ${Math.floor(i / HOST_PAGE)}) is ${all[i]}, expected ${expected}`,
      );
    }
  }
}

export function stateNames(states: Uint8Array): PageStateName[] {
  return Array.from(states, (state) => PAGE_STATES[state]!);
}

/** Pages (indices) whose state is one of `names`. */
export function pagesIn(states: Uint8Array, ...names: PageStateName[]): number[] {
  const pages: number[] = [];
  stateNames(states).forEach((name, page) => {
    if (names.includes(name)) pages.push(page);
  });
  return pages;
}

// --- the independent oracle: raw /proc/self/pagemap --------------------------------

const PFN_MASK = (1n << 55n) - 1n;
const KPF_ANON = 12n;
const KPF_ZERO_PAGE = 24n;

export interface RawPage {
  present: boolean;
  swapped: boolean;
  /** Bit 61: a file page (or shared anonymous). */
  file: boolean;
  /** Bit 56: mapped exactly once. */
  exclusive: boolean;
  pfn: bigint;
}

function readU64s(path: string, index: bigint, count: number): bigint[] {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(count * 8);
    const read = readSync(fd, buffer, 0, buffer.length, Number(index * 8n));
    assert.equal(read, buffer.length, `short read from ${path}`);
    return Array.from({ length: count }, (_, i) => buffer.readBigUInt64LE(i * 8));
  } finally {
    closeSync(fd);
  }
}

/** The pagemap entries of every host page of the memory, decoded by hand. */
export function rawPages(addon: NativeAddon, memory: WebAssembly.Memory): RawPage[] {
  const base = addon.memoryBase(memory);
  const pages = memory.buffer.byteLength / HOST_PAGE;
  return readU64s("/proc/self/pagemap", base / BigInt(HOST_PAGE), pages).map((entry) => ({
    present: (entry >> 63n) & 1n ? true : false,
    swapped: (entry >> 62n) & 1n ? true : false,
    file: (entry >> 61n) & 1n ? true : false,
    exclusive: (entry >> 56n) & 1n ? true : false,
    pfn: entry & PFN_MASK,
  }));
}

/** Flags of a physical frame (/proc/kpageflags, root only). */
export function frameFlags(pfn: bigint): bigint {
  assert.ok(pfn > 0n, "frame numbers are unreadable: these tests run as root");
  return readU64s("/proc/kpageflags", pfn, 1)[0]!;
}

/** How many page tables map a frame (/proc/kpagecount, root only). */
export function frameMapCount(pfn: bigint): bigint {
  assert.ok(pfn > 0n, "frame numbers are unreadable: these tests run as root");
  return readU64s("/proc/kpagecount", pfn, 1)[0]!;
}

/** Classifies a page from its raw entry and the kernel's own flags for its frame. */
export function classifyRaw(page: RawPage, inImage: boolean): PageStateName {
  if (page.swapped) return "swapped";
  if (!page.present) return "notPresent";
  if (page.file) return "imageClean";
  const flags = frameFlags(page.pfn);
  if ((flags >> KPF_ZERO_PAGE) & 1n) return "zero";
  assert.ok((flags >> KPF_ANON) & 1n, `present non-file frame ${page.pfn} is not anonymous`);
  return inImage ? "imageDirty" : "anonDirty";
}

/** Independent per-page states of a memory whose image covers [offset, offset + length). */
export function oracleStates(
  addon: NativeAddon,
  memory: WebAssembly.Memory,
  offset: number,
  length: number,
): PageStateName[] {
  const first = offset / HOST_PAGE;
  const end = (offset + length) / HOST_PAGE;
  return rawPages(addon, memory).map((page, i) => classifyRaw(page, i >= first && i < end));
}

let anonReadState: PageStateName | undefined;

/**
 * What a read fault on untouched anonymous memory leaves behind on this kernel, from the
 * raw oracle: "zero" where the kernel maps the shared zero page (most kernels), or
 * "anonDirty" where it allocates a private zeroed page instead (seen on this project's
 * Linux 6.18 Firecracker machines from 2026-12: a read of untouched memory costs a page of
 * RAM there, and PAGEMAP_SCAN reports that page as written). Expectations about pages
 * that were only read follow the kernel, never an assumption.
 */
export function anonymousReadState(addon: NativeAddon): PageStateName {
  if (anonReadState) return anonReadState;
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.equal(readPage(memory, 3), 0);
  const state = classifyRaw(rawPages(addon, memory)[3]!, false);
  assert.ok(state === "zero" || state === "anonDirty", `a read page is ${state}`);
  anonReadState = state;
  return state;
}
