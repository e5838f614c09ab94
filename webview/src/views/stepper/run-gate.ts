// When run actions may be posted: never without execution (the reason comes from the
// host), and not while an action runs (the host ignores actions then anyway).

import type { EngineKind } from "../../../../common/run-types";
import type { Capabilities, RunAction, RunView } from "../../../../common/webview-protocol";
import { post } from "../../vscode-api";

export interface RunGate {
  /** Null when actions are allowed; otherwise why not, for the user. */
  blocked: string | null;
  running: boolean;
  /** The engines an action runs in. */
  engines: EngineKind[];
}

export function runGate(
  capabilities: Capabilities,
  runs: Partial<Record<EngineKind, RunView>>,
  engines: EngineKind[],
): RunGate {
  if (capabilities.pending) return { blocked: "The runner is starting…", running: false, engines };
  if (!capabilities.execution) {
    // The reason is the notice above the tabs (with what to do about it): said once.
    return {
      blocked: "Execution is unavailable: the notice above says why.",
      running: false,
      engines,
    };
  }
  if (engines.some((engine) => runs[engine]?.running))
    return { blocked: "An action is running…", running: true, engines };
  return { blocked: null, running: false, engines };
}

export function postRun(action: RunAction, gate: RunGate): void {
  if (gate.blocked === null) post({ type: "run", engines: gate.engines, ...action });
}

/** Arguments as the CLI takes them: a comma-separated list (the host parses each by the
 *  parameter's type and reports what does not fit). */
export function parseArguments(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === "" ? [] : trimmed.split(",").map((part) => part.trim());
}
