// Helpers for the benches that drive the native backend directly: loading it (a bench
// without it has nothing to measure, so it throws with the reason), and touching chosen
// host pages of a linear memory from JavaScript.

import { loadBackend, type NativeAddon } from "../extension/runner/native-backend";

export const HOST_PAGE = 4096;
export const WASM_PAGE = 65536;
export const MIB = 1024 * 1024;

export function requireAddon(): NativeAddon {
  const backend = loadBackend();
  if (!backend.available) throw new Error(`the native backend is unavailable: ${backend.reason}`);
  return backend.addon;
}

/** `count` host-page indices spread evenly over [first, first + pages). */
export function spreadPages(count: number, pages: number, first = 0): number[] {
  if (count > pages) throw new RangeError(`${count} pages do not fit in ${pages}`);
  return Array.from({ length: count }, (_, i) => first + Math.floor((i * pages) / count));
}

/** Writes one byte in each listed host page (a private copy, or a fresh anonymous page). */
export function writePages(
  memory: WebAssembly.Memory,
  pages: readonly number[],
  value: number,
): void {
  const bytes = new Uint8Array(memory.buffer);
  for (const page of pages) bytes[page * HOST_PAGE + 64] = value;
}

/** Reads one byte in each listed host page (maps the image page or the zero page). */
export function readPages(memory: WebAssembly.Memory, pages: readonly number[]): number {
  const bytes = new Uint8Array(memory.buffer);
  let sum = 0;
  for (const page of pages) sum += bytes[page * HOST_PAGE + 64]!;
  return sum;
}
