// "What CoW would have saved": for a module that gets no memory image, the closest module
// that does, so the same steps can run both ways and be compared. Three changes, each
// made only when needed and each said in words:
//
// 1. Imported memories become defined ones, with the same types (the memory index space
//    lists imports first, so converting every imported memory, in order, to the front of
//    the memory section keeps every index).
// 2. A data segment offset that reads an imported i32 global (`__memory_base`) becomes
//    the 0 the runner gives that import (instance-imports.ts), so the memory's contents
//    are the same as in the original run.
// 3. A memory too sparse for the dense limit gets a dense limit one byte above its span.
//
// Anything else (a segment past the minimum, an expression offset) leaves no variant.

import { BinaryCursor } from "./binary-cursor";
import { BinaryWriter, encodeSection } from "./binary-writer";
import { singleGlobalGet } from "./const-expr";
import { planImages, type ImagePlan, type PlanOptions } from "./image-planner";
import { readModule } from "./module-reader";
import type { WasmModule } from "./module-types";
import { spliceSections } from "./section-splice";
import { grouped } from "../../common/format";

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
const DATA_SECTION = 11;
const I32_CONST = 0x41;
const END = 0x0b;

export interface ImagedVariant {
  bytes: Uint8Array;
  denseLimit: number;
  /** What was changed, in words, in the order it was done. */
  changes: string[];
}

export type VariantOutcome =
  { variant: ImagedVariant; refusal: null } | { variant: null; refusal: string };

export function imagedVariant(module: WasmModule, options: PlanOptions): VariantOutcome {
  if (refusalOf(planImages(module, options)) === null) {
    return { variant: null, refusal: "the module gets a memory image already" };
  }
  const changes: string[] = [];
  let current = module;
  const imported = current.memories.filter((m) => m.import);
  if (imported.length) {
    changes.push(
      ...imported.map(
        (m) =>
          `memory ${m.index} defined in the module instead of imported from ${m.import!.module}.${m.import!.name}`,
      ),
    );
    current = readModule(defineImportedMemories(current));
  }
  const folded = foldImportedGlobalOffsets(current);
  if (folded) {
    changes.push(...folded.changes);
    current = readModule(folded.bytes);
  }
  let denseLimit = options.denseLimit;
  let plan = planImages(current, options);
  if (plan.segmentedBy?.code === "too-sparse") {
    const memory = plan.segmentedBy.memory!;
    const span = plan.memories[memory]!.image?.span ?? 0;
    denseLimit = span + 1;
    changes.push(
      `dense limit raised to ${grouped(denseLimit)} bytes (from ${grouped(options.denseLimit)}) so memory ${memory}'s ${grouped(span)}-byte span qualifies`,
    );
    plan = planImages(current, { ...options, denseLimit });
  }
  const refusal = refusalOf(plan);
  if (refusal !== null) return { variant: null, refusal };
  return { variant: { bytes: current.bytes, denseLimit, changes }, refusal: null };
}

/** Why some memory with data gets no image; null when every one does. */
function refusalOf(plan: ImagePlan): string | null {
  const withData = plan.memories.filter((m) => m.reason?.code !== "no-image-needed");
  if (withData.length === 0) return "no memory has data to image";
  return withData.find((m) => !m.static)?.reason!.message ?? null;
}

/** Every imported memory moved, in order, to the front of the memory section. */
function defineImportedMemories(module: WasmModule): Uint8Array {
  const importSection = module.sections.find((s) => s.id === IMPORT_SECTION)!;
  const kept = new BinaryWriter();
  const types = new BinaryWriter();
  let keptCount = 0;
  module.imports.forEach((entry, i) => {
    const end = module.imports[i + 1]?.offset ?? importSection.end;
    if (entry.desc.kind !== "memory") {
      kept.bytes(module.bytes.subarray(entry.offset, end));
      keptCount++;
      return;
    }
    // The entry is two names, the kind byte, then the memory type: copied verbatim.
    const cursor = new BinaryCursor(module.bytes, entry.offset, end);
    cursor.name("module name");
    cursor.name("field name");
    cursor.u8("kind");
    types.bytes(module.bytes.subarray(cursor.pos, end));
  });
  // The defined memories' types follow, copied verbatim.
  const memorySection = module.sections.find((s) => s.id === MEMORY_SECTION);
  const memories = new BinaryWriter().u32(module.memories.length).bytes(types.finish());
  if (memorySection) {
    const cursor = new BinaryCursor(module.bytes, memorySection.start, memorySection.end);
    cursor.u32("memory count");
    memories.bytes(module.bytes.subarray(cursor.pos, memorySection.end));
  }
  return spliceSections(
    module,
    new Map([
      [
        IMPORT_SECTION,
        keptCount
          ? encodeSection(
              IMPORT_SECTION,
              new BinaryWriter().u32(keptCount).bytes(kept.finish()).finish(),
            )
          : null,
      ],
      [MEMORY_SECTION, encodeSection(MEMORY_SECTION, memories.finish())],
    ]),
  );
}

/** Offsets `global.get G` of a 32-bit memory, G an imported i32 global, as i32.const 0:
 *  the value the runner gives such an import. */
function foldImportedGlobalOffsets(
  module: WasmModule,
): { bytes: Uint8Array; changes: string[] } | null {
  const globals = new Set<number>();
  const folded = new Set<number>();
  for (const segment of module.dataSegments) {
    // A lone i32.const reads no global: only other offsets are decoded again.
    if (segment.memory === null || segment.i32Offset >= 0) continue;
    const memory = module.memories[segment.memory];
    const global = singleGlobalGet(segment.offsetExpr!);
    if (global === null || !memory || memory.type.memory64) continue;
    const read = module.globals[global];
    if (!read?.import || read.type.valType !== "i32") continue;
    globals.add(global);
    folded.add(segment.index);
  }
  if (folded.size === 0) return null;
  const payload = new BinaryWriter().u32(module.dataSegments.length);
  for (const segment of module.dataSegments) {
    const end = segment.dataOffset + segment.size;
    if (!folded.has(segment.index)) {
      payload.bytes(module.bytes.subarray(segment.entryOffset, end));
      continue;
    }
    payload
      .bytes(module.bytes.subarray(segment.entryOffset, segment.offsetExpr!.start))
      .byte(I32_CONST)
      .s32(0)
      .byte(END)
      .bytes(module.bytes.subarray(segment.lengthOffset, end));
  }
  const changes = [...globals].map((index) => {
    const { module: from, name } = module.globals[index]!.import!;
    return `data segment offsets read from global ${index} (${from}.${name}) fixed at 0, the value the runner gives that import`;
  });
  return {
    bytes: spliceSections(
      module,
      new Map([[DATA_SECTION, encodeSection(DATA_SECTION, payload.finish())]]),
    ),
    changes,
  };
}
