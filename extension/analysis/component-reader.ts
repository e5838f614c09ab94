// Reads a WebAssembly component (the component model's binary format, layer 1) far enough
// to find every core module inside it, nested components included: each module's byte
// range, its place in the nesting and in its component's core-module index space, and its
// name from the component-name section; plus the top-level imports and exports by name.
// Everything else (types, canonical functions, instances) is skipped section by section,
// with the same offset-precise errors as the module reader.
//
// Index spaces follow the binary format (component-model design/mvp/Binary.md): a core
// module index is taken by each core module section, each import or alias of a core
// module, and each export of one, in section order; components the same way with their
// own sort.

import { BinaryCursor, DecodeError } from "./binary-cursor";
import { readModule } from "./module-reader";
import type { WasmModule } from "./module-types";

const MAGIC = 0x6d736100; // "\0asm", little-endian
/** version 0x0d, layer 1 (little-endian u32 of bytes 0d 00 01 00). */
const COMPONENT_VERSION = 0x0001000d;
/** A hostile file could nest components until the stack runs out; real ones nest a few. */
export const MAX_COMPONENT_DEPTH = 64;

const SECTION = {
  custom: 0,
  coreModule: 1,
  coreInstance: 2,
  coreType: 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
} as const;
const LAST_SECTION = SECTION.value;

/** The sorts an import, export or alias can have, as the binary format spells them. */
const CORE_SORTS: Record<number, string> = {
  0x00: "core func",
  0x01: "core table",
  0x02: "core memory",
  0x03: "core global",
  0x04: "core tag",
  0x10: "core type",
  0x11: "core module",
  0x12: "core instance",
};
const SORTS: Record<number, string> = {
  0x01: "func",
  0x02: "value",
  0x03: "type",
  0x04: "component",
  0x05: "instance",
};
const EXTERN_KINDS: Record<number, string> = {
  0x00: "core module",
  0x01: "func",
  0x02: "value",
  0x03: "type",
  0x04: "component",
  0x05: "instance",
};

export interface ComponentCoreModule {
  /** Component indices from the top: [] for the top level, [1] inside its component 1. */
  componentPath: number[];
  /** Index in its component's core module index space. */
  index: number;
  /** "component → component 1 → module 0" */
  pathText: string;
  /** From the component-name section of its component, when it names it. */
  name: string | null;
  /** Byte range of the core module's own binary (preamble included) in the file. */
  offset: number;
  length: number;
  /** A view of those bytes, never a copy. */
  bytes: Uint8Array;
}

export interface ComponentExtern {
  name: string;
  kind: string;
}

export interface ComponentInfo {
  /** From the top-level component-name section. */
  name: string | null;
  modules: ComponentCoreModule[];
  /** Nested components, each with its path and byte range. */
  components: { componentPath: number[]; pathText: string; offset: number; length: number }[];
  imports: ComponentExtern[];
  exports: ComponentExtern[];
}

/** Whether the bytes start like a component (magic, version 0x0d, layer 1). */
export function isComponent(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return view.getUint32(0, true) === MAGIC && view.getUint32(4, true) === COMPONENT_VERSION;
}

export function readComponent(bytes: Uint8Array): ComponentInfo {
  const info: ComponentInfo = { name: null, modules: [], components: [], imports: [], exports: [] };
  const top = readOne(new BinaryCursor(bytes, 0, bytes.length), [], info, 0);
  info.name = top.name;
  return info;
}

/** Decodes one of a component's core modules; a malformed one is reported with its path
 *  and the offset in the component file, as a plain module's errors are. */
