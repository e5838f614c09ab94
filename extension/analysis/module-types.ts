// The decoded shape of a core WebAssembly module. Every part keeps its byte offset in
// the file; segment payloads are views into the input buffer, never copies.

/** One instruction of a constant expression, with its immediates decoded. */
export type ConstInstr =
  | { op: "i32.const"; value: number }
  | { op: "i64.const"; value: bigint }
  | { op: "f32.const" | "f64.const" | "v128.const" }
  | { op: "global.get"; index: number }
  | { op: "ref.null"; heapType: string }
  | { op: "ref.func"; index: number }
  | { op: "i32.add" | "i32.sub" | "i32.mul" | "i64.add" | "i64.sub" | "i64.mul" }
  | { op: string; immediates: number[] };

export interface ConstExpr {
  instrs: ConstInstr[];
  /** Byte range [start, end) including the final `end` opcode. */
  start: number;
  end: number;
}

export type SectionName =
  | "custom"
  | "type"
  | "import"
  | "function"
  | "table"
  | "memory"
  | "global"
  | "export"
  | "start"
  | "element"
  | "code"
  | "data"
  | "datacount"
  | "tag";

export interface Section {
  id: number;
  name: SectionName;
  /** For custom sections, the name in the section header. */
  customName: string | null;
  /** Offset of the section id byte. */
  headerOffset: number;
  /** Payload range [start, end). */
  start: number;
  end: number;
}

export interface Limits {
  min: bigint;
  max: bigint | null;
}

export interface MemoryType extends Limits {
  shared: boolean;
  memory64: boolean;
  /** log2 of the page size: 16 unless the custom-page-sizes proposal sets it. */
  pageSizeLog2: number;
}

export interface TableType extends Limits {
  refType: string;
  table64: boolean;
}

export interface GlobalType {
  valType: string;
  mutable: boolean;
}

export interface ImportRef {
  module: string;
  name: string;
}

export type ImportDesc =
  | { kind: "func"; typeIndex: number }
  | { kind: "table"; type: TableType }
  | { kind: "memory"; type: MemoryType }
  | { kind: "global"; type: GlobalType }
  | { kind: "tag"; typeIndex: number };

export interface Import extends ImportRef {
  offset: number;
  desc: ImportDesc;
}

export interface Memory {
  index: number;
  offset: number;
  type: MemoryType;
  import: ImportRef | null;
}

export interface Global {
  index: number;
  offset: number;
  type: GlobalType;
  import: ImportRef | null;
  /** The initialiser of a defined global; null for imports. */
  init: ConstExpr | null;
}

export interface Table {
  index: number;
  offset: number;
  type: TableType;
  import: ImportRef | null;
}

export type ExportKind = "func" | "table" | "memory" | "global" | "tag";

export interface Export {
  name: string;
  kind: ExportKind;
  index: number;
  offset: number;
}

export interface DataSegment {
  readonly index: number;
  /** Offset of the segment's flags byte. */
  readonly entryOffset: number;
  readonly mode: "active" | "passive";
  /** Target memory of an active segment. */
  readonly memory: number | null;
  readonly offsetExpr: ConstExpr | null;
  /** The offset, unsigned, when the offset expression is exactly one `i32.const` (what
   *  linkers emit); -1 otherwise. Read for every segment where decoding each offset
   *  expression again would be 100,000 decodings. */
  readonly i32Offset: number;
  /** Offset of the payload's length (LEB128), right after the header. */
  readonly lengthOffset: number;
  /** The payload: a view into the module bytes. */
  readonly data: Uint8Array;
  /** The payload's length in bytes (`data.length` without making the view). */
  readonly size: number;
  /** File offset of the payload's first byte. */
  readonly dataOffset: number;
}

export interface Names {
  module: string | null;
  functions: Map<number, string>;
  memories: Map<number, string>;
  globals: Map<number, string>;
  data: Map<number, string>;
}

export interface FuncType {
  params: string[];
  results: string[];
}

export interface WasmModule {
  bytes: Uint8Array;
  sections: Section[];
  /** Number of entries in the type section (rec groups count their members). */
  typeCount: number;
  /** Signature of every type that is a function type (null for struct, array and cont types). */
  funcTypes: (FuncType | null)[];
  imports: Import[];
  /** Type index of every function, imported ones first. */
  functionTypes: Uint32Array;
  importedFunctionCount: number;
  tables: Table[];
  memories: Memory[];
  globals: Global[];
  /** Type index of every tag, imported ones first (a tag's payload is its params). */
  tagTypes: number[];
  exports: Export[];
  start: number | null;
  elementSegmentCount: number;
  dataCount: number | null;
  /** Code bodies as [start, end) pairs, flattened: body i is [2i, 2i+1]. */
  codeBodies: Uint32Array;
  dataSegments: DataSegment[];
  names: Names;
  /** Problems in custom sections, which never make a module malformed. */
  warnings: string[];
}
