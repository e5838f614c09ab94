// Which engine the Instantiation and Slot pool tabs run: the V8 emulation, real Wasmtime,
// both side by side (each action runs in V8, then in Wasmtime), or "what CoW would have
// saved" (each action runs on the module, then on its imaged variant).

import type { EngineKind } from "../../../../common/run-types";
import type { ReportJson } from "../../../../common/report-json";
import type { ComponentView } from "../../../../common/report-types";
import type { Capabilities } from "../../../../common/webview-protocol";

export type EngineChoice = "v8" | "wasmtime" | "both" | "what-if";

export function enginesOf(choice: EngineChoice): EngineKind[] {
  if (choice === "both") return ["v8", "wasmtime"];
  if (choice === "what-if") return ["v8", "imaged"];
  return [choice];
}

export function choiceOf(engines: readonly EngineKind[]): EngineChoice {
  if (engines.includes("imaged")) return "what-if";
  if (engines.length > 1) return "both";
  return engines[0] === "wasmtime" ? "wasmtime" : "v8";
}

/** The choices this module and this machine allow: Wasmtime where its library was found,
 *  "what CoW would have saved" where a memory with data gets no image. A component runs
 *  in Wasmtime only (V8's JS API has no component model). */
export function offeredChoices(
  capabilities: Capabilities,
  report: ReportJson,
  component: ComponentView | null,
): EngineChoice[] {
  if (component) return capabilities.wasmtime.available ? ["wasmtime"] : [];
  const choices: EngineChoice[] = ["v8"];
  if (capabilities.wasmtime.available) choices.push("wasmtime", "both");
  if (report.images.some((image) => !image.static && image.dataBytes > 0)) choices.push("what-if");
  return choices;
}
