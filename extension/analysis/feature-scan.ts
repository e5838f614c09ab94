// Which WebAssembly proposals a module uses, and where each is first used: a skip-only
// scan of every instruction (no AST, no allocation per instruction) plus the types,
// imports, memories, tables, globals, tags, constant expressions and segments outside
// code. The module reader has already checked the structure; inside code bodies the scan
// never throws: an opcode it does not know, or an immediate that runs past its body,
// ends that body's scan and is reported as `unknownInstruction` (V8 gives the
// instruction-level verdict).

import { BinaryCursor } from "./binary-cursor";
import { readConstExpr } from "./const-expr";
import {
  featureBit,
  heapTypeNameFeatures,
  isNew,
  note,
  noteTableElementType,
  noteValType,
  readU32,
  scanCode,
  type ScanState,
} from "./instruction-scan";
import type { ConstExpr, MemoryType, Section, Table, TableType, WasmModule } from "./module-types";
import { readTableType } from "./value-types";
import type { FeatureScan } from "../../common/wasm-features";

const MULTI_VALUE = featureBit("multi-value");
const MUTABLE_GLOBALS = featureBit("mutable-globals");
const BULK_MEMORY = featureBit("bulk-memory");
const REFERENCE_TYPES = featureBit("reference-types");
const SIMD = featureBit("simd");
const THREADS = featureBit("threads");
const EXCEPTIONS = featureBit("exceptions");
const STACK_SWITCHING = featureBit("stack-switching");
const FUNCTION_REFERENCES = featureBit("function-references");
const GC = featureBit("gc");
const MULTI_MEMORY = featureBit("multi-memory");
const MEMORY64 = featureBit("memory64");
const EXTENDED_CONST = featureBit("extended-const");
const CUSTOM_PAGE_SIZES = featureBit("custom-page-sizes");

/** Features of `module` in order of first use, and the first instruction the scan cannot
 *  read (null when it read every body to its end). Code bodies never make it throw; the
 *  sections it reads again (types, tables, elements) can only throw for a module that
 *  did not come from `readModule`. */
export function scanFeatures(module: WasmModule): FeatureScan {
  const state: ScanState = {
    bytes: module.bytes,
    importedGlobals: module.globals.filter((g) => g.import).length,
    seen: 0,
    uses: [],
    unknown: null,
  };
  // Sections come in file order, and every section is read in order, so the first use
  // met is the first in the file; the (stable) sort only lines up uses met in one entry.
  for (const section of module.sections) scanSection(state, module, section);
  return {
    features: state.uses.sort((a, b) => a.offset - b.offset),
    unknownInstruction: state.unknown,
  };
}

function scanSection(state: ScanState, module: WasmModule, section: Section): void {
  switch (section.name) {
    case "type":
      scanTypes(state, section);
      break;
    case "import":
      scanImports(state, module, section);
      break;
    case "table":
      for (const table of module.tables) if (!table.import) scanDefinedTable(state, table, section);
      break;
    case "memory":
      for (const memory of module.memories) {
        if (!memory.import) scanMemoryType(state, memory.index, memory.offset, memory.type);
      }
      break;
    case "tag":
      scanTagSection(state, module, section);
      break;
    case "global":
      scanDefinedGlobals(state, module);
      break;
    case "export":
      scanExports(state, module);
      break;
    case "element":
      scanElements(state, section);
      break;
    case "datacount":
      note(state, BULK_MEMORY, null, section.headerOffset, "data count section");
      break;
    case "code":
      scanCode(state, module);
      break;
    case "data":
      scanData(state, module);
      break;
  }
}

// --- outside code --------------------------------------------------------------------

function scanTypes(state: ScanState, section: Section): void {
  const cursor = new BinaryCursor(state.bytes, section.start, section.end);
  const count = cursor.u32("types");
  let index = 0;
  for (let i = 0; i < count; i++) {
    if (cursor.peek() === 0x4e) {
      note(state, GC, null, cursor.pos, `rec group at type ${index}`);
      cursor.pos++;
      const members = cursor.u32("recursion group types");
      for (let m = 0; m < members; m++) scanSubType(state, cursor, index++);
    } else {
      scanSubType(state, cursor, index++);
    }
  }
}

function scanSubType(state: ScanState, cursor: BinaryCursor, index: number): void {
  const offset = cursor.pos;
  const form = cursor.peek();
  if (form === 0x50 || form === 0x4f) {
    cursor.pos++;
    const supertypes = cursor.u32("supertypes");
    for (let s = 0; s < supertypes; s++) cursor.u32("supertype index");
    // A final type without supertypes is what a plain type means.
    if (form === 0x50 || supertypes > 0) note(state, GC, null, offset, `sub type ${index}`);
  }
  const composite = cursor.pos;
  switch (cursor.u8("type form")) {
    case 0x60: {
      scanValTypes(state, cursor, "parameter in type", index);
      const results = scanValTypes(state, cursor, "result in type", index);
      if (results > 1)
        note(state, MULTI_VALUE, null, composite, `type ${index} has ${results} results`);
      break;
    }
    case 0x5f: {
      note(state, GC, null, composite, `struct type ${index}`);
      const fields = cursor.u32("fields");
      for (let f = 0; f < fields; f++) scanFieldType(state, cursor, index);
      break;
    }
    case 0x5e:
      note(state, GC, null, composite, `array type ${index}`);
      scanFieldType(state, cursor, index);
      break;
    case 0x5d:
      note(state, STACK_SWITCHING, null, composite, `cont type ${index}`);
      cursor.s33("continuation function type");
      break;
  }
}

