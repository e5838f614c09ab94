// Drives instances of one module for an editor in one engine: instantiate (acquire, map,
// instantiate, initialise), invoke, release with the chosen reset, "instantiate another
// module" to show a remap, and "run to end". The runners are shared by all editors (one
// pool per engine, as one Wasmtime engine would have); this controller keeps the steps and
// slot views its webview shows, and never runs module code itself.

import {
  OTHER_MODULE_MARK,
  type EngineKind,
  type ResetStrategy,
  type StepRecord,
} from "../../common/run-types";
import type { RunAction, RunView } from "../../common/webview-protocol";
import { BinaryWriter, encodeSection } from "../analysis/binary-writer";
import { readModule } from "../analysis/module-reader";
import { imagedVariant } from "../analysis/imaged-variant";
import { RunnerCrashedError, RunnerTimeoutError, type RunnerClient } from "../runner/runner-client";

export interface RunControllerOptions {
  engine: EngineKind;
  /** The runner for instances reset keeping `keepResident` bytes (Wasmtime's reset is
   *  part of its engine: each value has its own runner; V8's runner takes any). */
  clientFor(keepResident: number): RunnerClient;
  moduleId: string;
  fileName: string;
  bytes: Uint8Array;
  /** The host page size the backend probed: images are mapped in pages of this size. */
  pageSize: number;
  denseLimit: number;
  callInitialize: boolean;
  wasi: boolean;
  reset: RunView["reset"];
  /** For the "imaged" engine: what the variant changed (shown with its run). */
  variantChanges?: string[];
  /** Called with the whole view after every change. */
  publish(view: RunView): void;
}

/** A module that owns a memory with the same limits as `bytes`' first defined memory
 *  and one byte of data: what "instantiate another module" loads. Same limits, so a
 *  V8 slot memory fits both and taking the slot over is a real remap (unmap one image,
 *  map the other), as in Wasmtime's pool; other memories fall back to one page. The
 *  memory is exported: Wasmtime's C API sees a memory only through an export. */
export function otherModuleFor(bytes: Uint8Array): Uint8Array {
  const memory = readModule(bytes).memories.find((m) => !m.import);
  const plain =
    memory && !memory.type.shared && !memory.type.memory64 && memory.type.pageSizeLog2 === 16;
  const min = plain ? Number(memory.type.min) : 1;
  const max = plain && memory.type.max !== null ? Number(memory.type.max) : null;
  const memoryType = new BinaryWriter()
    .u32(1)
    .byte(max === null ? 0 : 1)
    .u32(min);
  if (max !== null) memoryType.u32(max);
  const exports = new BinaryWriter().u32(1).name("memory").byte(2).u32(0);
  const data = new BinaryWriter().u32(1).byte(0).byte(0x41).s32(0).byte(0x0b).name("ok");
  return new BinaryWriter()
    .bytes(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))
    .bytes(encodeSection(5, memoryType.finish()))
    .bytes(encodeSection(7, exports.finish()))
    .bytes(encodeSection(11, data.finish()))
    .finish();
}

/** What an engine's controller runs: the module itself, or for the "imaged" engine its
 *  imaged variant, under an id of its own (so slot affinities tell the two apart) and
 *  with the dense limit the variant needs; or why the module has no such variant. */
export function moduleForEngine(
  engine: EngineKind,
  module: { moduleId: string; bytes: Uint8Array; pageSize: number; denseLimit: number },
):
  | Pick<RunControllerOptions, "moduleId" | "bytes" | "denseLimit" | "variantChanges">
  | { refusal: string } {
  if (engine !== "imaged") return module;
  const outcome = imagedVariant(readModule(module.bytes), module);
  if (!outcome.variant) return { refusal: outcome.refusal };
  return {
    moduleId: `${module.moduleId}#imaged`,
    bytes: outcome.variant.bytes,
    denseLimit: outcome.variant.denseLimit,
    variantChanges: outcome.variant.changes,
  };
}

/** Wasmtime resets as its engine was made: madvise, or keep-resident bytes by hand. */
function wasmtimeKeepResident(reset: RunView["reset"]): number {
  if (reset.strategy === "pagemap") {
    throw new Error(
      "the pagemap reset is this tool's own: Wasmtime resets with madvise or keep-resident; choose one of those to run Wasmtime",
    );
  }
  return reset.strategy === "madvise" ? 0 : reset.keepResidentBytes;
}

export class RunController {
  private readonly view: RunView;
  /** The runners this module is loaded in. */
  private readonly loadedIn = new Set<RunnerClient>();
  /** The runner of the live instance, and the reset it was made for. */
  private live: { client: RunnerClient; reset: RunView["reset"] } | null = null;
  /** The runner the pool view comes from: the one used last. */
  private current: RunnerClient | null = null;

  constructor(private readonly options: RunControllerOptions) {
    this.view = {
      engine: options.engine,
      moduleId: options.moduleId,
      otherModuleId: `${options.moduleId}#other`,
      hostPageSize: options.pageSize,
      steps: [],
      slots: [],
      running: false,
      error: null,
      reset: this.wholePages(options.reset),
      liveInstance: null,
      variantChanges: options.variantChanges ?? null,
    };
  }

  setReset(strategy: ResetStrategy, keepResidentBytes: number): void {
    this.view.reset = this.wholePages({ strategy, keepResidentBytes });
    this.publish();
  }

