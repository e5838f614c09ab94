// Adds an export for memories a module does not export, so that an embedder's API that
// reaches memories only through exports (Wasmtime's C API) can observe them. Only the
// export section changes (entries appended, or a section inserted where the binary format
// orders it); every other section, the data segments included, is copied byte for byte, so
// the memory image an engine builds from the module is the same.

import { BinaryCursor } from "./binary-cursor";
import { BinaryWriter, encodeSection } from "./binary-writer";
import { spliceSections } from "./section-splice";
import type { WasmModule } from "./module-types";

const EXPORT_SECTION = 7;
const MEMORY_KIND = 0x02;

export interface MemoryExports {
  bytes: Uint8Array;
  /** The name each memory was exported under: its own, or the one added. */
  names: Map<number, string>;
  /** Memories that got an export here. */
  added: number[];
}

/** `module` with every memory in `memories` exported; those already exported keep their
 *  (first) export and the module is unchanged when none needs one. */
export function exportMemories(module: WasmModule, memories: readonly number[]): MemoryExports {
  const names = new Map<number, string>();
  const taken = new Set(module.exports.map((e) => e.name));
  const added: number[] = [];
  for (const memory of memories) {
    const existing = module.exports.find((e) => e.kind === "memory" && e.index === memory);
    if (existing) {
      names.set(memory, existing.name);
      continue;
    }
    let name = `wasm-cow:memory${memory}`;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    names.set(memory, name);
    added.push(memory);
  }
  if (added.length === 0) return { bytes: module.bytes, names, added };

  const entries = new BinaryWriter();
  for (const memory of added) entries.name(names.get(memory)!).byte(MEMORY_KIND).u32(memory);
  const section = module.sections.find((s) => s.id === EXPORT_SECTION);
  const payload = new BinaryWriter().u32(module.exports.length + added.length);
  if (section) {
    const cursor = new BinaryCursor(module.bytes, section.start, section.end);
    cursor.u32("export count");
    payload.bytes(module.bytes.subarray(cursor.pos, section.end));
  }
  const exportSection = encodeSection(EXPORT_SECTION, payload.bytes(entries.finish()).finish());

  return {
    bytes: spliceSections(module, new Map([[EXPORT_SECTION, exportSection]])),
    names,
    added,
  };
}
