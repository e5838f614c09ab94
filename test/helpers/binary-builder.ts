// A tiny builder of raw module bytes, for cases WAT cannot express (malformed
// encodings, overlong LEB128s) or that wabt encodes wrongly (explicit-memory data
// segments). Every helper returns plain byte arrays so tests can measure and splice
// them to compute expected offsets themselves.

import assert from "node:assert/strict";
import { DecodeError } from "../../extension/analysis/binary-cursor";

export type Bytes = readonly number[];

export const HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  datacount: 12,
  tag: 13,
} as const;

export interface LebOptions {
  /** Total length in bytes: pads with continuation bytes to an overlong encoding. */
  padTo?: number;
}

/** Unsigned LEB128 of any width. */
export function uleb(value: bigint | number, { padTo = 0 }: LebOptions = {}): number[] {
  let rest = BigInt(value);
  if (rest < 0n) throw new RangeError(`uleb of a negative value ${rest}`);
  const out: number[] = [];
  do {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  } while (rest !== 0n);
  // Padding bytes carry zero payload bits: the value is unchanged.
  while (out.length < padTo) out.push(0x80);
  out[out.length - 1]! &= 0x7f;
  return out;
}

/** Signed LEB128 of any width. */
export function sleb(value: bigint | number, { padTo = 0 }: LebOptions = {}): number[] {
  let rest = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n; // arithmetic shift: stays -1 for negative values
    const done = (rest === 0n && !(byte & 0x40)) || (rest === -1n && byte & 0x40);
    out.push(byte | 0x80);
    if (done) break;
  }
  // Padding bytes are sign extensions: all payload bits copy the sign.
  const fill = BigInt(value) < 0n ? 0xff : 0x80;
  while (out.length < padTo) out.push(fill);
  out[out.length - 1]! &= 0x7f;
  return out;
}

export const u32 = (value: number, options?: LebOptions): number[] => uleb(value, options);
export const u64 = (value: bigint, options?: LebOptions): number[] => uleb(value, options);
export const s32 = (value: number, options?: LebOptions): number[] => sleb(value, options);
export const s64 = (value: bigint, options?: LebOptions): number[] => sleb(value, options);

export function concat(...parts: Bytes[]): number[] {
  return parts.flatMap((part) => [...part]);
}

/** A vector: u32 count, then the items. */
export function vec(items: readonly Bytes[]): number[] {
  return concat(u32(items.length), ...items);
}

/** A name: u32 byte length, then UTF-8. */
export function name(text: string): number[] {
  const utf8 = [...new TextEncoder().encode(text)];
  return concat(u32(utf8.length), utf8);
}

export function section(id: number, payload: Bytes): number[] {
  return concat([id], u32(payload.length), payload);
}

export function customSection(sectionName: string, payload: Bytes): number[] {
  return section(SECTION.custom, concat(name(sectionName), payload));
}

export function module(...sections: Bytes[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(concat(HEADER, ...sections));
}

// --- types -----------------------------------------------------------------------

export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, funcref: 0x70 } as const;

/** A function type `(params) -> (results)`. */
export function funcType(params: number[] = [], results: number[] = []): number[] {
  return concat([0x60], vec(params.map((p) => [p])), vec(results.map((r) => [r])));
}

export interface MemoryTypeOptions {
  min: number | bigint;
  max?: number | bigint;
  shared?: boolean;
  memory64?: boolean;
  /** Custom page size (log2): sets flag 0x08. */
  pageSizeLog2?: number;
}

/** Limits flags: 1 has max, 2 shared, 4 memory64, 8 custom page size. */
export function memoryType(options: MemoryTypeOptions): number[] {
  const { min, max, shared = false, memory64 = false, pageSizeLog2 } = options;
  const flags =
    (max !== undefined ? 1 : 0) |
    (shared ? 2 : 0) |
    (memory64 ? 4 : 0) |
    (pageSizeLog2 !== undefined ? 8 : 0);
  return concat(
    [flags],
    uleb(min),
    max !== undefined ? uleb(max) : [],
    pageSizeLog2 !== undefined ? u32(pageSizeLog2) : [],
  );
}

