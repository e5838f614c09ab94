// A strict, allocation-light decoder of the module structure. It checks everything
// that makes a binary malformed outside function bodies (LEB128 limits, section sizes,
// order and duplicates, counts, the function/code and data-count agreements) and keeps
// byte offsets for all of it. Function bodies are skipped after their locals; checking
// instructions and types (validation) is V8's job, see `validateWithV8`.

import { formatBytes, grouped } from "../../common/format";
import { BinaryCursor, DecodeError, type What } from "./binary-cursor";
import { readConstExpr, skipSingleI32Const } from "./const-expr";
import { DecodedDataSegment } from "./data-segment";
import type {
  DataSegment,
  Export,
  ExportKind,
  FuncType,
  Global,
  Import,
  Memory,
  Section,
  SectionName,
  Table,
  WasmModule,
} from "./module-types";
import { emptyNames, readNameSection } from "./name-section";
import {
  readGlobalType,
  readMemoryType,
  readRefType,
  readTableType,
  readValType,
} from "./value-types";

const MAGIC = 0x6d736100; // "\0asm" little-endian
/** The magic and the version: what `checkPreamble` needs before anything else is read. */
export const PREAMBLE_BYTES = 8;
/** The largest module accepted: V8's own limit (`kV8MaxWasmModuleSize`, 1 GiB), so that
 *  nothing larger is read only to be refused by the engine afterwards. */
export const MAX_MODULE_BYTES = 1024 * 1024 * 1024;

/** Why a file of `size` bytes is not read, or null when it may be. */
export function moduleSizeError(size: number, maxBytes = MAX_MODULE_BYTES): string | null {
  if (size <= maxBytes) return null;
  return `too large: ${grouped(size)} bytes, the limit is ${grouped(maxBytes)} bytes (${formatBytes(maxBytes)}, V8's largest module)`;
}

const SECTION_NAMES: Record<number, SectionName> = {
  0: "custom",
  1: "type",
  2: "import",
  3: "function",
  4: "table",
  5: "memory",
  6: "global",
  7: "export",
  8: "start",
  9: "element",
  10: "code",
  11: "data",
  12: "datacount",
  13: "tag",
};

/** Required order of the known sections (the tag and data-count sections sit between
 *  the numeric ids). */
export const SECTION_ORDER: Readonly<Record<number, number>> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

const EXPORT_KINDS: ExportKind[] = ["func", "table", "memory", "global", "tag"];

