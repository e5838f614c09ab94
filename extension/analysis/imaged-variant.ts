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
import { planImages, type PlanOptions } from "./image-planner";
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
  if (imaged(module, options.denseLimit, options) === true) {
    return { variant: null, refusal: "the module gets a memory image already" };
  }
  const changes: string[] = [];
  let current = module;
  if (current.memories.some((m) => m.import)) {
    changes.push(
      ...current.memories
        .filter((m) => m.import)
        .map(
          (m) =>
            `memory ${m.index} defined in the module instead of imported from ${m.import!.module}.${m.import!.name}`,
        ),
    );
    current = readModule(defineImportedMemories(current));
  }
  const folded = foldKnownOffsets(current);
  if (folded) {
    changes.push(...folded.changes);
    current = readModule(folded.bytes);
  }
  let denseLimit = options.denseLimit;
  const plan = planImages(current, { ...options, denseLimit });
  if (plan.segmentedBy?.code === "too-sparse") {
    const span = plan.memories[plan.segmentedBy.memory!]!.image?.span ?? 0;
    denseLimit = span + 1;
    changes.push(
      `dense limit raised to ${grouped(denseLimit)} bytes (from ${grouped(options.denseLimit)}) so memory ${plan.segmentedBy.memory}'s ${grouped(span)}-byte span qualifies`,
    );
  }
  const refusal = imaged(current, denseLimit, options);
  if (refusal !== true) return { variant: null, refusal: refusal ?? "no memory has data to image" };
  return { variant: { bytes: current.bytes, denseLimit, changes }, refusal: null };
}

/** true when every memory with data gets an image; else the first reason one does not
 *  (null when no memory has data). */
function imaged(
  module: WasmModule,
  denseLimit: number,
  options: PlanOptions,
): true | string | null {
  const plan = planImages(module, { ...options, denseLimit });
  const withData = plan.memories.filter((m) => m.reason?.code !== "no-image-needed");
  if (withData.length === 0) return null;
  const refused = withData.find((m) => !m.static);
  return refused ? refused.reason!.message : true;
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
  const defined = module.memories.filter((m) => !m.import);
  const memorySection = module.sections.find((s) => s.id === MEMORY_SECTION);
  const memories = new BinaryWriter().u32(module.memories.length).bytes(types.finish());
  if (memorySection) {
    const cursor = new BinaryCursor(module.bytes, memorySection.start, memorySection.end);
    cursor.u32("memory count");
    memories.bytes(module.bytes.subarray(cursor.pos, memorySection.end));
  } else if (defined.length) throw new Error("defined memories without a memory section");
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

/** Offsets `global.get G` of a 32-bit memory, G an imported i32 global, as i32.const 0. */
function foldKnownOffsets(module: WasmModule): { bytes: Uint8Array; changes: string[] } | null {
  const values = new Map<number, { value: number; why: string }>();
  const known = (index: number): { value: number; why: string } | null => {
    const global = module.globals[index];
    if (!global?.import || global.type.valType !== "i32") return null;
    return {
      value: 0,
      why: `global ${index} (${global.import.module}.${global.import.name}) fixed at 0, the value the runner gives that import`,
    };
  };
  const folded = new Map<number, number>();
  for (const segment of module.dataSegments) {
    if (segment.mode !== "active" || !segment.offsetExpr) continue;
    const memory = module.memories[segment.memory ?? -1];
    const global = singleGlobalGet(segment.offsetExpr);
    if (global === null || !memory || memory.type.memory64) continue;
    const value = values.get(global) ?? known(global);
    if (!value) continue;
    values.set(global, value);
    folded.set(segment.index, value.value);
  }
  if (folded.size === 0) return null;
  const payload = new BinaryWriter().u32(module.dataSegments.length);
  for (const segment of module.dataSegments) {
    const value = folded.get(segment.index);
    const end = segment.dataOffset + segment.data.length;
    if (value === undefined) {
      payload.bytes(module.bytes.subarray(segment.entryOffset, end));
      continue;
    }
    payload
      .bytes(module.bytes.subarray(segment.entryOffset, segment.offsetExpr!.start))
      .byte(I32_CONST)
      .s32(value)
      .byte(END)
      .bytes(module.bytes.subarray(segment.offsetExpr!.end, end));
  }
  const changes = [...values.values()].map(({ why }) => `data segment offsets read from ${why}`);
  return {
    bytes: spliceSections(
      module,
      new Map([[DATA_SECTION, encodeSection(DATA_SECTION, payload.finish())]]),
    ),
    changes,
  };
}
