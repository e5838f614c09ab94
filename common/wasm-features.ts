// The WebAssembly proposals a module uses, as the feature scan finds them: the vocabulary
// shared by the scan (feature-scan.ts), the engine verdicts (wasmtime-verdict.ts) and the
// report. Names follow the proposals' repository names.

export const WASM_FEATURES = [
  "sign-extension",
  "saturating-float-to-int",
  "multi-value",
  "mutable-globals",
  "bulk-memory",
  "reference-types",
  "simd",
  "relaxed-simd",
  "threads",
  "exceptions",
  "legacy-exceptions",
  "tail-call",
  "function-references",
  "gc",
  "multi-memory",
  "memory64",
  "extended-const",
  "custom-page-sizes",
  "wide-arithmetic",
  "stack-switching",
  "memory-control",
  "shared-everything-threads",
  "custom-descriptors",
] as const;

export type WasmFeature = (typeof WASM_FEATURES)[number];

/** The first place a module uses one feature. */
export interface FeatureUse {
  feature: WasmFeature;
  /** Function index (imported functions counted) of the first use inside a code body;
   *  null when the first use is outside code (a type, an import, a memory, a constant
   *  expression). */
  function: number | null;
  /** File offset of the first use: the instruction's opcode byte, or the type, limits
   *  or expression that needs the feature. */
  offset: number;
  /** What was met there, in text-format words: "try", "v128 local", "memory 1 is
   *  memory64", "struct type 12". */
  what: string;
}

/** An instruction the scan does not know: it cannot tell what the rest of that body
 *  uses, so no engine verdict can be certain. */
export interface UnknownInstruction {
  function: number;
  offset: number;
  /** The opcode bytes as hex: "0xfc 0x1f". */
  opcode: string;
}

export interface FeatureScan {
  /** One entry per feature used, in order of first use (file offset). */
  features: FeatureUse[];
  /** The first unknown instruction, or null when every body was scanned to its end. */
  unknownInstruction: UnknownInstruction | null;
}
