// V8 as the oracle for memory images: instantiate a module the ordinary way (V8 applies
// the data segments itself) and read its memories back. Defined memories are rarely
// exported, so the binary is rewritten first to export every memory under names that
// cannot clash; everything else stays byte-identical.

import { createHash } from "node:crypto";
import type { ImageGeometry } from "../../extension/analysis/image-planner";
import type {
  GlobalType,
  Import,
  MemoryType,
  TableType,
  WasmModule,
} from "../../extension/analysis/module-types";

/** V8's compile error for `bytes`, or null when V8 compiles it. */
export function v8CompileError(bytes: Uint8Array): string | null {
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** V8's "Compiling function #N failed: … @+OFFSET" message, parsed. */
export function functionBodyFailure(
  message: string,
): { functionIndex: number; offset: number } | null {
  const match = /Compiling function #(\d+)(?::"[^"]*")? failed: .* @\+(\d+)$/.exec(message);
  return match ? { functionIndex: Number(match[1]), offset: Number(match[2]) } : null;
}

export function encodeU32(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`not a u32: ${value}`);
  }
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return out;
}

function encodeName(name: string): number[] {
  const utf8 = new TextEncoder().encode(name);
  return [...encodeU32(utf8.length), ...utf8];
}

const EXPORT_SECTION = 7;
/** Sections that must come after the export section (start, element, code, data, data count). */
const AFTER_EXPORT = new Set([8, 9, 10, 11, 12]);
const MEMORY_EXPORT_KIND = 2;

export interface MemoryExports {
  bytes: Uint8Array;
  /** Export name of memory i (imported ones included). */
  names: string[];
}

/** The module with one extra export per memory: the export section is rebuilt (or a new
 *  one inserted where the section order wants it) and every other byte is kept. */
export function exportEveryMemory(module: WasmModule): MemoryExports {
  const taken = new Set(module.exports.map((e) => e.name));
  const names = module.memories.map((m) => {
    let name = `\u0000oracle-memory-${m.index}`;
    while (taken.has(name)) name += "'";
    taken.add(name);
    return name;
  });
  const entries = module.memories.flatMap((m, i) => [
    ...encodeName(names[i]!),
    MEMORY_EXPORT_KIND,
    ...encodeU32(m.index),
  ]);
  const { bytes } = module;
  const existing = module.sections.find((s) => s.id === EXPORT_SECTION);
  let cut: { from: number; to: number };
  let oldEntries: Uint8Array;
  if (existing) {
    // Skip the old count (a LEB128) to keep the old entries' bytes as they are.
    let entriesStart = existing.start;
    while (bytes[entriesStart]! & 0x80) entriesStart++;
    entriesStart++;
    oldEntries = bytes.subarray(entriesStart, existing.end);
    cut = { from: existing.headerOffset, to: existing.end };
  } else {
    const next = module.sections.find((s) => AFTER_EXPORT.has(s.id));
    const at = next ? next.headerOffset : bytes.length;
    oldEntries = new Uint8Array(0);
    cut = { from: at, to: at };
  }
  const payload = [
    ...encodeU32(module.exports.length + module.memories.length),
    ...oldEntries,
    ...entries,
  ];
  const section = [EXPORT_SECTION, ...encodeU32(payload.length), ...payload];
  const out = new Uint8Array(bytes.length - (cut.to - cut.from) + section.length);
  out.set(bytes.subarray(0, cut.from), 0);
  out.set(section, cut.from);
  out.set(bytes.subarray(cut.to), cut.from + section.length);
  return { bytes: out, names };
}

/** Supplies a value for an import, or undefined to get the default stub. */
export type ImportProvider = (imp: Import) => WebAssembly.ImportValue | undefined;

export class OracleError extends Error {}

export function unresolvedImport(imp: Import): () => never {
  return () => {
    throw new Error(`unresolved import "${imp.module}"."${imp.name}"`);
  };
}

export function stubMemory(type: MemoryType): WebAssembly.Memory {
  const descriptor: WebAssembly.MemoryDescriptor & { index?: string } = {
    initial: Number(type.min),
    ...(type.max !== null ? { maximum: Number(type.max) } : {}),
    ...(type.shared ? { shared: true } : {}),
    ...(type.memory64 ? { index: "i64" } : {}),
  };
  return new WebAssembly.Memory(descriptor);
}

const TABLE_ELEMENTS: Record<string, WebAssembly.TableKind> = {
  funcref: "anyfunc",
  externref: "externref",
};