/** A vector of value types of type `index`; returns its length. */
function scanValTypes(
  state: ScanState,
  cursor: BinaryCursor,
  label: string,
  index: number,
): number {
  const count = cursor.u32("value types");
  for (let i = 0; i < count; i++) cursor.pos = noteValType(state, null, cursor.pos, label, index);
  return count;
}

function scanFieldType(state: ScanState, cursor: BinaryCursor, index: number): void {
  const packed = cursor.peek();
  if (packed === 0x78 || packed === 0x77) cursor.pos++;
  else cursor.pos = noteValType(state, null, cursor.pos, "field in type", index);
  cursor.pos++; // mutability
}

function scanImports(state: ScanState, module: WasmModule, section: Section): void {
  let tables = 0;
  let memories = 0;
  let globals = 0;
  let tags = 0;
  for (const entry of module.imports) {
    const { desc, offset } = entry;
    switch (desc.kind) {
      case "table":
        scanTableType(state, tables++, offset, desc.type, importDescStart(state, offset, section));
        break;
      case "memory":
        scanMemoryType(state, memories++, offset, desc.type);
        break;
      case "global": {
        const index = globals++;
        if (desc.type.mutable)
          note(state, MUTABLE_GLOBALS, null, offset, `imported mutable global ${index}`);
        noteValType(state, null, importDescStart(state, offset, section), "global", index);
        break;
      }
      case "tag":
        note(state, EXCEPTIONS, null, offset, `imported tag ${tags++}`);
        break;
    }
  }
}

/** Where the type of the import entry at `offset` starts: after both names and the
 *  kind byte. */
function importDescStart(state: ScanState, offset: number, section: Section): number {
  const cursor = new BinaryCursor(state.bytes, offset, section.end);
  cursor.name("import module name");
  cursor.name("import field name");
  return cursor.pos + 1;
}

function scanMemoryType(state: ScanState, index: number, offset: number, type: MemoryType): void {
  if (type.memory64) note(state, MEMORY64, null, offset, `memory ${index} is memory64`);
  if (type.shared) note(state, THREADS, null, offset, `memory ${index} is shared`);
  if (type.pageSizeLog2 !== 16) {
    const pageSize = 2n ** BigInt(type.pageSizeLog2);
    note(state, CUSTOM_PAGE_SIZES, null, offset, `memory ${index} has ${pageSize}-byte pages`);
  }
  if (index > 0) note(state, MULTI_MEMORY, null, offset, `memory ${index} (a second memory)`);
}

/** A table type whose element reference type starts at `refTypeAt`. */
function scanTableType(
  state: ScanState,
  index: number,
  offset: number,
  type: TableType,
  refTypeAt: number,
): void {
  // Uses at the entry's offset first, then the element type's (after 0x40 0x00).
  if (index > 0) note(state, REFERENCE_TYPES, null, offset, `table ${index} (a second table)`);
  if (type.table64) note(state, MEMORY64, null, offset, `table ${index} is table64`);
  noteTableElementType(state, refTypeAt, index);
}

function scanDefinedTable(state: ScanState, table: Table, section: Section): void {
  const cursor = new BinaryCursor(state.bytes, table.offset, section.end);
  // 0x40 0x00 introduces a table with an initialiser expression.
  const withInit = cursor.peek() === 0x40;
  if (withInit) {
    note(
      state,
      FUNCTION_REFERENCES,
      null,
      table.offset,
      `table ${table.index} with an initialiser`,
    );
    cursor.pos += 2;
  }
  scanTableType(state, table.index, table.offset, table.type, cursor.pos);
  if (withInit) {
    readTableType(cursor, `table ${table.index}`);
    const init = readConstExpr(cursor, "table initialiser");
    scanConstExpr(state, init, "table", table.index, "initialiser");
  }
}

function scanDefinedGlobals(state: ScanState, module: WasmModule): void {
  for (const global of module.globals) {
    if (!global.init) continue;
    noteValType(state, null, global.offset, "global", global.index);
    scanConstExpr(state, global.init, "global", global.index, "initialiser");
  }
}

