// A module with many data segments for the Segments view tests, encoded with the
// project's BinaryWriter: constant, global.get and extended-const offsets, passive and
// empty segments and data names, in deterministic pseudo-random sizes and places.

import { BinaryWriter, encodeSection } from "../../extension/analysis/binary-writer";

export type OffsetSpec =
  | { kind: "const"; value: number }
  | { kind: "global"; global: number }
  | { kind: "add"; terms: [number, number] };

export interface SegmentSpec {
  /** null for a passive segment. */
  offset: OffsetSpec | null;
  bytes: Uint8Array;
  name?: string;
}

export interface ModuleSpec {
  minPages: number;
  /** Imports global 0 (`env.base`, i32) before the defined ones: its value is unknown. */
  importedGlobal?: boolean;
  /** Immutable i32 globals with these values. */
  globals: number[];
  segments: SegmentSpec[];
}

const I32 = 0x7f;
const OP = { end: 0x0b, globalGet: 0x23, i32Const: 0x41, i32Add: 0x6a } as const;

function constExpr(w: BinaryWriter, offset: OffsetSpec): void {
  if (offset.kind === "const") w.byte(OP.i32Const).s32(offset.value);
  else if (offset.kind === "global") w.byte(OP.globalGet).u32(offset.global);
  else
    w.byte(OP.i32Const).s32(offset.terms[0]).byte(OP.i32Const).s32(offset.terms[1]).byte(OP.i32Add);
  w.byte(OP.end);
}

export function encodeModule(spec: ModuleSpec): Uint8Array {
  const out = new BinaryWriter().bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  if (spec.importedGlobal) {
    const imports = new BinaryWriter().u32(1).name("env").name("base").byte(0x03).byte(I32).byte(0);
    out.bytes(encodeSection(2, imports.finish()));
  }
  const memory = new BinaryWriter().u32(1).byte(0x00).u32(spec.minPages).finish();
  out.bytes(encodeSection(5, memory));
  if (spec.globals.length) {
    const globals = new BinaryWriter().u32(spec.globals.length);
    for (const value of spec.globals) {
      globals.byte(I32).byte(0);
      constExpr(globals, { kind: "const", value });
    }
    out.bytes(encodeSection(6, globals.finish()));
  }
  const data = new BinaryWriter().u32(spec.segments.length);
  for (const segment of spec.segments) {
    if (segment.offset === null) data.byte(1);
    else constExpr(data.byte(0), segment.offset);
    data.u32(segment.bytes.length).bytes(segment.bytes);
  }
  out.bytes(encodeSection(11, data.finish()));
  const named = spec.segments.flatMap((s, index) => (s.name ? [{ index, name: s.name }] : []));
  if (named.length) {
    const names = new BinaryWriter().u32(named.length);
    for (const { index, name } of named) names.u32(index).name(name);
    const body = names.finish();
    const payload = new BinaryWriter().name("name").byte(9).u32(body.length).bytes(body);
    out.bytes(encodeSection(0, payload.finish()));
  }
  return out.finish();
}

/** xorshift32: the same "random" module every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export const MANY_PAGES = 64; // 4 MiB of 64 KiB wasm pages
export const GLOBAL_BASE = 0x2000;

export interface ManyOptions {
  seed?: number;
  /** Global 0 is imported (so `global.get 0` starts are unknown). */
  importedGlobal?: boolean;
  /** Every n-th segment (from n/2) at `global.get 0` (0: none). */
  globalEvery?: number;
  /** Every n-th segment (from n/2) at an `i32.add` of two constants (0: none). */
  exprEvery?: number;
}

/** `count` tiny segments (1 to 12 bytes) spread over a 4 MiB memory: every 10th
 *  passive, every 1000th empty, every 7th named, offsets constant unless asked. With
 *  only constants Wasmtime gets a static image. */
export function manySegments(
  count: number,
  { seed = 42, globalEvery = 0, exprEvery = 0, importedGlobal = false }: ManyOptions = {},
): ModuleSpec {
  const next = random(seed);
  const limit = MANY_PAGES * 65536 - 64;
  const every = (n: number, i: number): boolean => n > 0 && i % n === n >> 1;
  const segments: SegmentSpec[] = [];
  for (let i = 0; i < count; i++) {
    const size = i % 1000 === 11 ? 0 : 1 + Math.floor(next() * 12);
    const bytes = Uint8Array.from({ length: size }, () => 1 + Math.floor(next() * 255));
    const at = Math.floor(next() * limit);
    let offset: OffsetSpec | null = { kind: "const", value: at };
    if (i % 10 === 3) offset = null;
    else if (every(globalEvery, i)) offset = { kind: "global", global: 0 };
    else if (every(exprEvery, i)) offset = { kind: "add", terms: [at, 16] };
    segments.push({ offset, bytes, name: i % 7 === 0 ? `seg_${i}` : undefined });
  }
  return { minPages: MANY_PAGES, importedGlobal, globals: [GLOBAL_BASE], segments };
}