  /** Keep-resident bytes count whole host pages: anything else is rounded down. */
  private wholePages(reset: RunView["reset"]): RunView["reset"] {
    const page = this.options.pageSize;
    return { ...reset, keepResidentBytes: Math.floor(reset.keepResidentBytes / page) * page };
  }

  async perform(action: RunAction): Promise<void> {
    if (this.view.running) return;
    this.view.running = true;
    this.view.error = null;
    this.publish();
    try {
      switch (action.action) {
        case "instantiate":
          await this.instantiate();
          break;
        case "invoke":
          await this.invoke(action.export, action.args);
          break;
        case "release":
          await this.release();
          break;
        case "instantiateOther":
          await this.instantiateOther();
          break;
        case "runToEnd":
          if (this.view.liveInstance === null) await this.instantiate();
          await this.release();
          break;
      }
      if (this.current) this.view.slots = await this.current.request("pool", null);
    } catch (error) {
      this.view.error = error instanceof Error ? error.message : String(error);
      // A time-out or crash took the runner, and the instance with it.
      if (error instanceof RunnerTimeoutError || error instanceof RunnerCrashedError) {
        this.view.liveInstance = null;
        this.live = null;
      }
    } finally {
      this.view.running = false;
      this.publish();
    }
  }

  get hasLiveInstance(): boolean {
    return this.view.liveInstance !== null;
  }

  /** Bytes of the live instance's memory (the hex view's right column). */
  async readLive(memory: number, offset: number, length: number): Promise<Uint8Array> {
    if (this.view.liveInstance === null || !this.live)
      throw new Error("no live instance: instantiate first");
    return this.live.client.request("readMemory", {
      instance: this.view.liveInstance,
      memory,
      offset,
      length,
    });
  }

  dispose(): void {
    for (const client of this.loadedIn) {
      void client
        .request("unloadModule", { moduleId: this.options.moduleId })
        .catch(() => undefined);
    }
  }

  /** The runner for a new instance under the current reset. */
  private clientNow(): RunnerClient {
    const reset = this.view.reset;
    const client = this.options.clientFor(
      this.options.engine === "wasmtime" ? wasmtimeKeepResident(reset) : 0,
    );
    this.current = client;
    return client;
  }

  private async ensureLoaded(client: RunnerClient): Promise<void> {
    if (this.loadedIn.has(client)) return;
    const { moduleId, fileName, bytes, pageSize, denseLimit } = this.options;
    const loaded = await client.request("loadModule", {
      moduleId,
      fileName,
      bytes,
      pageSize,
      denseLimit,
    });
    this.add(loaded.steps);
    this.loadedIn.add(client);
  }

  private async instantiate(): Promise<void> {
    if (this.view.liveInstance !== null) await this.release();
    const client = this.clientNow();
    await this.ensureLoaded(client);
    const started = await client.request("instantiate", {
      moduleId: this.options.moduleId,
      options: { init: "cow", initialize: this.options.callInitialize, wasi: this.options.wasi },
    });
    this.add(started.steps);
    this.view.liveInstance = started.instance;
    this.live = { client, reset: { ...this.view.reset } };
  }

  private async invoke(name: string, args: string[]): Promise<void> {
    if (this.view.liveInstance === null || !this.live)
      throw new Error("no live instance: instantiate first");
    const step = await this.live.client.request("invoke", {
      instance: this.view.liveInstance,
      export: name,
      args,
    });
    this.add([step]);
  }

  private async release(): Promise<void> {
    if (this.view.liveInstance === null || !this.live) return;
    // Wasmtime's instance resets as its engine was made, whatever was chosen since.
    const { strategy, keepResidentBytes } =
      this.options.engine === "wasmtime" ? this.live.reset : this.view.reset;
    const steps = await this.live.client.request("release", {
      instance: this.view.liveInstance,
      strategy,
      keepResident: strategy === "madvise" ? 0 : keepResidentBytes,
    });
    this.view.liveInstance = null;
    this.live = null;
    this.add(steps);
  }

  /** Runs a different module on the pool, so the next instantiation of this one finds
   *  its slot taken over (a warm pick and a remap) when the pool is small. */
  private async instantiateOther(): Promise<void> {
    if (this.view.liveInstance !== null) await this.release();
    const client = this.clientNow();
    const moduleId = this.view.otherModuleId;
    await client.request("loadModule", {
      moduleId,
      fileName: "other.wasm",
      bytes: otherModuleFor(this.options.bytes),
      pageSize: this.options.pageSize,
      denseLimit: this.options.denseLimit,
    });
    const started = await client.request("instantiate", {
      moduleId,
      options: { init: "cow", initialize: false, wasi: false },
    });
    this.add(started.steps.map((step) => ({ ...step, export: step.export ?? OTHER_MODULE_MARK })));
    // The other module resets with madvise; Wasmtime's runner resets as it was made.
    const { strategy, keepResidentBytes } =
      this.options.engine === "wasmtime"
        ? this.view.reset
        : { strategy: "madvise" as const, keepResidentBytes: 0 };
    const released = await client.request("release", {
      instance: started.instance,
      strategy,
      keepResident: strategy === "madvise" ? 0 : keepResidentBytes,
    });
    this.add(released.map((step) => ({ ...step, export: step.export ?? OTHER_MODULE_MARK })));
  }

  private add(steps: StepRecord[]): void {
    this.view.steps.push(...steps);
  }

  private publish(): void {
    this.options.publish({
      ...this.view,
      steps: [...this.view.steps],
      slots: [...this.view.slots],
    });
  }
}
