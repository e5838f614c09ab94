// The runner's session on real Wasmtime: the same requests as the V8 session
// (runner-session.ts), answered by Wasmtime's own pooling allocator. Wasmtime picks the
// slot, maps its own image and resets the slot when a Store is dropped; this session only
// watches, from outside, after every step:
//
// - which slot: a slot is a memory base address. Slots are numbered in the order this
//   session first saw their bases (Wasmtime's own slot index is not in its C API). A base
//   seen before with the same module's memory is an affine reuse, with another module's a
//   warm slot taken over, a new base a cold slot.
// - where the image is: the mappings of the memory's range (mappingsIn), the image being
//   the one of Wasmtime's memfd `wasm-memory-image`; its offset, length and inode are what
//   the kernel says, not what the planner predicted.
// - the page states of the range from the kernel, also after the drop (snapshotAt), which
//   is how Wasmtime's reset is seen.
//
// - the system calls of each call into Wasmtime (mmap, mprotect, madvise, ioctl), from the
//   kernel's syscall tracepoints on the runner's thread where the kernel allows it
//   (syscall-tracepoints.ts); otherwise `syscalls` is null and the detail says why.

import type { WasmModule } from "../analysis/module-types";
import type { ImagePlan } from "../analysis/image-planner";
import { exportMemories } from "../analysis/memory-exports";
import type {
  MemoryStepState,
  PickKind,
  ResetStrategy,
  SlotAffinity,
  SlotView,
  StepRecord,
} from "../../common/run-types";
import { DEFAULT_MAX_OUTPUT_BYTES } from "./limits";
import {
  WASMTIME_TRAP_INTERRUPT,
  type NativeAddon,
  type RangeMappings,
  type WasmtimeEngine,
  type WasmtimeError,
  type WasmtimeValueType,
} from "./native-backend";
import type {
  InitMode,
  InstantiateOptions,
  LoadModuleRequest,
  ModuleSummary,
  SessionConfig,
  WasmtimePooling,
} from "./protocol";
import { blankStep, elapsed, memoryStepState, plannedModule } from "./step-records";
import { thrownText } from "./call-outcome";
import { pageCountsOf } from "../../common/page-states";
import { exportSignature, parseArgument, resultJson } from "./wasm-values";
import { usesWasi } from "./instance-imports";
import { syscallTracepoints, type TracepointIds } from "./syscall-tracepoints";
import { isComponent } from "../analysis/component-reader";
import {
  componentArguments,
  componentResultJson,
  hashImageMemfds,
  planComponent,
  type PlannedComponent,
} from "./wasmtime-components";

/** The name Wasmtime gives the memfd of a module's memory image (as /proc/self/maps shows
 *  it: a memfd's name, deleted since it was never linked). */
export const WASMTIME_IMAGE_MAPPING = "/memfd:wasm-memory-image (deleted)";

/** How often the epoch advances: the granularity of a call's time limit. */
const EPOCH_TICK_MS = 10;

const NUMBER_TYPES: ReadonlySet<string> = new Set(["i32", "i64", "f32", "f64"]);

interface LoadedCoreModule {
  kind: "module";
  id: string;
  fileName: string;
  module: WasmModule;
  plan: ImagePlan;
  engineModule: number;
  /** Each defined memory with the name it is exported under in the compiled module (the
   *  C API reaches a memory only through an export: exportMemories adds missing ones). */
  observable: { memory: number; exportName: string }[];
}

interface LoadedComponent {
  kind: "component";
  id: string;
  fileName: string;
  planned: PlannedComponent;
  engineComponent: number;
  /** The inodes of the memfd images Wasmtime made for this component. */
  inodes: Set<number>;
  /** Image SHA-256 → how many memories with it one instance has (its core instances of
   *  that module), as its first instantiation showed. */
  coreInstances: Record<string, number>;
}

/** A component's core memory's state says which core module it is. */
function withCore(state: MemoryStepState, core: string | null): MemoryStepState {
  return core === null ? state : { ...state, coreModule: core };
}

/** The image plan behind a memory's origin; a component's core memories are found by
 *  their image, so they need none. */
function planOf(loaded: LoadedModule): ImagePlan | null {
  return loaded.kind === "module" ? loaded.plan : null;
}

type LoadedModule = LoadedCoreModule | LoadedComponent;

