// Real RunViews for the stepper and slot pool tests: a RunController (the host's) drives
// a real runner process in the test process, and every view it publishes is kept, so the
// webview gets exactly what the host would send, page states included.

import assert from "node:assert/strict";
import { moduleForEngine, RunController } from "../../extension/editor/run-controller";
import type { RunAction, RunView } from "../../common/webview-protocol";
import { RunnerClient } from "../../extension/runner/runner-client";
import type { EngineConfig } from "../../extension/runner/protocol";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import type { EngineKind } from "../../common/run-types";
import { fixtureBytes } from "../helpers/runner-fixtures";
import { waitUntilGone } from "../helpers/runner-process";
import type { ExampleModule } from "./harness/fixtures";
import type { ReportMessage } from "./harness/messages";
import type { StartOptions, WebviewHarness, WebviewPage } from "./harness/webview-harness";

export const MODULE_URI_DIR = "file:///workspace/modules/";

export type Scripted =
  | RunAction
  | { action: "setReset"; strategy: RunView["reset"]["strategy"]; keepResidentBytes: number };

/** dirty-per-call.wasm on a two-slot pool without spare warm slots: two instances with
 *  touches and resets (madvise, then pagemap), the other module, and a live instance. */
export const DIRTY_PER_CALL_SCRIPT: Scripted[] = [
  { action: "instantiate" },
  { action: "invoke", export: "touch", args: [] },
  { action: "invoke", export: "touch", args: [] },
  { action: "release" },
  { action: "setReset", strategy: "pagemap", keepResidentBytes: 65536 },
  { action: "instantiate" },
  { action: "invoke", export: "touch", args: [] },
  { action: "release" },
  { action: "instantiateOther" },
  { action: "instantiate" },
];

export interface Recorder {
  /** Runs the script for a module; every view the controller published, oldest first
   *  (an action that fails leaves its error in the views, as in the editor). */
  record(
    module: { name: string; bytes: Uint8Array },
    script: readonly Scripted[],
  ): Promise<RunView[]>;
  dispose(): Promise<void>;
}

/** The same script run in two engines at once, a recorder each (added to `recorders`, for
 *  the caller to dispose): each engine's last view, checked to carry no error. */
export async function recordInEngines(
  engines: readonly [EngineKind, EngineKind],
  module: { name: string; bytes: Uint8Array },
  script: readonly Scripted[],
  recorders: Recorder[],
): Promise<[RunView, RunView]> {
  const made = engines.map((engine) => newRecorder(engine));
  recorders.push(...made);
  const views = await Promise.all(
    made.map(async (recorder) => (await recorder.record(module, script)).at(-1)!),
  );
  for (const [i, view] of views.entries()) assert.equal(view.error, null, `${engines[i]}'s run`);
  return views as [RunView, RunView];
}

/** One runner for a test file (two slots, max_unused_warm_slots 0, page states on), in
 *  the V8 engine (for the module or its imaged variant) or in real Wasmtime (the wheel's
 *  library) with the same pool. */
export function newRecorder(engine: EngineKind = "v8"): Recorder {
  const pool = { slots: 2, maxUnusedWarmSlots: 0, includePageStates: true };
  const client = new RunnerClient({
    config: engine === "wasmtime" ? { ...pool, engine: wasmtimeEngine() } : pool,
    timeoutMs: 30_000,
  });
  return {
    record: async (module, script) => {
      const published: RunView[] = [];
      // As the host does: the "imaged" engine runs the module's imaged variant.
      const run = moduleForEngine(engine, {
        moduleId: `${MODULE_URI_DIR}${module.name}`,
        bytes: module.bytes,
        pageSize: 4096,
        denseLimit: 16 << 20,
      });
      if ("refusal" in run) throw new Error(`${module.name} has no imaged variant: ${run.refusal}`);
      const controller = new RunController({
        engine,
        clientFor: () => client,
        fileName: module.name,
        pageSize: 4096,
        ...run,
        callInitialize: true,
        wasi: true,
        reset: { strategy: "madvise", keepResidentBytes: 0 },
        publish: (view) => published.push(view),
      });
      for (const step of script) {
        if (step.action === "setReset") controller.setReset(step.strategy, step.keepResidentBytes);
        else await controller.perform(step);
      }
      return published;
    },
    dispose: async () => {
      const pid = client.pid;
      client.dispose();
      if (pid !== null) await waitUntilGone(pid);
    },
  };
}

function wasmtimeEngine(): EngineConfig {
  const search = findWasmtime();
  if (!("found" in search)) throw new Error(search.missing);
  return {
    kind: "wasmtime",
    library: search.found,
    pooling: { totalMemories: 2, maxUnusedWarmSlots: 0, keepResident: 0 },
  };
}

/** A runner fixture as a module: `wasiHello` (its `_start` writes "hello" to stdout) or
 *  `arithmetic` (exports add, triple, half, stored, bump, boom, spin and a memory). */
export async function fixtureModule(
  name: "wasiHello" | "arithmetic",
): Promise<Pick<ExampleModule, "name" | "bytes">> {
  return { name: `${name}.wasm`, bytes: await fixtureBytes(name) };
}

/** Opens the webview on a module with a run, and shows one of the run tabs. */
export async function openRunTab(
  harness: WebviewHarness,
  options: {
    report: ReportMessage;
    run: RunView | null;
    /** Views of other engines, delivered after `run`. */
    others?: RunView[];
    tab: "Instantiation" | "Slot pool";
    theme?: "light" | "dark" | "high-contrast";
    capabilities?: StartOptions["capabilities"];
  },
): Promise<WebviewPage> {
  const view = await harness.openWebview({ theme: options.theme ?? "dark" });
  await view.start({
    report: options.report,
    then: [options.run, ...(options.others ?? [])].flatMap((run) =>
      run ? [{ type: "run" as const, run }] : [],
    ),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
  });
  await view.page.getByRole("tab", { name: options.tab }).click();
  await view.page.waitForSelector(
    options.tab === "Instantiation" ? "section.stepper" : "section.slot-pool",
  );
  return view;
}

/** Run messages the webview posted, in order. */
export async function postedRuns(view: WebviewPage): Promise<unknown[]> {
  return (await view.posted()).filter((m) => m.type === "run" || m.type === "setReset");
}

/** The controller's page-state names, in the native snapshot's byte order. */
export const STATE_NAMES = [
  "notPresent",
  "zero",
  "imageClean",
  "imageDirty",
  "anonDirty",
  "swapped",
] as const;
