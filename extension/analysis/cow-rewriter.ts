// Rewrites a module for copy-on-write instantiation in V8: every defined memory becomes
// an imported memory with the same type (appended after the existing memory imports,
// so memory indices do not change), and every active segment of a memory whose image
// is mapped becomes an empty active segment (same flags, memory and offset), so data
// indices for memory.init and data.drop stay valid and instantiation still checks the
// offset. All other sections are copied byte for byte. With no imaged memories the
// result is the eager baseline: V8 copies every segment into the imported memory.

import { BinaryCursor } from "./binary-cursor";
import { BinaryWriter, encodeSection } from "./binary-writer";
import type { MemoryType, Section, WasmModule } from "./module-types";

export interface ImportedSlotMemory {
  /** Memory index, the same before and after the rewrite. */
  memory: number;
  module: string;
  name: string;
  type: MemoryType;
}

export interface CowRewrite {
  bytes: Uint8Array;
  memories: ImportedSlotMemory[];
  emptiedSegments: number[];
}

/** Import module name of the slot memories; the field names are made unique. */
export const SLOT_IMPORT_MODULE = "wasm-cow:slot";

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
const DATA_SECTION = 11;

export function rewriteForCow(module: WasmModule, imagedMemories: ReadonlySet<number>): CowRewrite {
  const defined = module.memories.filter((m) => !m.import);
  const taken = new Set(
    module.imports.filter((i) => i.module === SLOT_IMPORT_MODULE).map((i) => i.name),
  );
  const memories = defined.map((m): ImportedSlotMemory => {
    let name = `memory${m.index}`;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    return { memory: m.index, module: SLOT_IMPORT_MODULE, name, type: m.type };
  });
  const emptiedSegments = module.dataSegments
    .filter((s) => s.mode === "active" && s.memory !== null && imagedMemories.has(s.memory))
    .map((s) => s.index);

  const out = new BinaryWriter().bytes(module.bytes.subarray(0, 8));
  const importSection = module.sections.find((s) => s.id === IMPORT_SECTION);
  let importWritten = false;
  for (const section of module.sections) {
    if (!importWritten && !importSection && section.id !== 0 && section.id !== 1) {
      out.bytes(importSectionBytes(module, null, memories));
      importWritten = true;
    }
    if (section.id === IMPORT_SECTION) out.bytes(importSectionBytes(module, section, memories));
    else if (section.id === MEMORY_SECTION)
      continue; // every defined memory is now an import
    else if (section.id === DATA_SECTION)
      out.bytes(dataSectionBytes(module, section, new Set(emptiedSegments)));
    else out.bytes(module.bytes.subarray(section.headerOffset, section.end));
  }
  if (!importWritten && !importSection) out.bytes(importSectionBytes(module, null, memories));
  return { bytes: out.finish(), memories, emptiedSegments };
}

/** The import section with the slot memories appended after the existing entries. */
function importSectionBytes(
  module: WasmModule,
  section: Section | null,
  memories: ImportedSlotMemory[],
): Uint8Array {
  const payload = new BinaryWriter().u32(module.imports.length + memories.length);
  if (section) {
    const cursor = new BinaryCursor(module.bytes, section.start, section.end);
    cursor.u32("import count");
    payload.bytes(module.bytes.subarray(cursor.pos, section.end));
  }
  for (const memory of memories) {
    payload.name(memory.module).name(memory.name).byte(0x02); // import kind: memory
    payload.bytes(memoryTypeBytes(module, memory.memory));
  }
  return encodeSection(IMPORT_SECTION, payload.finish());
}

/** The original encoding of a defined memory's type, copied verbatim. */
function memoryTypeBytes(module: WasmModule, index: number): Uint8Array {
  const memory = module.memories[index]!;
  const next = module.memories[index + 1];
  const section = module.sections.find((s) => s.id === MEMORY_SECTION)!;
  return module.bytes.subarray(memory.offset, next && !next.import ? next.offset : section.end);
}

function dataSectionBytes(module: WasmModule, section: Section, emptied: Set<number>): Uint8Array {
  const payload = new BinaryWriter().u32(module.dataSegments.length);
  for (const segment of module.dataSegments) {
    const entryEnd = segment.dataOffset + segment.size;
    if (!emptied.has(segment.index)) {
      payload.bytes(module.bytes.subarray(segment.entryOffset, entryEnd));
      continue;
    }
    // Flags, memory index and offset expression unchanged; the length becomes 0.
    payload.bytes(module.bytes.subarray(segment.entryOffset, segment.lengthOffset)).u32(0);
  }
  return encodeSection(section.id, payload.finish());
}