/** One of Wasmtime's slots, known by its base address. */
interface Slot {
  index: number;
  base: bigint;
  /** The largest accessible length seen at this base. */
  length: number;
  affinity: SlotAffinity | null;
  /** The live instance using it, or null (warm: Wasmtime keeps it for reuse). */
  inUseBy: number | null;
  /** The component's core module whose memory it held last ("component → module 0"). */
  core: string | null;
  /** The image mapping seen there last: a change of inode or place is a remap. */
  image: RangeMappings["file"];
  /** How many mappings (VMAs) covered the memory's range when last read. */
  mappings: number | null;
}

interface LiveInstance {
  id: number;
  module: LoadedModule;
  /** Wasmtime's instance id; null when instantiation failed (nothing to drop). */
  engineInstance: number | null;
  /** Each observed memory: its slot and its accessible length now (a slot may have held
   *  a larger memory before; what is observed is this one's range). */
  memories: {
    memory: number;
    /** The export the C API reaches it by; null for a component's core memory, found by
     *  its image mapping instead. */
    exportName: string | null;
    /** The component's core module it belongs to; null for a module's own memory. */
    core: string | null;
    slot: Slot;
    length: number;
  }[];
}

export class WasmtimeSession {
  private readonly engine: WasmtimeEngine;
  private readonly modules = new Map<string, LoadedModule>();
  private readonly instances = new Map<number, LiveInstance>();
  private readonly slots = new Map<bigint, Slot>();
  /** Inode → SHA-256 of each of Wasmtime's memfd images seen (wasmtime-components.ts). */
  private readonly imageHashes = new Map<number, string>();
  private nextInstance: number;
  private readonly hostPageSize: number;
  /** The only reset this engine does: Wasmtime's is fixed when the engine is made. */
  private readonly keepResident: number;
  /** Why Wasmtime's system calls cannot be counted here, when the tracepoints are not
   *  readable (the engine says why when perf_event_open refuses them). */
  private readonly syscallsUnavailable: string | null;

  constructor(
    private readonly addon: NativeAddon,
    private readonly options: SessionConfig,
    pooling: WasmtimePooling,
  ) {
    // Counting is observing too: a session told not to observe does not count.
    const tracepoints: TracepointIds =
      options.snapshots === false
        ? { unavailable: "the session does not observe (snapshots: false)" }
        : syscallTracepoints();
    this.engine = new addon.WasmtimeEngine({
      ...pooling,
      epochTickMs: EPOCH_TICK_MS,
      ...("ids" in tracepoints ? { syscallTracepoints: tracepoints.ids } : {}),
    });
    this.syscallsUnavailable = "unavailable" in tracepoints ? tracepoints.unavailable : null;
    this.keepResident = pooling.keepResident ?? 0;
    this.hostPageSize = addon.probe().hostPageSize;
    this.nextInstance = options.firstInstanceId ?? 1;
  }

  loadModule(request: LoadModuleRequest): { summary: ModuleSummary; steps: StepRecord[] } {
    // Loaded again: its live instances keep what they were made from (see unloadModule).
    this.modules.delete(request.moduleId);
    if (isComponent(request.bytes)) return this.loadComponent(request);
    const { module, plan, step: planStep } = plannedModule(request);
    // Wasmtime's C API reaches a memory only through an export: memories the module does
    // not export get one (the export section is the only change; the image is the same).
    const defined = module.memories.filter((memory) => !memory.import).map((m) => m.index);
    const exported = exportMemories(module, defined);
    const compileStart = process.hrtime.bigint();
    const engineModule = this.engine.compile(exported.bytes);
    const counted = this.counted();
    const compileStep: StepRecord = {
      ...blankStep("compile"),
      ns: elapsed(compileStart),
      syscalls: counted.syscalls,
      detail:
        exported.added.length > 0 || counted.detail
          ? {
              ...counted.detail,
              ...(exported.added.length > 0
                ? {
                    exportedToObserve: exported.added
                      .map((memory) => `memory ${memory} as "${exported.names.get(memory)}"`)
                      .join(", "),
                  }
                : {}),
            }
          : null,
    };
    this.modules.set(request.moduleId, {
      kind: "module",
      id: request.moduleId,
      fileName: request.fileName,
      module,
      plan,
      engineModule,
      observable: defined.map((memory) => ({ memory, exportName: exported.names.get(memory)! })),
    });
    const summary: ModuleSummary = {
      moduleId: request.moduleId,
      // What the planner expects Wasmtime to map; each step reports what it did map.
      cow: plan.initialization === "static",
      cowRefusal:
        plan.initialization === "static"
          ? null
          : `no static image (${plan.segmentedBy!.code}): ${plan.segmentedBy!.message}`,
      images: plan.memories.flatMap((m) =>
        m.static && m.image
          ? [{ memory: m.memory, offset: Number(m.image.offset), length: Number(m.image.length) }]
          : [],
      ),
    };
    return { summary, steps: [planStep, compileStep] };
  }

