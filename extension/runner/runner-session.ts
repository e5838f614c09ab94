// Everything the runner process does with modules and instances: plan and build images,
// acquire pool slots, map images, instantiate, initialise, invoke exports and reset,
// each step timed and followed by a page-state snapshot of every memory the instance
// uses. It runs module code, so it only ever runs inside the runner process (and in
// tests); the extension host and the CLI reach it through the runner protocol.

import { rewriteForCow, type ImportedSlotMemory } from "../analysis/cow-rewriter";
import { exportMemories } from "../analysis/memory-exports";
import { scanFeatures } from "../analysis/feature-scan";
import { formatFeatureUse } from "../../common/feature-text";
import { materializeImage, type ImagePlan } from "../analysis/image-planner";
import type { WasmModule } from "../analysis/module-types";
import { v8Implements } from "../analysis/v8-feature-probes";
import { buildImports } from "./instance-imports";
import { NO_SYSCALLS, type Accounting, type NativeAddon } from "./native-backend";
import { blankStep, elapsed, memoryStepState, plannedModule } from "./step-records";
import { exportedTags, thrownText, WasiExit, type KnownTag } from "./call-outcome";
import type {
  SessionConfig,
  InitMode,
  InstantiateOptions,
  LoadModuleRequest,
  ModuleSummary,
} from "./protocol";
import { SlotPool, type SlotImage, type SlotRequest } from "./slot-pool";
import type { OutputMirror } from "./output-mirror";
import { DEFAULT_MAX_OUTPUT_BYTES } from "./limits";
import type { OutputCapture } from "./wasi-output";
import { exportSignature, parseArgument, resultJson } from "./wasm-values";
import type {
  MemoryOrigin,
  MemoryStepState,
  ResetStrategy,
  SlotAffinity,
  SlotView,
  SmapsFigures,
  StepRecord,
  SyscallCounts,
} from "../../common/run-types";
import type { AffinityKey } from "./index-allocator";

interface LoadedModule {
  id: string;
  fileName: string;
  module: WasmModule;
  plan: ImagePlan;
  /** Why copy-on-write instantiation is impossible for this module, or null. */
  cowRefusal: string | null;
  /** Why its memories cannot live in pool slots (it then runs unmodified), or null. */
  unpoolable: string | null;
  images: Map<number, SlotImage>;
  compiled: Partial<Record<"cow" | "eager", Compiled>>;
}

/** A module as V8 runs it: rewritten so that its memories come from pool slots, or, when
 *  no slot can stand for them, unmodified but for exports of its memories (`own`), so that
 *  they can be observed where they are. */
interface Compiled {
  module: WebAssembly.Module;
  slots: ImportedSlotMemory[];
  own: { memory: number; exportName: string }[];
}

interface SlotUse {
  slot: number;
  memoryIndex: number;
}

/** A memory observed where it lives, outside the pool: one the runner made for the
 *  module's memory import (Wasmtime's pool never holds those), or the module's own when
 *  it runs unmodified (a memory no slot can stand for), reached through its export. */
interface InPlaceUse {
  memoryIndex: number;
  memory: WebAssembly.Memory;
  place: "imported" | "own";
}

interface LiveInstance {
  id: number;
  module: LoadedModule;
  mode: InitMode;
  slots: SlotUse[];
  inPlace: InPlaceUse[];
  instance: WebAssembly.Instance | null;
  output: OutputCapture | null;
  /** Tags whose exceptions can be read: the ones made for its imports, the exported ones. */
  tags: KnownTag[];
  /** The code its program exited with (proc_exit), after which it runs no more code. */
  exited: number | null;
}

/** Compiles module bytes; when this V8 lacks a feature the module uses, the error says
 *  which, since V8's own message ("invalid value type") reads as if the module were bad.
 *  The features are scanned only then: a module that compiles never pays for it. */
function compileWithV8(loaded: LoadedModule, bytes: Uint8Array): WebAssembly.Module {
  try {
    return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    const lacks = scanFeatures(loaded.module).features.filter((use) => !v8Implements(use.feature));
    if (!lacks.length) throw error;
    throw new Error(
      `V8 ${process.versions.v8} cannot run this module: it uses ${lacks.map(formatFeatureUse).join("; ")}, which this V8 does not implement (V8 said: ${(error as Error).message})`,
      { cause: error },
    );
  }
}