export function tableType(min: number, max?: number, refType = VALTYPE.funcref): number[] {
  return concat([refType, max === undefined ? 0 : 1], u32(min), max === undefined ? [] : u32(max));
}

export function globalType(valType: number, mutable = false): number[] {
  return [valType, mutable ? 1 : 0];
}

// --- constant expressions ---------------------------------------------------------

export const op = {
  i32Const: (value: number): number[] => [0x41, ...s32(value)],
  /** Takes the signed value or the unsigned bit pattern (2^64 - 1 is -1). */
  i64Const: (value: bigint): number[] => [0x42, ...s64(BigInt.asIntN(64, value))],
  globalGet: (index: number): number[] => [0x23, ...u32(index)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i64Add: [0x7c],
  i64Sub: [0x7d],
  i64Mul: [0x7e],
  end: [0x0b],
} as const;

/** A constant expression: the instructions, then `end`. */
export function constExpr(...instrs: Bytes[]): number[] {
  return concat(...instrs, op.end);
}

export const i32Offset = (value: number): number[] => constExpr(op.i32Const(value));
export const i64Offset = (value: bigint): number[] => constExpr(op.i64Const(value));

// --- data segments ----------------------------------------------------------------

/** Flags 0: active on memory 0. */
export function activeData(offset: Bytes, payload: Bytes): number[] {
  return concat([0], offset, vec(payload.map((b) => [b])));
}

/** Flags 1: passive. */
export function passiveData(payload: Bytes): number[] {
  return concat([1], vec(payload.map((b) => [b])));
}

/** Flags 2: active with an explicit memory index. */
export function activeDataOn(memory: number, offset: Bytes, payload: Bytes): number[] {
  return concat([2], u32(memory), offset, vec(payload.map((b) => [b])));
}

export function dataSection(...segments: Bytes[]): number[] {
  return section(SECTION.data, vec(segments));
}

export function memorySection(...memories: MemoryTypeOptions[]): number[] {
  return section(SECTION.memory, vec(memories.map(memoryType)));
}

export function globalSection(...globals: { type: Bytes; init: Bytes }[]): number[] {
  return section(SECTION.global, vec(globals.map((g) => concat(g.type, g.init))));
}

// --- other sections --------------------------------------------------------------

export const typeSection = (...types: Bytes[]): number[] => section(SECTION.type, vec(types));

export const functionSection = (...typeIndices: number[]): number[] =>
  section(SECTION.function, vec(typeIndices.map((t) => u32(t))));

export const tableSection = (...tables: Bytes[]): number[] => section(SECTION.table, vec(tables));

/** Tags: attribute 0, then the type index. */
export const tagSection = (...typeIndices: number[]): number[] =>
  section(SECTION.tag, vec(typeIndices.map((t) => [0x00, ...u32(t)])));

export const EXPORT_KIND = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

export const exportSection = (...entries: [string, number, number][]): number[] =>
  section(
    SECTION.export,
    vec(entries.map(([field, kind, index]) => concat(name(field), [kind], u32(index)))),
  );

export const startSection = (funcIndex: number): number[] => section(SECTION.start, u32(funcIndex));

/** Element segments of flags 0: active on table 0, function indices. */
export const elementSection = (...segments: { offset: Bytes; funcs: number[] }[]): number[] =>
  section(
    SECTION.element,
    vec(segments.map((s) => concat([0], s.offset, vec(s.funcs.map((f) => u32(f)))))),
  );

export const dataCountSection = (count: number): number[] => section(SECTION.datacount, u32(count));

/** A function body: local groups `[count, type]`, then the code bytes (add the final `end`). */
export function funcBody(locals: [number, number][], code: Bytes): number[] {
  return lengthPrefixed(concat(vec(locals.map(([n, t]) => concat(u32(n), [t]))), code));
}

export const codeSection = (...bodies: Bytes[]): number[] => section(SECTION.code, vec(bodies));

/** The sections of `(func (result i32))` with an i64 on the stack: well formed, and
 *  invalid for every engine. */
export const TYPE_MISMATCH_SECTIONS: readonly number[][] = [
  typeSection(funcType([], [VALTYPE.i32])),
  functionSection(0),
  codeSection(funcBody([], [...op.i64Const(0n), ...op.end])),
];

// --- imports ----------------------------------------------------------------------

export const importDesc = {
  func: (typeIndex: number): number[] => [0x00, ...u32(typeIndex)],
  table: (min: number, max?: number): number[] => [0x01, ...tableType(min, max)],
  memory: (options: MemoryTypeOptions): number[] => [0x02, ...memoryType(options)],
  global: (valType: number, mutable = false): number[] => [0x03, ...globalType(valType, mutable)],
  tag: (typeIndex: number): number[] => [0x04, 0x00, ...u32(typeIndex)],
} as const;

export function importEntry(moduleName: string, field: string, desc: Bytes): number[] {
  return concat(name(moduleName), name(field), desc);
}

export function importSection(...entries: Bytes[]): number[] {
  return section(SECTION.import, vec(entries));
}

// --- the name section -------------------------------------------------------------

export type NameMap = readonly (readonly [number, string])[];

/** A name-map subsection: 7 for globals, 9 for data segments. */
export function nameSubsection(id: number, map: NameMap): number[] {
  return concat(
    [id],
    lengthPrefixed(vec(map.map(([index, text]) => concat(u32(index), name(text))))),
  );
}

export function nameSection(subsections: { globals?: NameMap; data?: NameMap }): number[] {
  return customSection(
    "name",
    concat(
      subsections.globals ? nameSubsection(7, subsections.globals) : [],
      subsections.data ? nameSubsection(9, subsections.data) : [],
    ),
  );
}

function lengthPrefixed(payload: Bytes): number[] {
  return concat(u32(payload.length), payload);
}

// --- checking decode failures -------------------------------------------------------

/** Runs `decode` and checks it throws a DecodeError whose message starts with
 *  `leading` and whose offset is exactly `offset`; returns it. */
export function assertDecodeError(
  decode: () => unknown,
  leading: string,
  offset: number,
): DecodeError {
  let caught: unknown;
  try {
    decode();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DecodeError, `expected a DecodeError, got ${String(caught)}`);
  assert.ok(
    caught.message.startsWith(leading),
    `message ${JSON.stringify(caught.message)} should start with ${JSON.stringify(leading)}`,
  );
  assert.equal(caught.offset, offset, `offset of ${JSON.stringify(caught.message)}`);
  return caught;
}

// --- locating bytes ---------------------------------------------------------------

/** Module bytes and the file offset of each section, by plain concatenation. */
export function layout(...sections: Bytes[]): {
  bytes: Uint8Array<ArrayBuffer>;
  offsets: number[];
} {
  const offsets: number[] = [];
  let at = HEADER.length;
  for (const s of sections) {
    offsets.push(at);
    at += s.length;
  }
  return { bytes: module(...sections), offsets };
}

/** The only position of `needle` in `haystack` (fails when absent or ambiguous). */
export function indexOfBytes(haystack: Uint8Array, needle: Bytes): number {
  const found = Buffer.from(haystack).indexOf(Buffer.from(needle));
  assert.ok(found >= 0, `bytes ${JSON.stringify(needle)} not found`);
  assert.equal(
    Buffer.from(haystack).indexOf(Buffer.from(needle), found + 1),
    -1,
    `bytes ${JSON.stringify(needle)} occur more than once`,
  );
  return found;
}