/** Decodes `bytes` or throws a DecodeError naming the offset and what was expected. */
export function readModule(bytes: Uint8Array): WasmModule {
  const cursor = new BinaryCursor(bytes, 0, bytes.length);
  readPreamble(cursor);

  const module: WasmModule = {
    bytes,
    sections: [],
    typeCount: 0,
    funcTypes: [],
    imports: [],
    functionTypes: new Uint32Array(0),
    importedFunctionCount: 0,
    tables: [],
    memories: [],
    globals: [],
    tagTypes: [],
    exports: [],
    start: null,
    elementSegmentCount: 0,
    dataCount: null,
    codeBodies: new Uint32Array(0),
    dataSegments: [],
    names: emptyNames(),
    warnings: [],
  };
  const importedFunctionTypes: number[] = [];
  let definedFunctionTypes: Uint32Array | null = null;
  let lastOrder = 0;
  let codeSection: Section | null = null;
  let dataSection: Section | null = null;

  while (!cursor.atEnd) {
    const headerOffset = cursor.pos;
    const id = cursor.u8("section id");
    const name = SECTION_NAMES[id];
    if (!name) cursor.fail(`malformed section id: expected 0-13, found ${id}`, headerOffset);
    const size = cursor.u32(`${name} section size`);
    const start = cursor.pos;
    if (size > cursor.remaining) {
      cursor.fail(
        `length out of bounds: ${name} section declares ${size} bytes but only ${cursor.remaining} remain`,
        headerOffset,
      );
    }
    const end = start + size;
    const body = new BinaryCursor(bytes, start, end);
    cursor.pos = end;
    const section: Section = { id, name, customName: null, headerOffset, start, end };

    if (id === 0) {
      section.customName = body.name("custom section name");
      if (section.customName === "name" && !module.sections.some((s) => s.customName === "name")) {
        const warning = readNameSection(bytes, body.pos, end, module.names);
        if (warning) module.warnings.push(warning);
      }
      module.sections.push(section);
      continue;
    }

    const order = SECTION_ORDER[id]!;
    if (order === lastOrder)
      cursor.fail(`unexpected content after last section: duplicate ${name} section`, headerOffset);
    if (order < lastOrder) {
      const previous = module.sections.filter((s) => s.id !== 0).at(-1)!;
      cursor.fail(
        `unexpected content after last section: ${name} section must come before the ${previous.name} section`,
        headerOffset,
      );
    }
    lastOrder = order;
    module.sections.push(section);

    switch (name) {
      case "type":
        module.funcTypes = readTypeSection(body);
        module.typeCount = module.funcTypes.length;
        break;
      case "import":
        readImportSection(body, module, importedFunctionTypes);
        break;
      case "function": {
        const count = body.count("function type indices");
        definedFunctionTypes = new Uint32Array(count);
        for (let i = 0; i < count; i++) definedFunctionTypes[i] = body.u32("function type index");
        break;
      }
      case "table":
        readTableSection(body, module);
        break;
      case "memory": {
        const count = body.count("memories", 2);
        for (let i = 0; i < count; i++) {
          const offset = body.pos;
          const type = readMemoryType(body, `memory ${module.memories.length}`);
          module.memories.push({ index: module.memories.length, offset, type, import: null });
        }
        break;
      }
      case "tag": {
        const count = body.count("tags", 2);
        for (let i = 0; i < count; i++)
          module.tagTypes.push(readTag(body, `tag ${module.tagTypes.length}`));
        break;
      }
      case "global": {
        const count = body.count("globals", 3);
        for (let i = 0; i < count; i++) {
          const offset = body.pos;
          const index = module.globals.length;
          const type = readGlobalType(body, `global ${index}`);
          const init = readConstExpr(body, `global ${index} initialiser`);
          module.globals.push({ index, offset, type, import: null, init });
        }
        break;
      }
      case "export":
        readExportSection(body, module.exports);
        break;
      case "start":
        module.start = body.u32("start function index");
        break;
      case "element":
        module.elementSegmentCount = readElementSection(body);
        break;
      case "datacount":
        module.dataCount = body.u32("data count");
        break;
      case "code":
        codeSection = section;
        module.codeBodies = readCodeSection(body);
        break;
      case "data":
        dataSection = section;
        module.dataSegments = readDataSection(body);
        break;
    }
    if (!body.atEnd) {
      body.fail(
        `section size mismatch: ${name} section declares ${size} bytes but its contents end ${body.remaining} bytes earlier`,
      );
    }
  }

  const definedCount = definedFunctionTypes?.length ?? 0;
  const codeCount = module.codeBodies.length / 2;
  if (definedCount !== codeCount) {
    throw new DecodeError(
      codeSection?.headerOffset ?? bytes.length,
      `function and code section have inconsistent lengths: ${definedCount} functions declared, ${codeCount} bodies`,
    );
  }
  const segmentCount = module.dataSegments.length;
  if (module.dataCount !== null && module.dataCount !== segmentCount) {
    throw new DecodeError(
      dataSection?.headerOffset ?? bytes.length,
      `data count and data section have inconsistent lengths: data count says ${module.dataCount}, data section has ${segmentCount}`,
    );
  }

  module.importedFunctionCount = importedFunctionTypes.length;
  module.functionTypes = new Uint32Array(importedFunctionTypes.length + definedCount);
  module.functionTypes.set(importedFunctionTypes);
  if (definedFunctionTypes)
    module.functionTypes.set(definedFunctionTypes, importedFunctionTypes.length);
  return module;
}

/** Checks the magic and the version of a module's first bytes (all of it, or only the
 *  first `PREAMBLE_BYTES`): a file that is not a core module is refused before the rest is
 *  read. Throws `DecodeError`. */