export class RunnerSession {
  private readonly pool: SlotPool;
  private readonly modules = new Map<string, LoadedModule>();
  private readonly instances = new Map<number, LiveInstance>();
  private nextInstance: number;
  private readonly hostPageSize: number;

  constructor(
    private readonly addon: NativeAddon,
    private readonly options: SessionConfig,
    /** Where WASI output is copied as it is written (the runner's caller), if anywhere. */
    private readonly mirror: OutputMirror | null = null,
  ) {
    this.pool = new SlotPool(addon, options.slots, options.maxUnusedWarmSlots);
    this.hostPageSize = addon.probe().hostPageSize;
    this.nextInstance = options.firstInstanceId ?? 1;
  }

  loadModule(request: LoadModuleRequest): { summary: ModuleSummary; steps: StepRecord[] } {
    // Loaded again (the file was saved): its live instances keep running on what they
    // were made from, and are released as usual.
    this.forgetModule(request.moduleId);
    const { module, plan, step: planStep } = plannedModule(request);

    const imageStart = process.hrtime.bigint();
    const unpoolable = unpoolableReason(module);
    const cowRefusal = unpoolable ?? cowRefusalOf(plan);
    const images = new Map<number, SlotImage>();
    if (!cowRefusal) {
      for (const memoryPlan of plan.memories) {
        const image = memoryPlan.image;
        if (!memoryPlan.static || !image) continue;
        images.set(memoryPlan.memory, {
          native: new this.addon.Image(materializeImage(module, image)),
          offset: Number(image.offset),
        });
      }
    }
    const imageStep = this.moduleStep("image", elapsed(imageStart));
    this.modules.set(request.moduleId, {
      id: request.moduleId,
      fileName: request.fileName,
      module,
      plan,
      cowRefusal,
      unpoolable,
      images,
      compiled: {},
    });
    const summary: ModuleSummary = {
      moduleId: request.moduleId,
      cow: cowRefusal === null,
      cowRefusal,
      images: [...images].map(([memory, image]) => ({
        memory,
        offset: image.offset,
        length: image.native.length,
      })),
    };
    return { summary, steps: [planStep, imageStep] };
  }

  /** The module is gone for good (its editor closed): its live instances end with it,
   *  their slots reset and back in the pool instead of staying "in use". */
  unloadModule(moduleId: string): void {
    const loaded = this.modules.get(moduleId);
    if (!loaded) return;
    for (const live of [...this.instances.values()]) {
      if (live.module.id === moduleId) this.release(live.id, "madvise", 0);
    }
    this.forgetModule(moduleId);
  }

  private forgetModule(moduleId: string): void {
    const loaded = this.modules.get(moduleId);
    if (!loaded) return;
    this.retireWarmSlots(moduleId);
    for (const image of loaded.images.values()) image.native.release();
    this.modules.delete(moduleId);
  }

  /** Drops the warm slots of a module's memories (their memories go to the garbage
   *  collector), so its next instance starts on a fresh memory: the lab's "cow-fresh". */
  retireWarmSlots(moduleId: string): void {
    const loaded = this.modules.get(moduleId);
    if (!loaded) return;
    for (const memory of loaded.module.memories)
      this.pool.purge(affinityKey(moduleId, memory.index));
  }