  /** A component: each core module planned (the plan step), the component compiled. */
  private loadComponent(request: LoadModuleRequest): {
    summary: ModuleSummary;
    steps: StepRecord[];
  } {
    const planStart = process.hrtime.bigint();
    const planned = planComponent(request);
    const planStep: StepRecord = { ...blankStep("plan"), ns: elapsed(planStart) };
    const compileStart = process.hrtime.bigint();
    const engineComponent = this.engine.compileComponent(request.bytes);
    const counted = this.counted();
    const compileStep: StepRecord = {
      ...blankStep("compile"),
      ns: elapsed(compileStart),
      syscalls: counted.syscalls,
      detail: counted.detail,
    };
    this.modules.set(request.moduleId, {
      kind: "component",
      id: request.moduleId,
      fileName: request.fileName,
      planned,
      engineComponent,
      inodes: new Set(),
      coreInstances: {},
    });
    const summary: ModuleSummary = {
      moduleId: request.moduleId,
      cow: planned.imaged.length > 0,
      cowRefusal:
        planned.imaged.length > 0 ? null : "no core module of the component gets a static image",
      images: [],
    };
    return { summary, steps: [planStep, compileStep] };
  }

  unloadModule(moduleId: string): void {
    // Its live instances end with it (their editor closed), reset as the engine resets.
    for (const live of [...this.instances.values()]) {
      if (live.module.id === moduleId) {
        this.release(
          live.id,
          this.keepResident === 0 ? "madvise" : "keep-resident",
          this.keepResident,
        );
      }
    }
    // Wasmtime keeps the compiled module (and any warm slot holding its image) until the
    // engine goes; only this session's name for it is forgotten.
    this.modules.delete(moduleId);
  }

  instantiate(
    moduleId: string,
    options: InstantiateOptions,
  ): { instance: number; mode: InitMode; steps: StepRecord[] } {
    const loaded = this.modules.get(moduleId);
    if (!loaded) throw new Error(`module ${moduleId} is not loaded`);
    if (options.init !== "cow") {
      throw new Error(
        "the Wasmtime engine initialises memory as Wasmtime does (from its copy-on-write image when it has one); eager initialisation is the V8 engine's baseline",
      );
    }
    const live: LiveInstance = {
      id: this.nextInstance++,
      module: loaded,
      engineInstance: null,
      memories: [],
    };
    this.instances.set(live.id, live);
    // A component always gets WASI 0.2 (its imports are WASI's); a module when asked and
    // when it imports WASI. Either way: its file name as argument, no directory, no environment.
    const wasi = {
      args: [loaded.fileName],
      maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    };
    const started = process.hrtime.bigint();
    let error: string | null = null;
    try {
      live.engineInstance =
        loaded.kind === "component"
          ? this.engine.instantiateComponent(loaded.engineComponent, { wasi, ...this.deadline() })
          : this.engine.instantiate(loaded.engineModule, {
              ...(options.wasi && usesWasi(loaded.module) ? { wasi } : {}),
              ...this.deadline(),
            });
    } catch (caught) {
      error = this.callError(caught);
    }
    const ns = elapsed(started);
    const counted = this.counted();
    const taken =
      live.engineInstance === null
        ? { pick: null, notes: {} }
        : loaded.kind === "component"
          ? this.takeComponentSlots(live, loaded)
          : { pick: this.takeSlots(live, loaded), notes: {} };
    const pick = taken.pick;
    const first = live.memories[0]?.slot ?? null;
    const before = first?.image ?? null; // the image seen in this slot at its last step
    const instantiated = this.instanceStep(live, "instantiate", ns, this.output(live), counted);
    const after = first?.image ?? null;
    const steps: StepRecord[] = [
      {
        ...instantiated,
        slot: first?.index ?? null,
        pick,
        error,
        detail: {
          ...instantiated.detail,
          ...taken.notes,
          // The slot is its base address: the same base again is the same slot.
          ...(first ? { slotBase: `0x${first.base.toString(16)}` } : {}),
          // Affine reuse finds the image still mapped; a remap shows as a new inode or place.
          ...(first && this.observing()
            ? {
                imageMapped: after !== null,
                mappings: first.mappings,
                imageInode: after?.inode ?? null,
                imageRemapped:
                  before !== null &&
                  (after === null ||
                    after.inode !== before.inode ||
                    after.offset !== before.offset),
              }
            : {}),
        },
      },
    ];
    if (live.engineInstance !== null && options.initialize && loaded.kind === "module") {
      for (const [step, name] of [
        ["initialize", "_initialize"],
        ["start", "_start"],
      ] as const) {
        if (loaded.module.exports.some((e) => e.kind === "func" && e.name === name))
          steps.push(this.callModule(live, step, name, [], []));
      }
    }
    return { instance: live.id, mode: "cow", steps };
  }

