// Value, reference and heap types, limits, and the memory/table/global types built
// from them. Names follow the text format so they can be shown as-is.

import { whatText, type BinaryCursor, type What } from "./binary-cursor";
import type { GlobalType, MemoryType, TableType } from "./module-types";

export const NUMERIC_TYPES: Readonly<Record<number, string>> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
};

/** Abstract heap types by their one-byte encoding (negative s33 values). */
export const ABSTRACT_HEAP_TYPES: Readonly<Record<number, string>> = {
  0x75: "nocont",
  0x74: "noexn",
  0x73: "nofunc",
  0x72: "noextern",
  0x71: "none",
  0x70: "func",
  0x6f: "extern",
  0x6e: "any",
  0x6d: "eq",
  0x6c: "i31",
  0x6b: "struct",
  0x6a: "array",
  0x69: "exn",
  0x68: "cont",
};

const REF_NULLABLE = 0x63;
const REF_NON_NULL = 0x64;

export function readHeapType(cursor: BinaryCursor, what: What): string {
  const byte = cursor.peek();
  const abstract = ABSTRACT_HEAP_TYPES[byte];
  if (abstract) {
    cursor.pos++;
    return abstract;
  }
  const start = cursor.pos;
  const index = cursor.s33(what);
  if (index < 0n)
    cursor.fail(`malformed heap type: ${whatText(what)} (0x${(byte & 0xff).toString(16)})`, start);
  return String(index);
}

/** A reference type; the shorthand `funcref` etc. or `(ref null? ht)`. */
export function readRefType(cursor: BinaryCursor, what: string): string {
  const start = cursor.pos;
  const byte = cursor.u8(what);
  if (byte === REF_NULLABLE || byte === REF_NON_NULL) {
    const heap = readHeapType(cursor, `${what} heap type`);
    return byte === REF_NULLABLE ? `(ref null ${heap})` : `(ref ${heap})`;
  }
  const abstract = ABSTRACT_HEAP_TYPES[byte];
  if (!abstract)
    cursor.fail(`malformed reference type: ${what}, found 0x${byte.toString(16)}`, start);
  return `${abstract}ref`;
}

export function readValType(cursor: BinaryCursor, what: string): string {
  const numeric = NUMERIC_TYPES[cursor.peek()];
  if (numeric) {
    cursor.pos++;
    return numeric;
  }
  const start = cursor.pos;
  const byte = cursor.peek();
  if (byte === REF_NULLABLE || byte === REF_NON_NULL || ABSTRACT_HEAP_TYPES[byte]) {
    return readRefType(cursor, what);
  }
  if (byte < 0) cursor.fail(`unexpected end: expected ${what} (value type)`, start);
  return cursor.fail(`malformed value type: ${what}, found 0x${byte.toString(16)}`, start);
}

const MEMORY_HAS_MAX = 1;
const MEMORY_SHARED = 2;
const MEMORY_64 = 4;
const MEMORY_CUSTOM_PAGE = 8;

export function readMemoryType(cursor: BinaryCursor, what: string): MemoryType {
  const flagsOffset = cursor.pos;
  // A single byte, not a LEB128: "\x81\x00" is malformed, not the value 1.
  const flags = cursor.u8(`${what} limits flags`);
  if (flags > 0xf) {
    cursor.fail(
      `malformed limits flags: ${what} has flags 0x${flags.toString(16)}, expected 0x0-0xf`,
      flagsOffset,
    );
  }
  if (flags & MEMORY_SHARED && !(flags & MEMORY_HAS_MAX)) {
    cursor.fail(
      `malformed limits flags: ${what} is shared, and a shared memory must have a maximum`,
      flagsOffset,
    );
  }
  const memory64 = (flags & MEMORY_64) !== 0;
  // 32-bit limits as u32 (Wasm 2.0, and V8): Wasm 3.0 allows u64 encodings here, but
  // every toolchain writes at most 5 bytes and both spec suites' malformed cases are
  // rejected this way too.
  const readBound = (bound: string): bigint =>
    memory64 ? cursor.u64(`${what} ${bound}`) : BigInt(cursor.u32(`${what} ${bound}`));
  const min = readBound("minimum pages");
  const max = flags & MEMORY_HAS_MAX ? readBound("maximum pages") : null;
  const pageSizeAt = cursor.pos;
  const pageSizeLog2 = flags & MEMORY_CUSTOM_PAGE ? cursor.u32(`${what} page size log2`) : 16;
  if (pageSizeLog2 > 64)
    cursor.fail(
      `malformed page size: ${what} page size 2^${pageSizeLog2} exceeds 2^64`,
      pageSizeAt,
    );
  return { min, max, shared: (flags & MEMORY_SHARED) !== 0, memory64, pageSizeLog2 };
}

export function readTableType(cursor: BinaryCursor, what: string): TableType {
  const refType = readRefType(cursor, `${what} element type`);
  const flagsOffset = cursor.pos;
  const flags = cursor.u8(`${what} limits flags`);
  if (flags > 5 || flags === 2 || flags === 3) {
    cursor.fail(
      `malformed limits flags: ${what} has flags 0x${flags.toString(16)}, expected 0, 1, 4 or 5`,
      flagsOffset,
    );
  }
  const table64 = (flags & 4) !== 0;
  const readBound = (bound: string): bigint =>
    table64 ? cursor.u64(`${what} ${bound}`) : BigInt(cursor.u32(`${what} ${bound}`));
  const min = readBound("minimum size");
  const max = flags & 1 ? readBound("maximum size") : null;
  return { refType, min, max, table64 };
}

export function readGlobalType(cursor: BinaryCursor, what: string): GlobalType {
  const valType = readValType(cursor, `${what} value type`);
  const mutOffset = cursor.pos;
  const mut = cursor.u8(`${what} mutability`);
  if (mut > 1)
    cursor.fail(
      `malformed mutability: ${what} has 0x${mut.toString(16)}, expected 0 or 1`,
      mutOffset,
    );
  return { valType, mutable: mut === 1 };
}