export function checkPreamble(bytes: Uint8Array): void {
  readPreamble(new BinaryCursor(bytes, 0, bytes.length));
}

function readPreamble(cursor: BinaryCursor): void {
  if (
    cursor.remaining < 4 ||
    new DataView(cursor.bytes.buffer, cursor.bytes.byteOffset, 4).getUint32(0, true) !== MAGIC
  ) {
    cursor.fail("magic header not detected: expected \\0asm", 0);
  }
  cursor.pos = 4;
  if (cursor.remaining < 4) cursor.fail("unexpected end: expected the 4-byte version", 4);
  const version = new DataView(cursor.bytes.buffer, cursor.bytes.byteOffset + 4, 4).getUint32(
    0,
    true,
  );
  if (version === 0x0001000d) {
    cursor.fail(
      "unknown binary version: this is a WebAssembly component (layer 1), not a core module",
      4,
    );
  }
  if (version !== 1)
    cursor.fail(`unknown binary version: expected 1, found 0x${version.toString(16)}`, 4);
  cursor.pos = 8;
}

/** Returns every type (each member of a recursion group counts): its signature when
 *  it is a function type, null otherwise. */
function readTypeSection(cursor: BinaryCursor): (FuncType | null)[] {
  const count = cursor.count("types");
  const types: (FuncType | null)[] = [];
  for (let i = 0; i < count; i++) {
    if (cursor.peek() === 0x4e) {
      cursor.pos++;
      const members = cursor.count(`recursion group ${i} types`);
      for (let m = 0; m < members; m++) types.push(readSubType(cursor, `type ${types.length}`));
    } else {
      types.push(readSubType(cursor, `type ${types.length}`));
    }
  }
  return types;
}

function readSubType(cursor: BinaryCursor, what: string): FuncType | null {
  const form = cursor.peek();
  if (form === 0x50 || form === 0x4f) {
    cursor.pos++;
    const supers = cursor.count(`${what} supertypes`);
    for (let s = 0; s < supers; s++) cursor.u32(`${what} supertype index`);
  }
  return readCompositeType(cursor, what);
}

function readCompositeType(cursor: BinaryCursor, what: string): FuncType | null {
  const formOffset = cursor.pos;
  const form = cursor.u8(`${what} form`);
  switch (form) {
    case 0x60: {
      const params: string[] = [];
      const paramCount = cursor.count(`${what} parameters`);
      for (let p = 0; p < paramCount; p++)
        params.push(readValType(cursor, `${what} parameter ${p}`));
      const results: string[] = [];
      const resultCount = cursor.count(`${what} results`);
      for (let r = 0; r < resultCount; r++)
        results.push(readValType(cursor, `${what} result ${r}`));
      return { params, results };
    }
    case 0x5f: {
      const fields = cursor.count(`${what} fields`, 2);
      for (let f = 0; f < fields; f++) readFieldType(cursor, `${what} field ${f}`);
      return null;
    }
    case 0x5e:
      readFieldType(cursor, `${what} element`);
      return null;
    case 0x5d: {
      // A continuation type (stack switching) names the function type it wraps.
      const indexOffset = cursor.pos;
      if (cursor.s33(`${what} function type index`) < 0n)
        cursor.fail(`malformed type: ${what} continuation of a negative type index`, indexOffset);
      return null;
    }
    default:
      return cursor.fail(
        `malformed type: ${what} form 0x${form.toString(16)}, expected 0x60 (func), 0x5f (struct), 0x5e (array) or 0x5d (cont)`,
        formOffset,
      );
  }
}

function readFieldType(cursor: BinaryCursor, what: string): void {
  const packed = cursor.peek();
  if (packed === 0x78 || packed === 0x77) cursor.pos++;
  else readValType(cursor, what);
  const mutOffset = cursor.pos;
  if (cursor.u8(`${what} mutability`) > 1)
    cursor.fail(`malformed mutability: ${what}, expected 0 or 1`, mutOffset);
}

