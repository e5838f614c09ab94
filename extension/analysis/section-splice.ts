// Rewrites a module section by section: the sections given are swapped in (or dropped),
// one the module lacks is inserted where the binary format orders it, and every other
// section, custom ones included, is copied byte for byte.

import { BinaryWriter } from "./binary-writer";
import { SECTION_ORDER } from "./module-reader";
import type { WasmModule } from "./module-types";

/** `replacements`: section id → the new encoded section (header included), or null to
 *  drop it. */
export function spliceSections(
  module: WasmModule,
  replacements: ReadonlyMap<number, Uint8Array | null>,
): Uint8Array {
  const present = new Set(module.sections.map((s) => s.id));
  // Sections to insert, in the binary format's order.
  const missing = [...replacements]
    .filter(([id, bytes]) => bytes !== null && !present.has(id))
    .sort(([a], [b]) => SECTION_ORDER[a]! - SECTION_ORDER[b]!);
  const out = new BinaryWriter().bytes(module.bytes.subarray(0, 8));
  for (const section of module.sections) {
    const rank = SECTION_ORDER[section.id];
    while (missing.length && rank !== undefined && SECTION_ORDER[missing[0]![0]]! < rank) {
      out.bytes(missing.shift()![1]!);
    }
    const replacement = replacements.get(section.id);
    if (replacement === undefined)
      out.bytes(module.bytes.subarray(section.headerOffset, section.end));
    else if (replacement !== null) out.bytes(replacement);
  }
  for (const [, bytes] of missing) out.bytes(bytes!);
  return out.finish();
}