  /** `provided` imports are for in-process callers only (see ImportOptions). */
  instantiate(
    moduleId: string,
    options: InstantiateOptions,
    provided?: WebAssembly.Imports,
  ): { instance: number; mode: InitMode; steps: StepRecord[] } {
    const loaded = this.modules.get(moduleId);
    if (!loaded) throw new Error(`module ${moduleId} is not loaded`);
    const mode: InitMode = options.init !== "eager" && !loaded.cowRefusal ? options.init : "eager";
    if (mode === "userfaultfd") {
      const probe = this.addon.userfaultProbe();
      if (!probe.available) throw new Error(`userfaultfd is unavailable: ${probe.reason}`);
    }
    const compiled = this.compiled(loaded, mode);
    const live: LiveInstance = {
      id: this.nextInstance++,
      module: loaded,
      mode,
      slots: [],
      inPlace: [],
      instance: null,
      output: null,
      tags: [],
      exited: null,
    };
    const steps: StepRecord[] = [];
    let environment: ReturnType<typeof buildImports>;
    try {
      environment = this.prepare(live, compiled, options, steps, provided);
    } catch (error) {
      // The caller never sees this instance: give back what it had taken.
      for (const { slot } of live.slots) {
        try {
          this.pool.release(slot, "madvise", 0);
        } catch {
          // release() retires a slot whose reset fails; nothing is left to undo.
        }
      }
      throw error;
    }
    this.instances.set(live.id, live);
    steps.push(
      this.timedCall(live, "instantiate", null, () => {
        const instance = new WebAssembly.Instance(compiled.module, environment.imports);
        live.instance = instance;
        environment.output?.attach(instance);
        live.tags.push(...exportedTags(instance.exports, loaded.module));
        for (const { memory, exportName } of compiled.own) {
          const own = instance.exports[exportName] as WebAssembly.Memory;
          live.inPlace.push({ memoryIndex: memory, memory: own, place: "own" });
        }
        return undefined;
      }),
    );
    const wasi = environment.wasi;
    let wasiBound = false;
    if (live.instance && options.initialize) {
      const exports = live.instance.exports;
      const instance = live.instance;
      wasiBound = typeof exports._initialize === "function" || typeof exports._start === "function";
      if (typeof exports._initialize === "function") {
        steps.push(
          this.timedCall(live, "initialize", "_initialize", () =>
            environment.wasi
              ? environment.wasi.initialize(instance)
              : (exports._initialize as () => unknown)(),
          ),
        );
      }
      if (typeof exports._start === "function") {
        steps.push(
          this.timedCall(live, "start", "_start", () =>
            environment.wasi
              ? environment.wasi.start(instance)
              : (exports._start as () => unknown)(),
          ),
        );
      }
    }
    // A WASI module that is neither started nor initialised here (a reactor without
    // _initialize, as SQLite's build is, or initialising turned off) still needs node:wasi
    // to know its memory before any export calls WASI. initialize() binds it and calls
    // `_initialize` if present; it is given the memory alone, so it runs nothing.
    if (live.instance && wasi && !wasiBound && live.instance.exports.memory) {
      wasi.initialize({ exports: { memory: live.instance.exports.memory } });
    }
    return { instance: live.id, mode, steps };
  }

  /** Acquires a slot per defined memory, maps the images and builds the imports. */
  private prepare(
    live: LiveInstance,
    compiled: Compiled,
    options: InstantiateOptions,
    steps: StepRecord[],
    provided: WebAssembly.Imports | undefined,
  ): ReturnType<typeof buildImports> {
    const loaded = live.module;
    const mode = live.mode;
    const requests = compiled.slots.map((slot) => this.slotRequest(loaded, slot, mode));
    for (const request of requests) {
      const started = process.hrtime.bigint();
      const acquired = this.pool.acquire(request.request);
      live.slots.push({ slot: acquired.slot, memoryIndex: request.memory });
      steps.push(
        this.instanceStep(live, "acquire", elapsed(started), NO_SYSCALLS, {
          slot: acquired.slot,
          pick: acquired.pick,
          detail: acquired.retired ? { retired: acquired.retired.reason } : null,
        }),
      );
    }
    for (const [i, request] of requests.entries()) {
      const { slot } = live.slots[i]!;
      const mapped = this.pool.map(slot, request.request);
      steps.push(
        this.instanceStep(live, "map", mapped.ns, mapped.syscalls, {
          slot,
          detail: { alreadyMapped: mapped.alreadyMapped, image: request.request.image !== null },
        }),
      );
    }

    const environment = buildImports(
      loaded.module,
      compiled.slots.map((slot, i) => ({ slot, memory: this.pool.memoryOf(live.slots[i]!.slot) })),
      {
        wasi: options.wasi,
        args: [loaded.fileName],
        maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        mirror: this.mirror,
        ...(provided ? { provided } : {}),
      },
    );
    live.output = environment.output;
    live.tags = [...environment.tags];
    live.inPlace = [...environment.importedMemories].map(([memoryIndex, memory]) => ({
      memoryIndex,
      memory,
      place: "imported" as const,
    }));
    return environment;
  }

