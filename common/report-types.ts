// The inspection report's types: the decoded module, the engine verdicts and the image
// plan, as `inspectModule` returns them (64-bit values as bigints). It is exactly what
// `wasm-cow inspect --json` prints, what the extension exports and what the webview
// parses (report-json.ts), so all of them agree.

import type { LandmarkName } from "./memory-regions";
import type { FeatureUse, WasmFeature } from "./wasm-features";

export type ReasonCode =
  | "imported-memory-segment"
  | "non-constant-offset"
  | "offset-overflow"
  | "out-of-bounds"
  | "minimum-size-overflow"
  | "page-size-too-small"
  | "too-sparse"
  | "memory-imported"
  | "module-imports-memory"
  | "image-exceeds-minimum"
  | "no-image-needed";

export type SegmentBounds = "in-bounds" | "out-of-bounds" | "unknown";

export interface WasmtimeVerdict {
  version: string;
  /** null when the scan met an instruction it does not know. */
  compiles: boolean | null;
  /** Why not, or why unknown; null when it compiles. */
  reason: string | null;
  advice: string[];
}

export interface FlaggedVerdict {
  flags: string[];
  valid: boolean;
  message: string | null;
  offset: number | null;
  /** Features of the module that the flagged V8 still does not implement. */
  lacking: WasmFeature[];
}

export interface V8Verdict {
  /** null when no V8 at hand implements every feature the module uses. */
  valid: boolean | null;
  message: string | null;
  /** Byte offset from V8's "@+N" suffix, when it gives one. */
  offset: number | null;
  /** Features the module uses that this V8 does not implement, in order of first use. */
  lacking: WasmFeature[];
  /** The verdict of a child V8 with experimental flags for the lacking features; it
   *  decides `valid` only when that V8 implements all of them. */
  withFlags: FlaggedVerdict | null;
}

export type OffsetJson =
  | { kind: "const"; value: bigint }
  | { kind: "global"; global: number }
  | { kind: "expr"; text: string }
  | null;

export interface DataSegmentJson {
  index: number;
  mode: "active" | "passive";
  memory: number | null;
  offset: OffsetJson;
  size: number;
  fileOffset: number;
  name: string | null;
  /** Evaluated start address (null when unknown or passive). */
  start: bigint | null;
  bounds: SegmentBounds | null;
}

/** A global the linker defines (common/memory-regions.ts), found in the module. */
export interface LandmarkJson {
  name: LandmarkName;
  global: number;
  via: "export" | "name section";
  /** Its initial value when that is a constant; null for an imported global or an
   *  initialiser that is an expression. */
  value: bigint | null;
  mutable: boolean;
}

export interface PageJson {
  page: number;
  address: bigint;
  nonzero: boolean;
  /** FNV-1a (32-bit, 8 hex digits) of the page's bytes, as the compare view hashes them:
   *  a stored report compared later (`wasm-cow diff`) tells changed pages by it. */
  hash: string;
  segments: number[];
}

export interface ImageJson {
  memory: number;
  static: boolean;
  reason: ReasonCode | null;
  explanation: string | null;
  offset: bigint | null;
  length: number | null;
  pages: number;
  nonzeroPages: number;
  zeroPages: number;
  dataBytes: number;
  activeSegments: number;
  /** Span of the non-empty segments before trimming: the density test's input. */
  span: number | null;
  sha256: string | null;
  advice: string[];
  pageMap?: PageJson[];
}

export interface InspectReport {
  file: string;
  size: number;
  sha256: string;
  /** First: a module Wasmtime will not compile gets no image at all, whatever the plan. */
  wasmtime: WasmtimeVerdict;
  v8: V8Verdict & { version: string };
  /** The proposals the module uses, each at its first use. */
  features: FeatureUse[];
  sections: { id: number; name: string; customName: string | null; offset: number; size: number }[];
  types: number;
  imports: { module: string; name: string; kind: string; offset: number }[];
  /** `signature`: a function's parameter and result types, "(i32, i32) -> i32"; null
   *  for other kinds (and for a function whose type is out of range). */
  exports: { name: string; kind: string; index: number; signature: string | null }[];
  functions: { imported: number; defined: number };
  tables: number;
  globals: { imported: number; defined: number };
  tags: number;
  elementSegments: number;
  startFunction: number | null;
  memories: {
    index: number;
    imported: boolean;
    import: { module: string; name: string } | null;
    name: string | null;
    minPages: bigint;
    maxPages: bigint | null;
    shared: boolean;
    memory64: boolean;
    pageSizeLog2: number;
    fileOffset: number;
  }[];
  dataSegments: DataSegmentJson[];
  passiveSegments: number;
  plan: {
    pageSize: number;
    denseLimit: number;
    initialization: "static" | "segmented";
    segmentedBy: ReasonCode | null;
  };
  images: ImageJson[];
  /** The linker's globals that say where memory 0's static data, stack and heap lie. */
  landmarks: LandmarkJson[];
  warnings: string[];
}

/** One core module inside a component, with its own report (offsets in the report are
 *  the module's own; add `offset` for the component file's). */
export interface ComponentModuleJson {
  /** "component → component 1 → module 0" */
  path: string;
  componentPath: number[];
  index: number;
  name: string | null;
  offset: number;
  length: number;
  report: InspectReport;
}

/** `wasm-cow inspect` of a component: every core module planned as Wasmtime plans it. */
export interface ComponentReport {
  kind: "component";
  file: string;
  size: number;
  sha256: string;
  name: string | null;
  imports: { name: string; kind: string }[];
  exports: { name: string; kind: string }[];
  components: { path: string; offset: number; length: number }[];
  modules: ComponentModuleJson[];
  summary: {
    modules: number;
    /** Bytes of every core module's static images (those Wasmtime maps) together. */
    imageBytes: number;
    /** Of those, bytes of pages that hold a non-zero byte. */
    nonzeroImageBytes: number;
    /** The module with the most image bytes, when any has an image. */
    largestImage: { path: string; bytes: number } | null;
  };
}

/** The editor's view of a component: its core modules to pick from, and which one the
 *  other views show (offsets in that report are the module's own). */
export interface ComponentView {
  name: string | null;
  modules: {
    path: string;
    name: string | null;
    /** Where the module's bytes start in the component file. */
    offset: number;
    length: number;
    /** Bytes of its static images; 0 without one. */
    imageBytes: number;
  }[];
  /** Index into `modules` of the module shown. */
  chosen: number;
  imports: { name: string; kind: string }[];
  exports: { name: string; kind: string }[];
}