  invoke(instanceId: number, exportName: string, args: string[]): StepRecord {
    const live = this.live(instanceId);
    if (live.engineInstance === null)
      throw new Error(`instance ${instanceId} failed to instantiate`);
    if (live.module.kind === "component") return this.invokeComponent(live, exportName, args);
    const signature = exportSignature(live.module.module, exportName, args);
    const unsupported = [...signature.params, ...signature.results].find(
      (type) => !NUMBER_TYPES.has(type),
    );
    if (unsupported) {
      throw new Error(
        `"${exportName}" has a ${unsupported} in its signature: the Wasmtime engine passes i32, i64, f32 and f64 values only`,
      );
    }
    const values = args.map((text, i) => ({
      type: signature.params[i] as WasmtimeValueType,
      value: parseArgument(text, signature.params[i]!, i)!,
    }));
    return this.callModule(
      live,
      "invoke",
      exportName,
      values,
      signature.results as WasmtimeValueType[],
    );
  }

  /** Drops the instance's Store, which is Wasmtime's reset of its slots, and looks at
   *  what the reset left there. */
  release(instanceId: number, strategy: ResetStrategy, keepResident: number): StepRecord[] {
    const live = this.live(instanceId);
    const asked = strategy === "madvise" ? 0 : strategy === "keep-resident" ? keepResident : null;
    if (asked !== this.keepResident) {
      throw new Error(
        `Wasmtime resets a slot as its engine was configured (linear_memory_keep_resident = ${this.keepResident} bytes${this.keepResident === 0 ? ": madvise" : ""}); ${strategy === "pagemap" ? "the pagemap strategy is this tool's own" : `a reset keeping ${asked} bytes needs an engine configured so`}`,
      );
    }
    this.instances.delete(instanceId);
    if (live.engineInstance === null) return [];
    const started = process.hrtime.bigint();
    this.engine.drop(live.engineInstance);
    const ns = elapsed(started);
    const counted = this.counted();
    return live.memories.map(({ memory, core, slot, length }) => {
      slot.inUseBy = null;
      // The range the instance's memory had: what Wasmtime reset.
      const state = this.observing()
        ? withCore(this.observe(planOf(live.module), slot, memory, length, true), core)
        : null;
      return {
        ...blankStep("reset"),
        instance: live.id,
        slot: slot.index,
        ns,
        syscalls: counted.syscalls,
        memories: state ? [state] : [],
        detail: {
          strategy,
          keepResident: this.keepResident,
          bytesResident: state?.rssBytes ?? null,
          imageStillMapped: state ? slot.image !== null : null,
          mappings: state ? slot.mappings : null,
          ...counted.detail,
        },
      };
    });
  }

  poolView(): SlotView[] {
    return [...this.slots.values()].map((slot) => {
      this.readMappings(slot, slot.length);
      const counts = pageCountsOf(
        this.engine.snapshotAt(slot.base, slot.length, 0, 0, false).tally,
      );
      return {
        index: slot.index,
        state: slot.inUseBy === null ? "warm" : "in-use",
        affinity: slot.affinity,
        bytesResident:
          (counts.zero + counts.imageClean + counts.imageDirty + counts.anonDirty) *
          this.hostPageSize,
        accessibleBytes: slot.length,
        imageMapped: slot.image !== null,
        userfaultfd: false, // Wasmtime 49 has no userfaultfd (removed in PR #4040)
        // Wasmtime does not say when it throws a slot's mapping away.
        retirements: null,
      };
    });
  }