  invoke(instanceId: number, exportName: string, args: string[]): StepRecord {
    const live = this.live(instanceId);
    if (!live.instance) throw new Error(`instance ${instanceId} failed to instantiate`);
    if (live.exited !== null)
      throw new Error(
        `instance ${instanceId} exited with code ${live.exited} (proc_exit) and runs no more code: instantiate again`,
      );
    const fn = live.instance.exports[exportName];
    if (typeof fn !== "function") throw new Error(`no exported function "${exportName}"`);
    const signature = exportSignature(live.module.module, exportName, args);
    const values = args.map((text, i) => parseArgument(text, signature.params[i]!, i));
    return this.timedCall(live, "invoke", exportName, () => {
      const returned = (fn as (...a: unknown[]) => unknown)(...values);
      const list = signature.results.length === 1 ? [returned] : ((returned as unknown[]) ?? []);
      return list.map((value, i) => resultJson(value, signature.results[i]!));
    });
  }

  /** Resets every slot the instance used and returns them to the pool. */
  release(instanceId: number, strategy: ResetStrategy, keepResident: number): StepRecord[] {
    const live = this.live(instanceId);
    this.instances.delete(instanceId);
    return live.slots.map(({ slot, memoryIndex }) => {
      const outcome = this.pool.release(slot, strategy, keepResident);
      return this.instanceStep(live, "reset", outcome.reset.ns, outcome.reset.syscalls, {
        slot,
        detail: {
          strategy,
          bytesReset: outcome.reset.bytesReset,
          bytesResident: outcome.reset.bytesResident,
          pagesRestored: outcome.reset.pagesRestored,
          fellBack: outcome.reset.fellBack,
          retired: outcome.retired?.reason ?? null,
        },
        // A retired slot has no memory left to look at.
        slotsForStates: outcome.retired ? [] : [{ slot, memoryIndex }],
      });
    });
  }

  /** The pool's slots, with each affinity as the module id and memory it stands for. */
  poolView(): SlotView[] {
    return this.pool.views().map((view) => ({
      ...view,
      affinity: view.affinity === null ? null : affinityOf(view.affinity),
    }));
  }

  /** A copy of [offset, offset + length) of one of the live instance's memories, for
   *  the hex view; bytes past the accessible end read as nothing (a shorter copy). */
  readMemory(instanceId: number, memoryIndex: number, offset: number, length: number): Uint8Array {
    const live = this.live(instanceId);
    const use = live.slots.find((s) => s.memoryIndex === memoryIndex);
    const memory = use
      ? this.pool.memoryOf(use.slot)
      : live.inPlace.find((i) => i.memoryIndex === memoryIndex)?.memory;
    if (!memory) throw new Error(`instance ${instanceId} has no observable memory ${memoryIndex}`);
    const buffer = memory.buffer;
    const from = Math.min(offset, buffer.byteLength);
    return new Uint8Array(buffer.slice(from, Math.min(from + length, buffer.byteLength)));
  }

  /** The pool memories of a live instance with the image each holds, for in-process
   *  callers (the lab touches and measures them). */
  slotMemoriesOf(
    instanceId: number,
  ): { memoryIndex: number; memory: WebAssembly.Memory; image: SlotImage | null }[] {
    return this.live(instanceId).slots.map(({ slot, memoryIndex }) => ({
      memoryIndex,
      memory: this.pool.memoryOf(slot),
      image: this.pool.mappedImage(slot),
    }));
  }

  /** The live instance's exports, for in-process callers (spec scripts read globals and
   *  memories); null when it failed to instantiate. */
  exportsOf(instanceId: number): WebAssembly.Exports | null {
    return this.live(instanceId).instance?.exports ?? null;
  }

  private live(instanceId: number): LiveInstance {
    const live = this.instances.get(instanceId);
    if (!live) throw new Error(`no live instance ${instanceId}`);
    return live;
  }

