// V8 as the validator: the reader checks structure, V8 checks types and instructions.
// V8 is advisory: one engine lacking a feature is no verdict on the module. A rejection
// counts only from a V8 that implements every feature the module uses (probed, see
// v8-feature-probes.ts); otherwise the verdict is null, with the reason, and a child V8
// with experimental flags gives a second opinion where flags exist.

import { formatFeatureUse } from "../../common/feature-text";
import type { WasmModule } from "./module-types";
import { withoutDataPayloads } from "./payload-free";
import { V8_EXPERIMENTAL_FLAGS, v8Implements } from "./v8-feature-probes";
import { tidyV8Message, validateWithFlags } from "./v8-flag-retry";
import type { FeatureScan, WasmFeature } from "../../common/wasm-features";
import type { FlaggedVerdict, V8Verdict } from "../../common/report-types";

/** V8's words for a limit of its own ("larger than implementation limit", "exceeds
 *  internal limit"), as opposed to a rule of the specification. */
const IMPLEMENTATION_LIMIT = /implementation limit|internal limit/;

/** V8 names a flag for what it lacks ("enable with --experimental-wasm-gc"). */
const FLAG_IN_MESSAGE = /enable (?:with|via) (--experimental-wasm-[\w-]+)/;

/** Asks a child V8 with `flags` (v8-flag-retry.ts); null when it cannot answer. */
export type SecondOpinion = (
  bytes: Uint8Array,
  flags: string[],
  lacking: WasmFeature[],
) => FlaggedVerdict | null;

export function validateWithV8(
  module: WasmModule,
  scan: FeatureScan,
  secondOpinion: SecondOpinion = validateWithFlags,
  /** `WebAssembly.validate(module.bytes)`, when already asked. */
  validates?: boolean,
): V8Verdict {
  // The editor's bytes may sit in a SharedArrayBuffer (read-shared-file.ts): V8 takes
  // those as well, validating a private copy.
  const bytes = module.bytes as Uint8Array<ArrayBuffer>;
  // Asked first without the data payloads (payload-free.ts), which cannot change the
  // answer; a rejection is asked again of the real bytes, which have the last word.
  const asked = () =>
    WebAssembly.validate(withoutDataPayloads(module) as Uint8Array<ArrayBuffer>) ||
    WebAssembly.validate(bytes);
  if (validates ?? asked()) {
    return { valid: true, message: null, offset: null, lacking: [], withFlags: null };
  }
  let raw = "rejected by WebAssembly.validate";
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    raw = error instanceof Error ? error.message : String(error);
  }
  const at = /@\+(\d+)/.exec(raw);
  const v8Said = tidyV8Message(raw);
  const offset = at ? Number(at[1]) : null;
  const lackingUses = scan.features.filter((use) => !v8Implements(use.feature));
  const askedFlag = FLAG_IN_MESSAGE.exec(raw)?.[1];
  if (!lackingUses.length && !askedFlag) {
    return rejection(v8Said, offset, { lacking: [], withFlags: null });
  }
  const lacking = lackingUses.map((use) => use.feature);
  const flags = [
    ...new Set([
      ...lacking.flatMap((f) => V8_EXPERIMENTAL_FLAGS[f] ?? []),
      ...(askedFlag ? [askedFlag] : []),
    ]),
  ];
  const withFlags = flags.length ? secondOpinion(bytes, flags, lacking) : null;
  const decisive = withFlags !== null && withFlags.lacking.length === 0 && lacking.length > 0;
  const version = `V8 ${process.versions.v8}`;
  if (decisive) {
    if (withFlags.valid) return { valid: true, message: null, offset: null, lacking, withFlags };
    return rejection(
      `${withFlags.message} (judged with ${flags.join(" ")}: ${version} implements ${lacking.join(", ")} only behind flags)`,
      withFlags.offset,
      { lacking, withFlags },
    );
  }
  const lacks = lackingUses.length
    ? `the module uses ${lackingUses.map(formatFeatureUse).join("; ")}, which ${version} does not implement`
    : `${version} needs ${askedFlag} for this module, an experimental feature`;
  const retried = withFlags
    ? `; with ${flags.join(" ")} it ${withFlags.lacking.length ? `still lacks ${withFlags.lacking.join(", ")}` : "cannot judge it either"}`
    : "";
  return {
    valid: null,
    message: `${lacks}${retried} (V8 said: ${v8Said})`,
    offset,
    lacking,
    withFlags,
  };
}

/** A rejection by a V8 that implements every feature used: invalid, unless V8 stopped at
 *  a limit of its own (a 2^48-page minimum, say), which is no statement about the module
 *  (Wasmtime 49 compiles such modules and fails only at instantiation). */
function rejection(
  message: string,
  offset: number | null,
  rest: Pick<V8Verdict, "lacking" | "withFlags">,
): V8Verdict {
  if (IMPLEMENTATION_LIMIT.test(message)) {
    return {
      valid: null,
      message: `V8 ${process.versions.v8} stops at one of its implementation limits, which says nothing about validity (V8 said: ${message})`,
      offset,
      ...rest,
    };
  }
  return { valid: false, message, offset, ...rest };
}
