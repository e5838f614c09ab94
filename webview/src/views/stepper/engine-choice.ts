// Which engine the Instantiation and Slot pool tabs run: the V8 emulation, real Wasmtime,
// or both side by side (each action runs in V8, then in Wasmtime).

import type { EngineKind } from "../../../../common/run-types";

export type EngineChoice = EngineKind | "both";

export function enginesOf(choice: EngineChoice): EngineKind[] {
  return choice === "both" ? ["v8", "wasmtime"] : [choice];
}

export function choiceOf(engines: readonly EngineKind[]): EngineChoice {
  return engines.length > 1 ? "both" : (engines[0] ?? "v8");
}
