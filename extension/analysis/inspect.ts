// The inspection report: the decoded module, V8's verdict and the image plan in one
// plain object. It is exactly what `wasm-cow inspect --json` prints and what the
// extension exports, so both always agree.

import { createHash } from "node:crypto";
import { constExprText, segmentConstant, singleGlobalGet } from "./const-expr";
import { scanFeatures } from "./feature-scan";
import { adviseMemory } from "./image-advice";
import {
  imagePageHashes,
  planImages,
  segmentsOnPage,
  type ImagePlan,
  type MemoryPlan,
  type PlanOptions,
} from "./image-planner";
import { findLandmarks } from "./landmarks";
import { segmentStarts, type SegmentPlacement } from "./segment-layout";
import { readModule } from "./module-reader";
import type { DataSegment, WasmModule } from "./module-types";
import { validateWithV8, type SecondOpinion } from "./v8-validation";
import { wasmtimeVerdict } from "./wasmtime-verdict";
import { emptySegmentColumns, type SegmentColumns } from "../../common/segment-columns";
import type {
  DataSegmentJson,
  ImageJson,
  InspectReport,
  OffsetJson,
} from "../../common/report-types";

export interface InspectOptions extends PlanOptions {
  fileName: string;
  /** Adds a per-page table (segments and non-zero flag) to every image. */
  pageMap?: boolean;
  /** Where V8 lacks a feature the module uses, who gives the second opinion (a child V8
   *  with experimental flags by default; the fuzz suite asks no one, since a child
   *  process per case would cost it 127 ms). */
  secondOpinion?: SecondOpinion;
  /** `WebAssembly.validate`'s answer for these bytes when it was asked already (the
   *  analysis worker asks on another thread while it decodes). */
  v8Validates?: boolean;
}

/** Decodes, validates and plans. Throws DecodeError for malformed input; an invalid
 *  module is reported through `v8.valid === false` (and `wasmtime.compiles === false`). */
export function inspectModule(bytes: Uint8Array, options: InspectOptions): InspectReport {
  const module = readModule(bytes);
  return reportOf(module, planImages(module, options), options);
}

/** The report of a module already decoded and planned (with the same options).
 *  `withSegments: false` leaves `dataSegments` empty, for a caller that makes them later
 *  (`segmentsJsonOf`) or never: 100,000 segments are 100,000 objects. */
export function reportOf(
  module: WasmModule,
  plan: ImagePlan,
  options: InspectOptions,
  { withSegments = true }: { withSegments?: boolean } = {},
): InspectReport {
  const bytes = module.bytes;
  const scan = scanFeatures(module);
  const v8 = validateWithV8(module, scan, options.secondOpinion, options.v8Validates);
  return {
    file: options.fileName,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    wasmtime: wasmtimeVerdict(scan, v8.valid === false ? v8.message : null),
    v8: { ...v8, version: process.versions.v8 },
    features: scan.features,
    sections: module.sections.map((s) => ({
      id: s.id,
      name: s.name,
      customName: s.customName,
      offset: s.headerOffset,
      size: s.end - s.start,
    })),
    types: module.typeCount,
    imports: module.imports.map((i) => ({
      module: i.module,
      name: i.name,
      kind: i.desc.kind,
      offset: i.offset,
    })),
    exports: module.exports.map((e) => ({
      name: e.name,
      kind: e.kind,
      index: e.index,
      signature: e.kind === "func" ? signatureText(module, e.index) : null,
    })),
    functions: {
      imported: module.importedFunctionCount,
      defined: module.functionTypes.length - module.importedFunctionCount,
    },
    tables: module.tables.length,
    globals: {
      imported: module.globals.filter((g) => g.import).length,
      defined: module.globals.filter((g) => !g.import).length,
    },
    tags: module.tagTypes.length,
    elementSegments: module.elementSegmentCount,
    startFunction: module.start,
    memories: module.memories.map((m) => ({
      index: m.index,
      imported: m.import !== null,
      import: m.import ? { module: m.import.module, name: m.import.name } : null,
      name: module.names.memories.get(m.index) ?? null,
      minPages: m.type.min,
      maxPages: m.type.max,
      shared: m.type.shared,
      memory64: m.type.memory64,
      pageSizeLog2: m.type.pageSizeLog2,
      fileOffset: m.offset,
    })),
    dataSegments: withSegments ? segmentsJsonOf(module, plan) : [],
    passiveSegments: module.dataSegments.filter((s) => s.mode === "passive").length,
    plan: {
      pageSize: plan.pageSize,
      denseLimit: plan.denseLimit,
      initialization: plan.initialization,
      segmentedBy: plan.segmentedBy?.code ?? null,
    },
    images: plan.memories.map((m) => imageJson(module, plan, m, options.pageMap ?? false)),
    landmarks: findLandmarks(module),
    warnings: module.warnings,
  };
}

