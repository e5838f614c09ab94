// An independent, naive statement of when a module should get a mapped copy-on-write
// image in a RunnerSession: Wasmtime's try_static_init rules (wasmtime-cow.md §1.2,
// §1.4) plus the session's own limit (slots are ordinary 32-bit V8 memories), checked
// byte by byte instead of through the image planner.

import type { WasmModule } from "../../extension/analysis/module-types";

const WASM_PAGE = 65536n;
const DENSE_LIMIT = 16n << 20n; // Config::memory_guaranteed_dense_image_size

/** Whether instantiating `module` with init "cow" should map an image. */
export function expectsMappedImage(module: WasmModule): boolean {
  // Any imported memory: no images at all (§1.4 (c)).
  if (module.memories.some((m) => m.import)) return false;
  const defined = module.memories;
  // Pool slots: non-shared, 32-bit, 64 KiB pages.
  if (defined.some((m) => m.type.shared || m.type.memory64 || m.type.pageSizeLog2 !== 16)) {
    return false;
  }
  const active = module.dataSegments.filter((s) => s.mode === "active");
  const placed: { memory: number; start: bigint; data: Uint8Array }[] = [];
  for (const segment of active) {
    const instrs = segment.offsetExpr?.instrs ?? [];
    const only = instrs[0];
    if (instrs.length !== 1 || only?.op !== "i32.const") return false;
    const start = BigInt((only as { value: number }).value >>> 0);
    const end = start + BigInt(segment.data.length);
    const memory = defined[segment.memory!]!;
    if (end > memory.type.min * WASM_PAGE) return false;
    if (segment.data.length > 0)
      placed.push({ memory: segment.memory!, start, data: segment.data });
  }
  let anyImage = false;
  for (const memory of defined) {
    const mine = placed.filter((p) => p.memory === memory.index);
    if (!mine.length) continue;
    const dataSize = mine.reduce((sum, p) => sum + BigInt(p.data.length), 0n);
    const min = mine.reduce((m, p) => (p.start < m ? p.start : m), mine[0]!.start);
    const max = mine.reduce(
      (m, p) => (p.start + BigInt(p.data.length) > m ? p.start + BigInt(p.data.length) : m),
      0n,
    );
    const imageSize = max - min;
    if (!(imageSize < 2n * dataSize || imageSize < DENSE_LIMIT)) return false;
    // Any segment byte, zero or not, makes an image: all-zero data is not trimmed away.
    anyImage = true;
  }
  return anyImage;
}