  readMemory(instanceId: number, memoryIndex: number, offset: number, length: number): Uint8Array {
    const live = this.live(instanceId);
    const use = live.memories.find((m) => m.memory === memoryIndex);
    if (!use || live.engineInstance === null)
      throw new Error(`instance ${instanceId} has no observable memory ${memoryIndex}`);
    if (use.exportName === null)
      throw new Error(
        `${use.core}'s memory is found by its image mapping only: Wasmtime's C API exports no core memory of a component to read it through`,
      );
    return this.engine.read(live.engineInstance, use.exportName, offset, length);
  }

  private live(instanceId: number): LiveInstance {
    const live = this.instances.get(instanceId);
    if (!live) throw new Error(`no live instance ${instanceId}`);
    return live;
  }

  /** The system calls of the last call into Wasmtime, or why they are not known. */
  private counted(): { syscalls: StepRecord["syscalls"]; detail: StepRecord["detail"] } {
    const last = this.engine.lastSyscalls();
    if ("unavailable" in last) {
      return { syscalls: null, detail: { syscalls: this.syscallsUnavailable ?? last.unavailable } };
    }
    // memcpy is no system call: Wasmtime's copies (keep-resident) are not seen.
    return { syscalls: { ...last, copies: null }, detail: null };
  }

  private observing(): boolean {
    return this.options.snapshots !== false;
  }

  private deadline(): { deadlineMs?: number } {
    return this.options.callTimeoutMs === undefined
      ? {}
      : { deadlineMs: this.options.callTimeoutMs };
  }

  /** A Wasmtime failure in words; an epoch interrupt says it was the time limit. */
  private callError(caught: unknown): string {
    if ((caught as WasmtimeError).trapCode === WASMTIME_TRAP_INTERRUPT) {
      return `timed out after ${this.options.callTimeoutMs} ms: Wasmtime's epoch interruption stopped the call (the runner goes on)`;
    }
    return thrownText(caught);
  }

  /** Finds the slot of every observable memory and says how it was picked. */
  private takeSlots(live: LiveInstance, loaded: LoadedCoreModule): PickKind | null {
    let first: PickKind | null = null;
    for (const { memory, exportName } of loaded.observable) {
      const found = this.engine.memory(live.engineInstance!, exportName);
      if (!found) continue;
      const slot = this.claimSlot(live, found, { moduleId: loaded.id, memory }, null);
      live.memories.push({ memory, exportName, core: null, slot: slot.slot, length: found.length });
      first ??= slot.pick;
    }
    return first;
  }

  /** The slot at `found.base`, now the live instance's: a base not seen before is a cold
   *  slot, one last held by the same memory (of the same core module, for a component)
   *  an affine reuse, any other a warm slot taken over. */
  private claimSlot(
    live: LiveInstance,
    found: { base: bigint; length: number },
    affinity: SlotAffinity,
    core: string | null,
  ): { slot: Slot; pick: PickKind } {
    let slot = this.slots.get(found.base);
    const pick: PickKind = !slot
      ? "cold"
      : slot.affinity?.moduleId === affinity.moduleId &&
          slot.affinity.memory === affinity.memory &&
          slot.core === core
        ? "affine"
        : "warm";
    if (!slot) {
      slot = {
        index: this.slots.size,
        base: found.base,
        length: found.length,
        affinity,
        inUseBy: live.id,
        core,
        image: null,
        mappings: null,
      };
      this.slots.set(found.base, slot);
    }
    slot.length = Math.max(slot.length, found.length);
    slot.affinity = affinity;
    slot.inUseBy = live.id;
    slot.core = core;
    return { slot, pick };
  }

