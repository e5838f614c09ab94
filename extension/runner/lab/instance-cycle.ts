// One instance's life under a lab strategy, through the same RunnerSession that
// `wasm-cow run` uses: instantiate (acquire, map, instantiate, initialise), the
// workload, and the reset. The lab's main loop and its worker threads both run it.

import { DEFAULT_DENSE_LIMIT } from "../../analysis/image-planner";
import type { LabInvoke, LabStrategy } from "../../../common/lab-types";
import type { StepRecord } from "../../../common/run-types";
import type { NativeAddon } from "../native-backend";
import type { InitMode, ModuleSummary } from "../protocol";
import { RunnerSession } from "../runner-session";

/** The session mode behind each strategy; cow-fresh also drops its slot after reset. */
export const STRATEGY_INIT: Readonly<Record<LabStrategy, InitMode>> = {
  eager: "eager",
  "cow-fresh": "cow",
  "cow-affine": "cow",
  userfaultfd: "userfaultfd",
  wasmtime: "cow",
};

/** What a cycle needs of a session: this tool's (RunnerSession) or real Wasmtime's. */
export type LabSession = Pick<RunnerSession, "instantiate" | "invoke" | "release">;

/** The moduleId every lab session loads its one module under. */
export const LAB_MODULE = "lab";

export interface CycleTimes {
  instantiateNs: number;
  workloadNs: number;
  resetNs: number;
}

/** The steps' own durations, summed by phase (what each step measured of itself). */
function nsOf(steps: StepRecord[]): number {
  return steps.reduce((sum, step) => sum + step.ns, 0);
}

/** The first step that failed, as an error: a lab figure over failed steps would lie. */
function assertSucceeded(steps: StepRecord[]): void {
  const failed = steps.find((step) => step.error !== null);
  if (failed) {
    const what = failed.export ? `${failed.step} ${failed.export}` : failed.step;
    throw new Error(`${what} failed: ${failed.error}`);
  }
}

export class InstanceCycle {
  /** `afterReset`: what follows each reset (cow-fresh drops the slot's memory). */
  constructor(
    private readonly session: LabSession,
    private readonly strategy: LabStrategy,
    private readonly invokes: LabInvoke[],
    private readonly afterReset: (() => void) | null = null,
  ) {}

  /** Instantiates and runs the workload; the instance stays live. */
  start(): { instance: number; instantiateNs: number; workloadNs: number } {
    const created = this.session.instantiate(LAB_MODULE, {
      init: STRATEGY_INIT[this.strategy],
      initialize: true,
      wasi: true,
    });
    assertSucceeded(created.steps);
    const invoked = this.invokes.map(({ name, args }) =>
      this.session.invoke(created.instance, name, args),
    );
    assertSucceeded(invoked);
    return {
      instance: created.instance,
      instantiateNs: nsOf(created.steps),
      workloadNs: nsOf(invoked),
    };
  }

  /** Resets the instance's slots (madvise, as Wasmtime does by default). */
  finish(instance: number): number {
    const steps = this.session.release(instance, "madvise", 0);
    assertSucceeded(steps);
    this.afterReset?.();
    return nsOf(steps);
  }

  run(): CycleTimes {
    const { instance, instantiateNs, workloadNs } = this.start();
    return { instantiateNs, workloadNs, resetNs: this.finish(instance) };
  }
}

/** A cycle of `strategy` on a session of this tool's (cow-fresh drops its slots after
 *  each reset, so the next instance gets a new memory). */
export function toolCycle(
  session: RunnerSession,
  strategy: LabStrategy,
  invokes: LabInvoke[],
): InstanceCycle {
  const retire = strategy === "cow-fresh" ? () => session.retireWarmSlots(LAB_MODULE) : null;
  return new InstanceCycle(session, strategy, invokes, retire);
}

/** A session for the lab with the module loaded: no per-step snapshots (the figures are
 *  the steps' own times; observing would add to them), `slots` slots kept warm. */
export function openLabSession(
  addon: NativeAddon,
  module: { fileName: string; bytes: Uint8Array },
  slots: number,
): { session: RunnerSession; summary: ModuleSummary } {
  const session = new RunnerSession(addon, {
    slots,
    maxUnusedWarmSlots: slots,
    includePageStates: false,
    snapshots: false,
  });
  return { session, summary: loadLabModule(addon, session, module) };
}

/** Loads the lab's module into a session of either engine, planned with the defaults. */
export function loadLabModule(
  addon: NativeAddon,
  session: Pick<RunnerSession, "loadModule">,
  module: { fileName: string; bytes: Uint8Array },
): ModuleSummary {
  return session.loadModule({
    moduleId: LAB_MODULE,
    fileName: module.fileName,
    bytes: module.bytes,
    pageSize: addon.probe().hostPageSize,
    denseLimit: DEFAULT_DENSE_LIMIT,
  }).summary;
}
