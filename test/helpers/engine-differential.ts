// The same run in both engines of the runner, in this process: V8 with this tool's CoW
// slots (RunnerSession) and real Wasmtime with its pooling allocator (WasmtimeSession),
// configured alike (slots, warm slots, reset). Each instance is instantiated, called and
// released in both; the result is, per step that both engines have, the page-state counts
// the kernel reported after it, and the slot pick, as the editor's side-by-side view pairs
// them (common/engine-comparison.ts).

import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import type { NativeAddon } from "../../extension/runner/native-backend";
import type { SessionConfig } from "../../extension/runner/protocol";
import { RunnerSession } from "../../extension/runner/runner-session";
import { WasmtimeSession } from "../../extension/runner/wasmtime-session";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { engineSteps, type EngineStep } from "../../common/engine-comparison";
import type { ResetStrategy, StepRecord } from "../../common/run-types";

export interface Invocation {
  name: string;
  args: string[];
}

/** What is compared: the steps both engines have (common/engine-comparison.ts), with an
 *  error reduced to "failed" (each engine words its errors its own way). */
export interface DifferentialRun {
  v8: EngineStep[];
  wasmtime: EngineStep[];
}

export interface DifferentialOptions {
  slots: number;
  maxUnusedWarmSlots: number;
  strategy: Extract<ResetStrategy, "madvise" | "keep-resident">;
  keepResident: number;
}

let loaded = false;

/** Both sessions, loaded with the same modules by id. */
export class EngineDifferential {
  private readonly v8: RunnerSession;
  private readonly wasmtime: WasmtimeSession;

  constructor(
    addon: NativeAddon,
    private readonly options: DifferentialOptions,
  ) {
    if (!loaded) {
      const search = findWasmtime();
      if (!("found" in search)) throw new Error(search.missing);
      addon.loadWasmtime(search.found.path);
      loaded = true;
    }
    const config: SessionConfig = {
      slots: options.slots,
      maxUnusedWarmSlots: options.maxUnusedWarmSlots,
      includePageStates: false,
    };
    this.v8 = new RunnerSession(addon, config);
    this.wasmtime = new WasmtimeSession(addon, config, {
      totalMemories: options.slots,
      maxUnusedWarmSlots: options.maxUnusedWarmSlots,
      keepResident: options.strategy === "madvise" ? 0 : options.keepResident,
    });
  }

  load(moduleId: string, bytes: Uint8Array): void {
    const request = {
      moduleId,
      fileName: `${moduleId}.wasm`,
      bytes,
      pageSize: 4096,
      denseLimit: DEFAULT_DENSE_LIMIT,
    };
    this.v8.loadModule(request);
    this.wasmtime.loadModule(request);
  }

  /** One instance of `moduleId` in each engine: instantiate, the calls, release. */
  run(moduleId: string, calls: Invocation[]): DifferentialRun {
    return {
      v8: this.instance(this.v8, moduleId, calls),
      wasmtime: this.instance(this.wasmtime, moduleId, calls),
    };
  }

  private instance(
    session: RunnerSession | WasmtimeSession,
    moduleId: string,
    calls: Invocation[],
  ): EngineStep[] {
    const started = session.instantiate(moduleId, { init: "cow", initialize: true, wasi: false });
    const steps: StepRecord[] = [...started.steps];
    if (steps.every((s) => s.error === null)) {
      for (const call of calls) steps.push(session.invoke(started.instance, call.name, call.args));
    }
    steps.push(
      ...session.release(started.instance, this.options.strategy, this.options.keepResident),
    );
    return engineSteps(steps).map((step) => ({
      ...step,
      error: step.error === null ? null : "failed",
    }));
  }
}