  /** Finds the component's core memories by the images Wasmtime mapped in them. The
   *  memfds that appear at a component's first instantiation are its own (Wasmtime makes
   *  them then); each is matched to a core module's image by its bytes' SHA-256. Slots that
   *  hold one of them and that no other live instance uses are this instance's: one per
   *  core instance, as many as the first instantiation showed. When more such slots are
   *  free than the instance takes (several warm slots of the same image), which one
   *  Wasmtime took is not visible from outside: the step says so and observes none. */
  private takeComponentSlots(
    live: LiveInstance,
    loaded: LoadedComponent,
  ): { pick: PickKind | null; notes: Record<string, string> } {
    const found = this.engine.imageMemories();
    for (const [inode, sha256] of hashImageMemfds(this.imageHashes)) {
      this.imageHashes.set(inode, sha256);
      if (loaded.planned.imaged.some((m) => m.sha256 === sha256)) loaded.inodes.add(inode);
    }
    const notes: Record<string, string> = {};
    let first: PickKind | null = null;
    for (const imaged of loaded.planned.imaged) {
      const free = found.filter(
        (m) =>
          loaded.inodes.has(m.inode) &&
          this.imageHashes.get(m.inode) === imaged.sha256 &&
          (this.slots.get(m.base)?.inUseBy ?? null) === null &&
          !live.memories.some((use) => use.slot.base === m.base),
      );
      const expected = (loaded.coreInstances[imaged.sha256] ??= free.length);
      if (free.length > expected) {
        notes[`${imaged.core} memory ${imaged.memory}`] =
          `${free.length} free slots hold its image and the instance takes ${expected}: which one Wasmtime took is not visible from outside`;
        continue;
      }
      for (const memory of free) {
        const { slot, pick } = this.claimSlot(
          live,
          memory,
          { moduleId: loaded.id, memory: imaged.memory },
          imaged.core,
        );
        live.memories.push({
          memory: imaged.memory,
          exportName: null,
          core: imaged.core,
          slot,
          length: memory.length,
        });
        first ??= pick;
      }
    }
    for (const { core, memory, reason } of loaded.planned.unobservable)
      notes[`${core} memory ${memory}`] = reason;
    return { pick: first, notes };
  }

  /** Calls a component's exported function with JSON arguments as one step. */
  private invokeComponent(live: LiveInstance, exportName: string, args: string[]): StepRecord {
    const signature = this.engine.componentFunction(live.engineInstance!, exportName);
    if (!signature) throw new Error(`the component exports no function "${exportName}"`);
    const values = componentArguments(exportName, args);
    const params = signature.params.map((p) => `${p.name}: ${p.type}`).join(", ");
    return this.call(
      live,
      "invoke",
      exportName,
      () => {
        const called = this.engine.callComponent(
          live.engineInstance!,
          exportName,
          values,
          this.options.callTimeoutMs,
        );
        return signature.result === null
          ? null
          : [componentResultJson(called.result, signature.result)];
      },
      { signature: `(${params})${signature.result ? ` -> ${signature.result}` : ""}` },
    );
  }

  /** Calls a module's export (or `_initialize` / `_start`) with numbers as one step. */
  private callModule(
    live: LiveInstance,
    step: StepRecord["step"],
    exportName: string,
    args: { type: WasmtimeValueType; value: number | bigint }[],
    resultTypes: WasmtimeValueType[],
  ): StepRecord {
    return this.call(live, step, exportName, () =>
      this.engine
        .call(live.engineInstance!, exportName, args, resultTypes, this.options.callTimeoutMs)
        .map((value, i) => resultJson(value, resultTypes[i]!)),
    );
  }

  /** One call into Wasmtime (`run`) as a step, with what it wrote and what it did to the
   *  memories; a WASI program's exit is its result, as in the V8 path. */
  private call(
    live: LiveInstance,
    step: StepRecord["step"],
    exportName: string,
    run: () => StepRecord["result"],
    detail: StepRecord["detail"] = null,
  ): StepRecord {
    const started = process.hrtime.bigint();
    let result: StepRecord["result"] = null;
    let error: string | null = null;
    let exitStatus: number | null = null;
    try {
      result = run();
    } catch (caught) {
      exitStatus = (caught as WasmtimeError).exitStatus ?? null;
      if (exitStatus !== null) result = [resultJson(exitStatus, "i32")];
      else error = this.callError(caught);
    }
    const ns = elapsed(started);
    const record = this.instanceStep(live, step, ns, this.output(live), this.counted());
    const extra = { ...detail, ...(exitStatus === null ? {} : { exitStatus }) };
    return {
      ...record,
      export: exportName,
      result,
      error,
      detail: Object.keys(extra).length === 0 ? record.detail : { ...record.detail, ...extra },
    };
  }