function readTag(cursor: BinaryCursor, what: string): number {
  const attrOffset = cursor.pos;
  const attribute = cursor.u8(`${what} attribute`);
  if (attribute !== 0)
    cursor.fail(
      `malformed tag attribute: ${what} has 0x${attribute.toString(16)}, expected 0`,
      attrOffset,
    );
  return cursor.u32(`${what} type index`);
}

function readImportSection(
  cursor: BinaryCursor,
  module: WasmModule,
  functionTypes: number[],
): void {
  const count = cursor.count("imports", 4);
  for (let i = 0; i < count; i++) {
    const offset = cursor.pos;
    const moduleName = cursor.name(`import ${i} module name`);
    const name = cursor.name(`import ${i} field name`);
    const ref = { module: moduleName, name };
    const kindOffset = cursor.pos;
    const kind = cursor.u8(`import ${i} kind`);
    let entry: Import;
    switch (kind) {
      case 0: {
        const typeIndex = cursor.u32(`import ${i} function type index`);
        functionTypes.push(typeIndex);
        entry = { ...ref, offset, desc: { kind: "func", typeIndex } };
        break;
      }
      case 1: {
        const type = readTableType(cursor, `import ${i} table`);
        module.tables.push({ index: module.tables.length, offset, type, import: ref });
        entry = { ...ref, offset, desc: { kind: "table", type } };
        break;
      }
      case 2: {
        const type = readMemoryType(cursor, `import ${i} memory`);
        module.memories.push({
          index: module.memories.length,
          offset,
          type,
          import: ref,
        } satisfies Memory);
        entry = { ...ref, offset, desc: { kind: "memory", type } };
        break;
      }
      case 3: {
        const type = readGlobalType(cursor, `import ${i} global`);
        module.globals.push({
          index: module.globals.length,
          offset,
          type,
          import: ref,
          init: null,
        } satisfies Global);
        entry = { ...ref, offset, desc: { kind: "global", type } };
        break;
      }
      case 4: {
        const typeIndex = readTag(cursor, `import ${i} tag`);
        module.tagTypes.push(typeIndex);
        entry = { ...ref, offset, desc: { kind: "tag", typeIndex } };
        break;
      }
      default:
        cursor.fail(
          `malformed import kind: import ${i} has kind 0x${kind.toString(16)}, expected 0-4`,
          kindOffset,
        );
    }
    module.imports.push(entry);
  }
}

function readTableSection(cursor: BinaryCursor, module: WasmModule): void {
  const count = cursor.count("tables", 2);
  for (let i = 0; i < count; i++) {
    const offset = cursor.pos;
    const index = module.tables.length;
    // 0x40 0x00 introduces a table with an explicit initialiser (function references).
    const withInit = cursor.peek() === 0x40;
    if (withInit) {
      cursor.pos++;
      const reservedOffset = cursor.pos;
      if (cursor.u8(`table ${index} reserved byte`) !== 0)
        cursor.fail(`malformed table: table ${index} expected 0x00 after 0x40`, reservedOffset);
    }
    const type = readTableType(cursor, `table ${index}`);
    if (withInit) readConstExpr(cursor, `table ${index} initialiser`);
    module.tables.push({ index, offset, type, import: null } satisfies Table);
  }
}

function readExportSection(cursor: BinaryCursor, exports: Export[]): void {
  const count = cursor.count("exports", 3);
  for (let i = 0; i < count; i++) {
    const offset = cursor.pos;
    const name = cursor.name(`export ${i} name`);
    const kindOffset = cursor.pos;
    const kindByte = cursor.u8(`export ${i} kind`);
    const kind = EXPORT_KINDS[kindByte];
    if (!kind)
      cursor.fail(
        `malformed export kind: export "${name}" has kind 0x${kindByte.toString(16)}, expected 0-4`,
        kindOffset,
      );
    exports.push({ name, kind, index: cursor.u32(`export "${name}" index`), offset });
  }
}