export function readCoreModule(found: ComponentCoreModule): WasmModule {
  try {
    return readModule(found.bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    throw new DecodeError(found.offset + error.offset, `${found.pathText}: ${error.message}`);
  }
}

function pathText(componentPath: number[]): string {
  return ["component", ...componentPath.map((i) => `component ${i}`)].join(" → ");
}

/** One component's sections, from its preamble to `cursor.end`; returns its own name. */
function readOne(
  cursor: BinaryCursor,
  componentPath: number[],
  info: ComponentInfo,
  depth: number,
): { name: string | null } {
  if (depth > MAX_COMPONENT_DEPTH)
    cursor.fail(`components nested more than ${MAX_COMPONENT_DEPTH} deep`);
  const start = cursor.pos;
  if (cursor.remaining < 8) cursor.fail("unexpected end: expected the 8-byte component preamble");
  const view = new DataView(cursor.bytes.buffer, cursor.bytes.byteOffset + start, 8);
  if (view.getUint32(0, true) !== MAGIC)
    cursor.fail("magic header not detected: expected \\0asm", start);
  if (view.getUint32(4, true) !== COMPONENT_VERSION)
    cursor.fail("expected a component (version 0x0d, layer 1)", start + 4);
  cursor.pos = start + 8;

  const top = componentPath.length === 0;
  const modules: ComponentCoreModule[] = [];
  let moduleIndex = 0;
  let componentIndex = 0;
  let name: string | null = null;
  const moduleNames = new Map<number, string>();
  while (!cursor.atEnd) {
    const sectionStart = cursor.pos;
    const id = cursor.u8("section id");
    if (id > LAST_SECTION)
      cursor.fail(`malformed section id: expected 0-${LAST_SECTION}, found ${id}`, sectionStart);
    const size = cursor.u32("section size");
    if (size > cursor.remaining)
      cursor.fail(
        `length out of bounds: section ${id} needs ${size} bytes, ${cursor.remaining} remain`,
        sectionStart,
      );
    const section = new BinaryCursor(cursor.bytes, cursor.pos, cursor.pos + size);
    cursor.pos += size;
    switch (id) {
      case SECTION.coreModule:
        // Listed in file order (a nested component's modules come where it is); named
        // once this component's name section, usually last, has been read.
        modules.push({
          componentPath,
          index: moduleIndex,
          pathText: `${pathText(componentPath)} → module ${moduleIndex}`,
          name: null,
          offset: section.pos,
          length: size,
          bytes: section.bytes.subarray(section.pos, section.end),
        });
        info.modules.push(modules.at(-1)!);
        moduleIndex++;
        section.pos = section.end;
        break;
      case SECTION.component: {
        const nestedPath = [...componentPath, componentIndex];
        info.components.push({
          componentPath: nestedPath,
          pathText: pathText(nestedPath),
          offset: section.pos,
          length: size,
        });
        componentIndex++;
        readOne(section, nestedPath, info, depth + 1);
        break;
      }
      case SECTION.import:
      case SECTION.export: {
        const isImport = id === SECTION.import;
        const count = section.count(isImport ? "imports" : "exports");
        for (let i = 0; i < count; i++) {
          const externName = nameAttributes(section);
          let kind: string;
          if (isImport) kind = externType(section);
          else {
            kind = sortIdx(section).sort;
            if (optionalFlag(section, "export type")) externType(section);
          }
          if (kind === "core module") moduleIndex++;
          if (kind === "component") componentIndex++;
          if (top) (isImport ? info.imports : info.exports).push({ name: externName, kind });
        }
        break;
      }
      case SECTION.alias: {
        const count = section.count("aliases");
        for (let i = 0; i < count; i++) {
          const sort = readSort(section);
          const target = section.u8("alias target");
          if (target === 0x00) {
            section.u32("instance index");
            section.name("export name");
          } else if (target === 0x01) {
            section.u32("core instance index");
            section.name("core export name");
          } else if (target === 0x02) {
            section.u32("outer count");
            section.u32("outer index");
          } else section.fail(`malformed alias target: 0x${target.toString(16)}`, section.pos - 1);
          if (sort === "core module") moduleIndex++;
          if (sort === "component") componentIndex++;
        }
        break;
      }
      case SECTION.custom: {
        const customName = section.name("custom section name");
        if (customName === "component-name") {
          try {
            name = readNames(section, moduleNames);
          } catch (error) {
            // As in core wasm, a bad name section does not make the component invalid.
            if (!(error instanceof DecodeError)) throw error;
          }
        }
        section.pos = section.end;
        break;
      }
      default:
        // Types, core instances, component instances, canonical functions, start and
        // values: nothing here indexes core modules or components.
        section.pos = section.end;
    }
    if (section.pos !== section.end)
      section.fail(`section size mismatch: section ${id} has bytes left over`, section.pos);
  }
  for (const module of modules) module.name = moduleNames.get(module.index) ?? null;
  return { name };
}

/** An import's or export's name, whichever of the three encodings it uses. */
function nameAttributes(cursor: BinaryCursor): string {
  const at = cursor.pos;
  const form = cursor.u8("name kind");
  if (form > 0x02) cursor.fail(`malformed name kind: 0x${form.toString(16)}`, at);
  const externName = cursor.name("import or export name");
  if (form === 0x02) {
    const attributes = cursor.count("name attributes");
    for (let i = 0; i < attributes; i++) {
      const attributeAt = cursor.pos;
      const attribute = cursor.u8("name attribute");
      if (attribute > 0x02)
        cursor.fail(`malformed name attribute: 0x${attribute.toString(16)}`, attributeAt);
      cursor.name("name attribute value");
    }
  }
  return externName;
}

function readSort(cursor: BinaryCursor): string {
  const at = cursor.pos;
  const sort = cursor.u8("sort");
  if (sort === 0x00) {
    const coreAt = cursor.pos;
    const core = cursor.u8("core sort");
    return CORE_SORTS[core] ?? cursor.fail(`malformed core sort: 0x${core.toString(16)}`, coreAt);
  }
  return SORTS[sort] ?? cursor.fail(`malformed sort: 0x${sort.toString(16)}`, at);
}

function sortIdx(cursor: BinaryCursor): { sort: string; index: number } {
  const sort = readSort(cursor);
  return { sort, index: cursor.u32("sort index") };
}

function optionalFlag(cursor: BinaryCursor, what: string): boolean {
  const at = cursor.pos;
  const flag = cursor.u8(`${what} presence`);
  if (flag > 1) cursor.fail(`malformed ${what} presence: expected 0 or 1`, at);
  return flag === 1;
}

/** An externtype; returns its kind. */
function externType(cursor: BinaryCursor): string {
  const at = cursor.pos;
  const kind = cursor.u8("extern type");
  const name =
    EXTERN_KINDS[kind] ?? cursor.fail(`malformed extern type: 0x${kind.toString(16)}`, at);
  if (kind === 0x00) {
    const moduleAt = cursor.pos;
    if (cursor.u8("core module marker") !== 0x11)
      cursor.fail("malformed extern type: expected 0x11 (core module)", moduleAt);
    cursor.u32("core type index");
  } else if (kind === 0x02) {
    // A value bound: an index (0x00) or a value type (0x01), a type index or a primitive.
    const bound = cursor.u8("value bound");
    if (bound === 0x00) cursor.u32("value index");
    else if (bound === 0x01) cursor.s33("value type");
    else cursor.fail(`malformed value bound: 0x${bound.toString(16)}`, cursor.pos - 1);
  } else if (kind === 0x03) {
    const bound = cursor.u8("type bound");
    if (bound === 0x00) cursor.u32("type index");
    else if (bound !== 0x01)
      cursor.fail(`malformed type bound: 0x${bound.toString(16)}`, cursor.pos - 1);
  } else cursor.u32("type index");
  return name;
}

/** The component-name section: the component's own name, and its core modules' names. */
function readNames(cursor: BinaryCursor, moduleNames: Map<number, string>): string | null {
  let name: string | null = null;
  while (!cursor.atEnd) {
    const id = cursor.u8("name subsection id");
    const size = cursor.u32("name subsection size");
    const sub = new BinaryCursor(cursor.bytes, cursor.pos, cursor.pos + size);
    if (size > cursor.remaining) cursor.fail("length out of bounds: name subsection");
    cursor.pos += size;
    if (id === 0) name = sub.name("component name");
    else if (id === 1) {
      const sort = readSort(sub);
      const count = sub.count("names");
      for (let i = 0; i < count; i++) {
        const index = sub.u32("name index");
        const text = sub.name("name");
        if (sort === "core module") moduleNames.set(index, text);
      }
    }
  }
  return name;
}