  /** What the step wrote, and how much past the cap was only counted. */
  private output(live: LiveInstance): {
    output: StepRecord["output"];
    detail: StepRecord["detail"];
  } {
    const taken = live.engineInstance === null ? null : this.engine.takeOutput(live.engineInstance);
    const dropped = taken && taken.droppedStdout + taken.droppedStderr > 0;
    return {
      output:
        taken && (taken.stdout || taken.stderr)
          ? { stdout: taken.stdout, stderr: taken.stderr }
          : null,
      detail: dropped
        ? { droppedStdoutBytes: taken.droppedStdout, droppedStderrBytes: taken.droppedStderr }
        : null,
    };
  }

  private instanceStep(
    live: LiveInstance,
    step: StepRecord["step"],
    ns: number,
    written: { output: StepRecord["output"]; detail: StepRecord["detail"] },
    counted: { syscalls: StepRecord["syscalls"]; detail: StepRecord["detail"] },
  ): StepRecord {
    const detail =
      written.detail || counted.detail ? { ...written.detail, ...counted.detail } : null;
    // A component's memories are found in /proc/self/maps: read once for all of them.
    const imageMemories =
      this.observing() && live.memories.some((use) => use.exportName === null)
        ? this.engine.imageMemories()
        : [];
    return {
      ...blankStep(step),
      instance: live.id,
      ns,
      syscalls: counted.syscalls,
      memories: this.observing()
        ? live.memories.map((use) => {
            // A call may have grown the memory: the observed range and mappings follow it.
            const now =
              use.exportName === null
                ? (imageMemories.find((m) => m.base === use.slot.base) ?? null)
                : this.engine.memory(live.engineInstance!, use.exportName);
            const grew = now !== null && now.length > use.length;
            if (grew) {
              use.length = now.length;
              use.slot.length = Math.max(use.slot.length, now.length);
            }
            const readMappings = step === "instantiate" || grew;
            return withCore(
              this.observe(planOf(live.module), use.slot, use.memory, use.length, readMappings),
              use.core,
            );
          })
        : [],
      output: written.output,
      detail,
    };
  }

  /** The memory's page states now, with its image where the kernel says it is (kept as
   *  the slot's, so the next step can tell whether Wasmtime remapped it). The mappings are
   *  read where they can change: when Wasmtime instantiates or drops (`readMappings`), and
   *  when a call grew the memory; a call cannot otherwise change them (Wasmtime maps and
   *  unmaps only around a Store's life), and each read costs a system call per mapping. */
  private observe(
    plan: ImagePlan | null,
    slot: Slot,
    memory: number,
    length: number,
    readMappings: boolean,
  ): MemoryStepState {
    if (readMappings) this.readMappings(slot, length);
    // The image as far as it lies in this memory's range.
    const image =
      slot.image && slot.image.offset < length
        ? { ...slot.image, length: Math.min(slot.image.length, length - slot.image.offset) }
        : null;
    const snapshot = this.engine.snapshotAt(
      slot.base,
      length,
      image?.offset ?? 0,
      image?.length ?? 0,
      this.options.includePageStates,
    );
    const planned = plan?.memories.find((m) => m.memory === memory);
    return memoryStepState(snapshot, {
      memory,
      slot: slot.index,
      // Seen, not planned: the image is there if the kernel shows Wasmtime's memfd mapped.
      origin: image
        ? { place: "slot", init: "image", noImage: null }
        : {
            place: "slot",
            init: planned && planned.dataBytes > 0 ? "copied" : "none",
            noImage: `Wasmtime mapped none here${planned?.reason ? ` (the plan says: ${planned.reason.message})` : ""}`,
          },
      image,
      hostPageSize: this.hostPageSize,
      smaps: null,
    });
  }

  /** The mappings over the slot's first `length` bytes now: how many, and the image among
   *  them (Wasmtime's memfd, by name). */
  private readMappings(slot: Slot, length: number): void {
    const mappings = this.addon.mappingsIn(slot.base, length, WASMTIME_IMAGE_MAPPING);
    slot.mappings = mappings.count;
    slot.image = mappings.file;
  }
}