export function stubTable(type: TableType, imp: Import): WebAssembly.Table {
  const element = TABLE_ELEMENTS[type.refType];
  if (!element || type.table64) {
    throw new OracleError(
      `cannot stub import "${imp.module}"."${imp.name}": table of ${type.refType}${type.table64 ? " (table64)" : ""}`,
    );
  }
  return new WebAssembly.Table({
    element,
    initial: Number(type.min),
    ...(type.max !== null ? { maximum: Number(type.max) } : {}),
  });
}

/** A global of the declared type holding `value` (numbers are converted to the type). */
export function stubGlobal(
  type: GlobalType,
  imp: Import,
  value: number | bigint = 0,
): WebAssembly.Global {
  const descriptor = { value: type.valType, mutable: type.mutable } as WebAssembly.GlobalDescriptor;
  switch (type.valType) {
    case "i32":
    case "f32":
    case "f64":
      return new WebAssembly.Global(descriptor, Number(value));
    case "i64":
      return new WebAssembly.Global(descriptor, BigInt(value));
    case "funcref":
    case "externref":
      return new WebAssembly.Global(descriptor, null);
    default:
      throw new OracleError(
        `cannot stub import "${imp.module}"."${imp.name}": global of type ${type.valType}`,
      );
  }
}

function stubImport(imp: Import): WebAssembly.ImportValue {
  switch (imp.desc.kind) {
    case "func":
      return unresolvedImport(imp);
    case "global":
      return stubGlobal(imp.desc.type, imp);
    case "memory":
      return stubMemory(imp.desc.type);
    case "table":
      return stubTable(imp.desc.type, imp);
    case "tag":
      throw new OracleError(`cannot stub import "${imp.module}"."${imp.name}": tag`);
  }
}

/** Imports from the declared types: throwing functions, zero globals, fresh memories
 *  and tables of the declared limits, unless `provide` supplies something. */
export function stubImports(module: WasmModule, provide?: ImportProvider): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const imp of module.imports) {
    (imports[imp.module] ??= {})[imp.name] = provide?.(imp) ?? stubImport(imp);
  }
  return imports;
}

/** Instantiates the module (with every memory exported) and returns its memories by
 *  index. Throws an OracleError that says what went wrong. */
export function instantiateMemories(
  module: WasmModule,
  provide?: ImportProvider,
): WebAssembly.Memory[] {
  const { bytes, names } = exportEveryMemory(module);
  let compiled: WebAssembly.Module;
  try {
    compiled = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new OracleError(`V8 rejects the module with memory exports: ${describe(error)}`);
  }
  const imports = stubImports(module, provide);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(compiled, imports);
  } catch (error) {
    const start = module.start === null ? "" : ` (start function ${module.start})`;
    throw new OracleError(`instantiation failed${start}: ${describe(error)}`);
  }
  return names.map((name) => instance.exports[name] as WebAssembly.Memory);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const ZERO_CHUNK = Buffer.alloc(1 << 20);

/** Address of the first non-zero byte in [from, to), or -1. Compares whole chunks
 *  with memcmp first, so clean megabytes cost almost nothing. */
export function firstNonZeroByte(bytes: Uint8Array, from: number, to: number): number {
  for (let at = from; at < to; at += ZERO_CHUNK.length) {
    const n = Math.min(ZERO_CHUNK.length, to - at);
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset + at, n);
    if (chunk.equals(ZERO_CHUNK.subarray(0, n))) continue;
    return at + chunk.findIndex((b) => b !== 0);
  }
  return -1;
}

/** Differences between a memory's contents and the planned image: the bytes over
 *  [offset, offset + length) must hash to `sha256`, and every byte outside must be 0. */
export function imageMismatches(memory: Uint8Array, image: ImageGeometry): string[] {
  const start = Number(image.offset);
  const end = start + image.length;
  if (image.length > 0 && end > memory.length) {
    return [`image [${start}, ${end}) reaches past the memory's ${memory.length} bytes`];
  }
  const problems: string[] = [];
  if (image.length > 0) {
    const actual = createHash("sha256").update(memory.subarray(start, end)).digest("hex");
    if (actual !== image.sha256) {
      problems.push(
        `bytes [${start}, ${end}) hash to ${actual} in V8, the plan says ${image.sha256}`,
      );
    }
  }
  const outside =
    image.length > 0
      ? [firstNonZeroByte(memory, 0, start), firstNonZeroByte(memory, end, memory.length)]
      : [firstNonZeroByte(memory, 0, memory.length)];
  for (const address of outside.filter((a) => a >= 0)) {
    problems.push(
      `non-zero byte 0x${memory[address]!.toString(16)} at ${address}, outside the image [${start}, ${end})`,
    );
  }
  return problems;
}

/** The bytes of an instantiated memory (shared memories included). */
export function memoryBytes(memory: WebAssembly.Memory): Uint8Array {
  return new Uint8Array(memory.buffer);
}