  private compiled(loaded: LoadedModule, initMode: InitMode): Compiled {
    // userfaultfd fills the same slots from the same images: the same rewritten module.
    const mode = initMode === "userfaultfd" ? "cow" : initMode;
    const cached = loaded.compiled[mode];
    if (cached) return cached;
    if (loaded.unpoolable) {
      // Memories V8 or the backend cannot take as slots: the module runs as it is, its
      // defined memories exported (the only change) to be observed where they are.
      const defined = loaded.module.memories.filter((m) => !m.import).map((m) => m.index);
      const exported = exportMemories(loaded.module, defined);
      const original = {
        module: compileWithV8(loaded, exported.bytes),
        slots: [],
        own: defined.map((memory) => ({ memory, exportName: exported.names.get(memory)! })),
      };
      loaded.compiled[mode] = original;
      return original;
    }
    // Both modes import the defined memories from pool slots, so every memory can be
    // observed; only "cow" empties segments: those the mapped image holds, and those of
    // a memory whose active segments are all empty (Wasmtime's `None` image: nothing to
    // write).
    const imaged =
      mode === "cow"
        ? new Set(
            loaded.plan.memories
              .filter((m) => loaded.images.has(m.memory) || m.reason?.code === "no-image-needed")
              .map((m) => m.memory),
          )
        : new Set<number>();
    const rewrite = rewriteForCow(loaded.module, imaged);
    const compiled = {
      module: compileWithV8(loaded, rewrite.bytes),
      slots: rewrite.memories,
      own: [],
    };
    loaded.compiled[mode] = compiled;
    return compiled;
  }

  private slotRequest(
    loaded: LoadedModule,
    slot: ImportedSlotMemory,
    mode: InitMode,
  ): { memory: number; request: SlotRequest } {
    return {
      memory: slot.memory,
      request: {
        key: affinityKey(loaded.id, slot.memory),
        limits: {
          initialPages: Number(slot.type.min),
          maximumPages: slot.type.max === null ? null : Number(slot.type.max),
        },
        image: mode === "eager" ? null : (loaded.images.get(slot.memory) ?? null),
        source: mode === "userfaultfd" ? "userfaultfd" : "mapping",
      },
    };
  }

  /** Runs module code for a step; a trap or error becomes the step's `error`. */
  private timedCall(
    live: LiveInstance,
    step: StepRecord["step"],
    exportName: string | null,
    run: () => unknown,
  ): StepRecord {
    const started = process.hrtime.bigint();
    let result: StepRecord["result"] = null;
    let error: string | null = null;
    let exitStatus: number | null = null;
    try {
      const value = run();
      if (Array.isArray(value)) result = value as StepRecord["result"];
      else if (typeof value === "number") result = [resultJson(value, "i32")]; // a WASI exit code
    } catch (caught) {
      // A WASI program's exit is its result (as in the Wasmtime engine), and the end of
      // the instance; anything else is an error, an exception with its tag and payload.
      if (caught instanceof WasiExit) {
        live.exited = exitStatus = caught.code;
        result = [resultJson(caught.code, "i32")];
      } else error = thrownText(caught, live.tags);
    }
    const ns = elapsed(started);
    const output = live.output?.take() ?? null;
    const dropped = output && output.dropped.stdout + output.dropped.stderr > 0;
    return {
      ...this.instanceStep(live, step, ns, NO_SYSCALLS, {
        exportName,
        // Output past the cap is counted, so the report can say how much is missing.
        detail:
          dropped || exitStatus !== null
            ? {
                ...(dropped
                  ? {
                      droppedStdoutBytes: output.dropped.stdout,
                      droppedStderrBytes: output.dropped.stderr,
                    }
                  : {}),
                ...(exitStatus === null ? {} : { exitStatus }),
              }
            : null,
      }),
      result,
      error,
      output:
        output && (output.stdout || output.stderr)
          ? { stdout: output.stdout, stderr: output.stderr }
          : null,
    };
  }

  private moduleStep(step: StepRecord["step"], ns: number): StepRecord {
    return { ...blankStep(step), ns };
  }

  private instanceStep(
    live: LiveInstance,
    step: StepRecord["step"],
    ns: number,
    syscalls: SyscallCounts,
    extra: {
      slot?: number;
      pick?: StepRecord["pick"];
      exportName?: string | null;
      detail?: StepRecord["detail"];
      slotsForStates?: SlotUse[];
    },
  ): StepRecord {
    return {
      ...blankStep(step),
      export: extra.exportName ?? null,
      instance: live.id,
      slot: extra.slot ?? null,
      pick: extra.pick ?? null,
      ns,
      syscalls,
      memories: this.memoryStates(live, extra.slotsForStates),
      detail: extra.detail ?? null,
    };
  }

