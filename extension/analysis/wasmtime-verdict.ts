// "Will Wasmtime compile it?", from the features a module uses against Wasmtime 49's
// default configuration. Every entry was checked against the real Wasmtime 49.0.0
// (test/oracle/wasmtime-images.test.ts compiles a probe module per feature with the
// default Config and compares with this table); Wasmtime's `Config` documentation names
// the switches.

import { formatFeatureUse } from "../../common/feature-text";
import type { FeatureScan, FeatureUse, WasmFeature } from "../../common/wasm-features";
import type { WasmtimeVerdict } from "../../common/report-types";

export const WASMTIME_VERSION = "49.0.0";

type Support =
  | { kind: "default" }
  /** Implemented, off by default: `config` is the Config method, `flag` the CLI's -W. */
  | { kind: "off"; config: string; flag: string }
  /** No switch makes Wasmtime compile it. */
  | { kind: "unsupported"; why: string; advice: string };

const ON: Support = { kind: "default" };
/** Proposals Wasmtime 49's validator refuses by default and its C API offers no switch
 *  for: nothing an embedder configures makes such a module compile. */
const EXPERIMENTAL: Support = {
  kind: "unsupported",
  why: "Wasmtime 49 refuses this proposal in its default configuration, and its C API has no switch for it",
  advice:
    "build without this proposal: it is experimental and no released Wasmtime embedding enables it",
};

const WASMTIME_49: Readonly<Record<WasmFeature, Support>> = {
  "sign-extension": ON,
  "saturating-float-to-int": ON,
  "multi-value": ON,
  "mutable-globals": ON,
  "bulk-memory": ON,
  "reference-types": ON,
  simd: ON,
  "relaxed-simd": ON,
  threads: ON,
  exceptions: ON,
  "tail-call": ON,
  "function-references": ON,
  gc: ON,
  "multi-memory": ON,
  memory64: ON,
  "extended-const": ON,
  "wide-arithmetic": ON,
  "legacy-exceptions": {
    kind: "unsupported",
    why: 'Wasmtime implements only the standard exception-handling encoding (try_table, throw_ref); its validator refuses the legacy one ("legacy_exceptions feature required") and Cranelift cannot translate it',
    advice:
      "rebuild with the standard exception-handling encoding (Emscripten 4 or later: -fwasm-exceptions -sWASM_LEGACY_EXCEPTIONS=0), or convert the built module with Binaryen: wasm-opt --translate-to-exnref -all",
  },
  "custom-page-sizes": {
    kind: "off",
    config: "Config::wasm_custom_page_sizes(true)",
    flag: "-W custom-page-sizes",
  },
  "stack-switching": {
    kind: "off",
    config: "Config::wasm_stack_switching(true)",
    flag: "-W stack-switching",
  },
  "shared-everything-threads": EXPERIMENTAL,
  "memory-control": EXPERIMENTAL,
  "custom-descriptors": EXPERIMENTAL,
};

/** The verdict for a module that decoded; `invalid` is a validator's rejection that no
 *  missing feature explains (the module is invalid for every engine). */
export function wasmtimeVerdict(scan: FeatureScan, invalid: string | null): WasmtimeVerdict {
  const blocking = scan.features.filter((use) => WASMTIME_49[use.feature].kind !== "default");
  if (blocking.length) {
    return {
      version: WASMTIME_VERSION,
      compiles: false,
      reason: blocking.map(blockingReason).join("; "),
      advice: blocking.map(blockingAdvice),
    };
  }
  if (invalid !== null) {
    return {
      version: WASMTIME_VERSION,
      compiles: false,
      reason: `the module is invalid: ${invalid}`,
      advice: [],
    };
  }
  const unknown = scan.unknownInstruction;
  if (unknown) {
    return {
      version: WASMTIME_VERSION,
      compiles: null,
      reason: `function ${unknown.function} holds an instruction this tool does not know (${unknown.opcode} at byte 0x${unknown.offset.toString(16)}): what it needs from Wasmtime is unknown`,
      advice: [],
    };
  }
  return { version: WASMTIME_VERSION, compiles: true, reason: null, advice: [] };
}

function blockingReason(use: FeatureUse): string {
  const support = WASMTIME_49[use.feature];
  const what = `uses ${formatFeatureUse(use)}`;
  if (support.kind === "unsupported") return `${what}: ${support.why}`;
  return `${what}, which is off in Wasmtime ${WASMTIME_VERSION}'s default configuration`;
}

function blockingAdvice(use: FeatureUse): string {
  const support = WASMTIME_49[use.feature];
  if (support.kind === "unsupported") return support.advice;
  if (support.kind === "off") {
    return `enable ${use.feature} in the embedding: ${support.config} (wasmtime CLI: ${support.flag})`;
  }
  throw new Error(`${use.feature} does not block compilation`);
}
