// The ways a spec script's modules get instantiated: through a RunnerSession (the pool
// of slot memories, with "cow" images mapped or "eager" V8 copies of the rewritten
// module) or the ordinary way (`new WebAssembly.Instance` of the original bytes).

import { createHash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import type { NativeAddon } from "../../extension/runner/native-backend";
import type { InitMode } from "../../extension/runner/protocol";
import { RunnerSession } from "../../extension/runner/runner-session";
import type { ResetStrategy, StepRecord } from "../../common/run-types";

let gc: (() => void) | undefined;

/** Collects garbage now, so the memories of finished sessions (each a large reservation
 *  with VMAs of its own) are unmapped before the next session starts: the session reads
 *  /proc/self/smaps on every step, and that read slows down with every VMA. */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

export interface InstantiationFailure {
  /** The error's class when the engine keeps it ("RuntimeError", "LinkError", …); the
   *  session only reports the message, so null there. */
  errorClass: string | null;
  message: string;
}

export interface Instantiation {
  exports: WebAssembly.Exports | null;
  failure: InstantiationFailure | null;
  /** What the session did ("cow" or "eager"), or "plain" for ordinary instantiation. */
  label: InitMode | "plain";
  /** An image was mapped into a slot for this instance. */
  mappedImage: boolean;
  release(): void;
}

export interface PoolCounts {
  /** Slot picks by kind (cold, warm = another module's slot, affine = same module's). */
  picks: Record<string, number>;
  /** Warm picks where a new image was mapped over a slot another module had used. */
  remaps: number;
  /** Affine picks that found the image still mapped (reset restored it in place). */
  reusedImages: number;
}

export interface Engine {
  readonly name: string;
  /** What the engine asks for: a session's init mode, or ordinary instantiation. */
  readonly init: InitMode | "plain";
  /** The session gives stand-ins for missing imports (the CLI's behaviour), so a script
   *  interpreter must diagnose "unknown import" itself. */
  readonly standsInForMissingImports: boolean;
  readonly pool: PoolCounts;
  /** Compiles and instantiates; throws when the module does not compile. */
  instantiate(bytes: Uint8Array, imports: WebAssembly.Imports): Instantiation;
  /** Why the module is rejected (decoding or validation), or null when accepted. */
  rejection(bytes: Uint8Array): string | null;
  /** Ends the script: unloads everything; returns what was left in a wrong state. */
  close(): string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class PlainEngine implements Engine {
  readonly name = "plain";
  readonly init = "plain";
  readonly standsInForMissingImports = false;
  readonly pool: PoolCounts = { picks: {}, remaps: 0, reusedImages: 0 };

  instantiate(bytes: Uint8Array, imports: WebAssembly.Imports): Instantiation {
    const compiled = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    try {
      const instance = new WebAssembly.Instance(compiled, imports);
      return this.outcome(instance.exports, null);
    } catch (error) {
      const errorClass = error instanceof Error ? error.constructor.name : typeof error;
      return this.outcome(null, { errorClass, message: message(error) });
    }
  }

  rejection(bytes: Uint8Array): string | null {
    try {
      new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      return null;
    } catch (error) {
      return message(error);
    }
  }

  close(): string[] {
    return [];
  }

  private outcome(
    exports: WebAssembly.Exports | null,
    failure: InstantiationFailure | null,
  ): Instantiation {
    return { exports, failure, label: "plain", mappedImage: false, release: () => {} };
  }
}

export interface SessionEngineOptions {
  init: InitMode;
  slots: number;
  maxUnusedWarmSlots: number;
  strategy: ResetStrategy;
  keepResident: number;
}

export class SessionEngine implements Engine {
  readonly name: string;
  readonly init: InitMode;
  readonly standsInForMissingImports = true;
  readonly pool: PoolCounts = { picks: {}, remaps: 0, reusedImages: 0 };
  private readonly session: RunnerSession;
  private readonly pageSize: number;
  /** Module ids by content: a script's repeated modules reuse their loaded module, so
   *  slots are picked affinely and reset images are reused. */
  private readonly loaded = new Map<string, string>();
  private readonly live = new Set<number>();
  private scratchId = 0;

  constructor(
    addon: NativeAddon,
    private readonly options: SessionEngineOptions,
  ) {
    this.init = options.init;
    this.name = `session ${options.init} (${options.strategy}, keep ${options.keepResident})`;
    this.session = new RunnerSession(addon, {
      slots: options.slots,
      maxUnusedWarmSlots: options.maxUnusedWarmSlots,
      includePageStates: false,
    });
    this.pageSize = addon.probe().hostPageSize;
  }

  instantiate(bytes: Uint8Array, imports: WebAssembly.Imports): Instantiation {
    const hash = createHash("sha256").update(bytes).digest("hex");
    let moduleId = this.loaded.get(hash);
    if (!moduleId) {
      moduleId = `m${this.loaded.size}-${hash.slice(0, 12)}`;
      this.load(moduleId, bytes);
      this.loaded.set(hash, moduleId);
    }
    const result = this.session.instantiate(moduleId, this.instantiateOptions(), imports);
    this.live.add(result.instance);
    this.countPicks(result.steps);
    const step = result.steps.find((s) => s.step === "instantiate");
    const failed = step?.error ?? null;
    const id = result.instance;
    return {
      exports: failed === null ? this.session.exportsOf(id) : null,
      failure: failed === null ? null : { errorClass: null, message: failed },
      label: result.mode,
      mappedImage: result.steps.some((s) => s.step === "map" && s.detail?.image === true),
      release: () => {
        if (!this.live.delete(id)) throw new Error(`instance ${id} released twice`);
        this.session.release(id, this.options.strategy, this.options.keepResident);
      },
    };
  }

  rejection(bytes: Uint8Array): string | null {
    const moduleId = `rejection-check-${this.scratchId++}`;
    try {
      this.load(moduleId, bytes);
    } catch (error) {
      return `session.loadModule: ${message(error)}`;
    }
    try {
      const result = this.session.instantiate(moduleId, this.instantiateOptions(), {});
      // It compiled: the rewritten module was accepted (imports were stood in for).
      this.session.release(result.instance, this.options.strategy, this.options.keepResident);
      return null;
    } catch (error) {
      return `session.instantiate: ${message(error)}`;
    } finally {
      this.session.unloadModule(moduleId);
    }
  }

  close(): string[] {
    const problems = [...this.live].map((id) => `instance ${id} was never released`);
    for (const id of this.loaded.values()) this.session.unloadModule(id);
    this.loaded.clear();
    for (const slot of this.session.poolView()) {
      if (slot.state === "in-use") problems.push(`slot ${slot.index} is still in use`);
    }
    return problems;
  }

  private load(moduleId: string, bytes: Uint8Array): void {
    this.session.loadModule({
      moduleId,
      fileName: `${moduleId}.wasm`,
      bytes,
      pageSize: this.pageSize,
      denseLimit: DEFAULT_DENSE_LIMIT,
    });
  }

  private instantiateOptions() {
    return { init: this.options.init, initialize: false, wasi: false };
  }

  private countPicks(steps: StepRecord[]): void {
    for (const [i, step] of steps.entries()) {
      if (step.step !== "acquire" || !step.pick) continue;
      this.pool.picks[step.pick] = (this.pool.picks[step.pick] ?? 0) + 1;
      const map = steps.slice(i).find((s) => s.step === "map" && s.slot === step.slot);
      if (!map?.detail) continue;
      if (step.pick === "warm" && map.detail.image === true && !map.detail.alreadyMapped) {
        this.pool.remaps++;
      }
      if (step.pick === "affine" && map.detail.alreadyMapped === true && map.detail.image) {
        this.pool.reusedImages++;
      }
    }
  }
}