/** A function's type as "(i32, i32) -> i32" ("() -> ()" for none), or null when out of
 *  range (a module V8 will refuse anyway). */
function signatureText(module: WasmModule, func: number): string | null {
  const type = module.funcTypes[module.functionTypes[func] ?? -1];
  if (!type) return null;
  const list = (types: readonly string[]) => `(${types.join(", ")})`;
  return `${list(type.params)} -> ${type.results.length === 1 ? type.results[0]! : list(type.results)}`;
}

function offsetJson(segment: DataSegment): OffsetJson {
  if (segment.memory === null) return null;
  const constant = segmentConstant(segment);
  if (constant !== null) return { kind: "const", value: constant };
  const expr = segment.offsetExpr!;
  const global = singleGlobalGet(expr);
  if (global !== null) return { kind: "global", global };
  return { kind: "expr", text: constExprText(expr) };
}

/** The report's `dataSegments`. */
export function segmentsJsonOf(module: WasmModule, plan: ImagePlan): DataSegmentJson[] {
  const placements = placementsBySegment(module, plan);
  return module.dataSegments.map((segment) => {
    const placement = placements[segment.index];
    return {
      index: segment.index,
      mode: segment.mode,
      memory: segment.memory,
      offset: offsetJson(segment),
      size: segment.size,
      fileOffset: segment.dataOffset,
      name: module.names.data.get(segment.index) ?? null,
      start: placement?.start ?? null,
      bounds: placement?.bounds ?? null,
    };
  });
}

/** The report's segments as the diff reads them (`segmentColumns` of `segmentsJsonOf`),
 *  made without the report's objects. */
export function segmentColumnsOf(module: WasmModule, plan: ImagePlan): SegmentColumns {
  const startOf = segmentStarts(module, plan.bindings);
  const segments = module.dataSegments;
  const count = segments.length;
  const names = module.names.data;
  const columns = emptySegmentColumns(
    count,
    names.size ? segments.map((s) => names.get(s.index) ?? null) : null,
  );
  for (let i = 0; i < count; i++) {
    const segment = segments[i]!;
    const start = segment.memory === null ? null : startOf(segment);
    columns.index[i] = segment.index;
    columns.memory[i] = segment.memory ?? -1;
    if (start !== null) {
      columns.start[i] = start;
      columns.startKnown[i] = 1;
    }
    columns.size[i] = segment.size;
  }
  return columns;
}

/** Each segment's placement by its index: placements come in segment order, one per
 *  active segment (an array, not a map of 100,000 entries). */
function placementsBySegment(
  module: WasmModule,
  plan: ImagePlan,
): (SegmentPlacement | undefined)[] {
  const placements: (SegmentPlacement | undefined)[] = new Array(module.dataSegments.length);
  for (const placement of plan.segments) placements[placement.segment] = placement;
  return placements;
}

function imageJson(
  module: WasmModule,
  plan: ImagePlan,
  memoryPlan: MemoryPlan,
  withPageMap: boolean,
): ImageJson {
  const image = memoryPlan.image;
  const hasBytes = image !== null && image.length > 0;
  const json: ImageJson = {
    memory: memoryPlan.memory,
    static: memoryPlan.static,
    reason: memoryPlan.reason?.code ?? null,
    explanation: memoryPlan.reason?.message ?? null,
    offset: hasBytes ? image.offset : null,
    length: image ? image.length : null,
    pages: image?.pages ?? 0,
    nonzeroPages: image?.nonzeroPages ?? 0,
    zeroPages: image ? image.pages - image.nonzeroPages : 0,
    dataBytes: memoryPlan.dataBytes,
    activeSegments: memoryPlan.activeSegments,
    span: image?.span ?? null,
    sha256: image?.sha256 ?? null,
    advice: adviseMemory(module, plan, memoryPlan),
  };
  const map = image?.nonzeroPageMap;
  if (withPageMap && hasBytes && map) {
    const hashes = imagePageHashes(module, image, plan.pageSize);
    json.pageMap = Array.from({ length: image.pages }, (_, page) => ({
      page,
      address: image.offset + BigInt(page * plan.pageSize),
      nonzero: map[page] === 1,
      hash: hashes[page]!.toString(16).padStart(8, "0"),
      segments: segmentsOnPage(image, page, plan.pageSize),
    }));
  }
  return json;
}