function scanTagSection(state: ScanState, module: WasmModule, section: Section): void {
  const cursor = new BinaryCursor(state.bytes, section.start, section.end);
  if (cursor.u32("tags") === 0) return;
  const firstTag = module.imports.filter((i) => i.desc.kind === "tag").length;
  note(state, EXCEPTIONS, null, cursor.pos, `tag ${firstTag}`);
}

function scanExports(state: ScanState, module: WasmModule): void {
  for (const entry of module.exports) {
    const mutable = entry.kind === "global" && module.globals[entry.index]?.type.mutable;
    if (mutable && isNew(state, MUTABLE_GLOBALS))
      note(state, MUTABLE_GLOBALS, null, entry.offset, `exported mutable global ${entry.index}`);
  }
}

/** Element segments are kept by the reader only as a count: read them again here. */
function scanElements(state: ScanState, section: Section): void {
  const cursor = new BinaryCursor(state.bytes, section.start, section.end);
  const count = cursor.u32("element segments");
  for (let i = 0; i < count; i++) {
    const offset = cursor.pos;
    const flags = cursor.u32("element segment flags");
    const active = (flags & 1) === 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    if (!active && isNew(state, BULK_MEMORY)) {
      const kind = explicitTable ? "declarative" : "passive";
      note(state, BULK_MEMORY, null, offset, `${kind} element segment ${i}`);
    }
    if (active && explicitTable) scanElementTable(state, cursor, offset, i);
    if (active)
      scanConstExpr(state, readConstExpr(cursor, "offset"), "element segment", i, "offset");
    // Expressions need reference types even for funcref (only table types exempt it).
    const spelledOut = !active || explicitTable;
    if (usesExprs && spelledOut)
      cursor.pos = noteValType(state, null, cursor.pos, "element segment", i);
    else if (usesExprs && isNew(state, REFERENCE_TYPES))
      note(state, REFERENCE_TYPES, null, offset, `element segment ${i} of expressions`);
    else if (spelledOut) cursor.pos++; // element kind 0x00: funcref
    const items = cursor.u32("element segment items");
    for (let j = 0; j < items; j++) {
      if (usesExprs)
        scanConstExpr(state, readConstExpr(cursor, "item"), "element segment", i, "items");
      else cursor.u32("element function index");
    }
  }
}

/** An active segment's table index: the flags field itself is the bulk-memory encoding,
 *  and a table other than 0 needs reference types. */
function scanElementTable(state: ScanState, cursor: BinaryCursor, offset: number, i: number): void {
  const table = cursor.u32("element segment table");
  if (table !== 0 && isNew(state, REFERENCE_TYPES))
    note(state, REFERENCE_TYPES, null, offset, `element segment ${i} on table ${table}`);
  if (isNew(state, BULK_MEMORY))
    note(state, BULK_MEMORY, null, offset, `element segment ${i} with an explicit table index`);
}

function scanData(state: ScanState, module: WasmModule): void {
  for (const segment of module.dataSegments) {
    const { index, entryOffset, mode, memory } = segment;
    // Flags 2 (an explicit memory index, even 0) is the bulk-memory encoding.
    const bulk = mode === "passive" || readU32(state.bytes, entryOffset) === 2;
    if (bulk && isNew(state, BULK_MEMORY)) {
      const what =
        mode === "passive"
          ? `passive data segment ${index}`
          : `data segment ${index} with an explicit memory index`;
      note(state, BULK_MEMORY, null, entryOffset, what);
    }
    if (memory && isNew(state, MULTI_MEMORY))
      note(state, MULTI_MEMORY, null, entryOffset, `data segment ${index} on memory ${memory}`);
    // A lone i32.const needs no feature: only other expressions are decoded again.
    if (memory !== null && segment.i32Offset < 0)
      scanConstExpr(state, segment.offsetExpr!, "data segment", index, "offset");
  }
}

/** Constant expressions beyond a lone number constant or imported global: references
 *  (ref.null, ref.func), extended-const arithmetic, GC allocations, v128.const, and
 *  global.get of a defined global (GC). */
function scanConstExpr(
  state: ScanState,
  expr: ConstExpr,
  owner: string,
  index: number,
  part: string,
): void {
  for (const instr of expr.instrs) {
    let features = 0;
    let what: string = instr.op;
    if (/^i(32|64)\.(add|sub|mul)$/.test(instr.op)) features = EXTENDED_CONST;
    else if (instr.op === "v128.const") features = SIMD;
    else if (instr.op === "ref.func") features = REFERENCE_TYPES;
    else if ("heapType" in instr) {
      features = REFERENCE_TYPES | heapTypeNameFeatures(instr.heapType);
      what = `ref.null ${instr.heapType}`;
    } else if ("immediates" in instr) features = GC;
    else if (
      "index" in instr &&
      instr.op === "global.get" &&
      instr.index >= state.importedGlobals
    ) {
      features = GC;
      what = `global.get ${instr.index} (a defined global)`;
    }
    if (isNew(state, features))
      note(state, features, null, expr.start, `${what} in ${owner} ${index} ${part}`);
  }
}
