// Whose memory a slot holds, as this editor sees it: its own module, the one-page module
// "Instantiate another module" runs, or a module of another editor (the runner's pool is
// shared by all of them). Modules are told apart by the ids the host gave the runner
// (document URIs), never by file name: two open files called main.wasm are different.

import type { SlotAffinity } from "../../../../common/run-types";
import type { RunView } from "../../../../common/webview-protocol";

export type AffinityOwner = "this" | "other" | "elsewhere";

export function affinityOwner(
  affinity: SlotAffinity,
  run: Pick<RunView, "moduleId" | "otherModuleId">,
): AffinityOwner {
  if (affinity.moduleId === run.moduleId) return "this";
  if (affinity.moduleId === run.otherModuleId) return "other";
  return "elsewhere";
}

/** The file name in a module id (a document URI), for a module of another editor. */
export function moduleFileName(moduleId: string): string {
  const last = moduleId.split(/[/\\]/).at(-1) || moduleId;
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // not URI-encoded after all: show it as it is
  }
}