  /** Page states of every observed memory of the instance (its slots, and those outside
   *  the pool: made for its imports, or its own; a reset looks at the slots it reset),
   *  from the kernel.
   *  Resident and private-dirty bytes come from the page states of exactly the memory's
   *  range: smaps counts whole mappings, takes milliseconds in a V8 process (it walks
   *  every mapping's page tables), and calls the image's memfd pages dirty even when they
   *  were only read (shmem pages have no backing file). Its figures are added on request. */
  private memoryStates(live: LiveInstance, slots?: SlotUse[]): MemoryStepState[] {
    if (this.options.snapshots === false) return [];
    const inSlots = (slots ?? live.slots).map(({ slot, memoryIndex }) => {
      const mapped = this.pool.mappedImage(slot);
      const state = this.memoryState(live, memoryIndex, slot, this.pool.memoryOf(slot), mapped);
      if (!this.pool.servedByUserfaultfd(slot)) return state;
      return {
        ...state,
        origin: { ...state.origin, init: "userfaultfd" as const },
        userfaults: this.pool.userfaultsSinceLastRead(slot),
      };
    });
    const inPlace = slots
      ? []
      : live.inPlace.map(({ memoryIndex, memory, place }) =>
          this.memoryState(live, memoryIndex, place, memory, null),
        );
    return [...inSlots, ...inPlace];
  }

  /** `where`: the slot, or the place of a memory outside the pool. */
  private memoryState(
    live: LiveInstance,
    memoryIndex: number,
    where: number | InPlaceUse["place"],
    memory: WebAssembly.Memory,
    mapped: SlotImage | null,
  ): MemoryStepState {
    const image = mapped ? { offset: mapped.offset, length: mapped.native.length } : null;
    const snapshot = this.addon.snapshot(
      memory,
      image?.offset ?? 0,
      image?.length ?? 0,
      this.options.includePageStates,
    );
    return memoryStepState(snapshot, {
      memory: memoryIndex,
      slot: typeof where === "number" ? where : null,
      origin: memoryOrigin(live, memoryIndex, typeof where === "number" ? "slot" : where, mapped),
      image,
      hostPageSize: this.hostPageSize,
      smaps: this.options.smaps ? smapsFigures(this.addon.accounting(memory)) : null,
    });
  }
}

/** How a memory of the instance got its contents, and why not from an image. */
function memoryOrigin(
  live: LiveInstance,
  memoryIndex: number,
  place: MemoryOrigin["place"],
  mapped: SlotImage | null,
): MemoryOrigin {
  if (mapped) return { place, init: "image", noImage: null };
  const loaded = live.module;
  const plan = loaded.plan.memories.find((m) => m.memory === memoryIndex);
  const noImage =
    plan?.reason?.message ??
    loaded.cowRefusal ??
    (live.mode === "eager" ? "eager initialisation was asked for" : "no image was planned");
  return { place, init: plan && plan.dataBytes > 0 ? "copied" : "none", noImage };
}

function smapsFigures(accounting: Accounting): SmapsFigures {
  const { ns: _ns, ...figures } = accounting;
  return figures;
}

/** The pool's key of one memory of one module. JSON, so that any module id (a URI with
 *  "#" in it, say) maps to one key and back without ambiguity. */
function affinityKey(moduleId: string, memory: number): AffinityKey {
  return JSON.stringify([moduleId, memory]);
}

function affinityOf(key: AffinityKey): SlotAffinity {
  const [moduleId, memory] = JSON.parse(key) as [string, number];
  return { moduleId, memory };
}

/** Why a module cannot run on copy-on-write slots, or null when it can. */
function cowRefusalOf(plan: ImagePlan): string | null {
  if (plan.initialization === "segmented") {
    return `no static image (${plan.segmentedBy!.code}): ${plan.segmentedBy!.message}`;
  }
  const imported = plan.memories.find((m) => m.reason?.code === "module-imports-memory");
  return imported ? imported.reason!.message : null;
}

/** Slots are ordinary non-shared 32-bit V8 memories with 64 KiB pages. */
function unpoolableReason(module: WasmModule): string | null {
  const memory = module.memories.find(
    (m) => !m.import && (m.type.shared || m.type.memory64 || m.type.pageSizeLog2 !== 16),
  );
  if (!memory) return null;
  const kind = memory.type.shared
    ? "shared"
    : memory.type.memory64
      ? "a memory64 memory"
      : "of a custom page size";
  return `memory ${memory.index} is ${kind}: pool slots are ordinary 32-bit V8 memories, so the module runs unmodified (its memories observed where they are)`;
}
