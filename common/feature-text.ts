// A feature's first use in words, for the engines' verdicts.

import { hex } from "./format";
import type { FeatureUse } from "./wasm-features";

/** "legacy-exceptions (`try` in function 15051 at byte 0x5ac9b7)". */
export function formatFeatureUse(use: FeatureUse): string {
  const where = use.function === null ? "" : ` in function ${use.function}`;
  return `${use.feature} (\`${use.what}\`${where} at byte ${hex(use.offset)})`;
}