/** Element segments are decoded only to check their bounds; returns the count. */
function readElementSection(cursor: BinaryCursor): number {
  const count = cursor.count("element segments");
  for (let i = 0; i < count; i++) {
    const what = `element segment ${i}`;
    const flagsOffset = cursor.pos;
    const flags = cursor.u32(`${what} flags`);
    if (flags > 7)
      cursor.fail(
        `malformed elements segment kind: ${what} has flags ${flags}, expected 0-7`,
        flagsOffset,
      );
    const active = (flags & 1) === 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    if (active && explicitTable) cursor.u32(`${what} table index`);
    if (active) readConstExpr(cursor, `${what} offset`);
    if (!active || explicitTable) {
      if (usesExprs) readRefType(cursor, `${what} reference type`);
      else {
        const kindOffset = cursor.pos;
        if (cursor.u8(`${what} element kind`) !== 0)
          cursor.fail(`malformed element kind: ${what}, expected 0x00 (funcref)`, kindOffset);
      }
    }
    const items = cursor.count(`${what} items`);
    for (let j = 0; j < items; j++) {
      if (usesExprs) readConstExpr(cursor, `${what} item ${j}`);
      else cursor.u32(`${what} function index`);
    }
  }
  return count;
}

const MAX_LOCALS = 0xffffffff;

function readCodeSection(cursor: BinaryCursor): Uint32Array {
  const count = cursor.count("function bodies");
  const bodies = new Uint32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const what = `function body ${i}`;
    const size = cursor.u32(`${what} size`);
    const start = cursor.pos;
    const body = new BinaryCursor(cursor.bytes, start, start + size);
    cursor.skip(size, what);
    let locals = 0;
    const groups = body.count(`${what} local declarations`);
    for (let g = 0; g < groups; g++) {
      const groupOffset = body.pos;
      locals += body.u32(`${what} local count`);
      if (locals > MAX_LOCALS)
        body.fail(`too many locals: ${what} declares more than 2^32 - 1 locals`, groupOffset);
      readValType(body, `${what} local type`);
    }
    if (body.atEnd || cursor.bytes[start + size - 1] !== 0x0b) {
      body.fail(`END opcode expected: ${what} must end with 0x0b`, start + Math.max(size - 1, 0));
    }
    bodies[2 * i] = start;
    bodies[2 * i + 1] = start + size;
  }
  return bodies;
}

function readDataSection(cursor: BinaryCursor): DataSegment[] {
  const count = cursor.count("data segments", 2);
  const segments: DataSegment[] = new Array(count);
  // The segment being read, for the descriptions (made once, read only on a failure).
  let index = 0;
  const about =
    (part: string): What =>
    () =>
      `data segment ${index} ${part}`;
  const flagsWhat = about("flags");
  const memoryWhat = about("memory index");
  const offsetWhat = about("offset");
  const lengthWhat = about("length");
  const bytesWhat = about("bytes");
  for (; index < count; index++) {
    const entryOffset = cursor.pos;
    const flags = cursor.u32(flagsWhat);
    let memory: number | null = null;
    let exprStart = -1;
    let i32Offset = -1;
    if (flags === 0 || flags === 2) {
      memory = flags === 0 ? 0 : cursor.u32(memoryWhat);
      exprStart = cursor.pos;
      i32Offset = skipSingleI32Const(cursor);
      // Anything else is decoded in full, for its checks and errors.
      if (i32Offset < 0) readConstExpr(cursor, offsetWhat);
    } else if (flags !== 1) {
      cursor.fail(
        `malformed data segment flags: data segment ${index} has ${flags}, expected 0 (active), 1 (passive) or 2 (active, explicit memory)`,
        entryOffset,
      );
    }
    const lengthOffset = cursor.pos;
    const length = cursor.u32(lengthWhat);
    const dataOffset = cursor.pos;
    cursor.skip(length, bytesWhat);
    segments[index] = new DecodedDataSegment(
      cursor.bytes,
      index,
      entryOffset,
      memory,
      exprStart,
      i32Offset,
      lengthOffset,
      dataOffset,
      length,
    );
  }
  return segments;
}
