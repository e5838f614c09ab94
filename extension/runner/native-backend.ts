// The typed face of the native addon (native/src). Loading can fail (not Linux, not
// built): callers get the reason instead of an exception, so the CLI and the UI can say
// that CoW execution is unavailable and why.

import { existsSync } from "node:fs";
import path from "node:path";
import type {
  ResetStrategy,
  SmapsFigures,
  SyscallCounts,
  UserfaultCounts,
} from "../../common/run-types";
import { packageRoot } from "./package-root";

export interface BackendProbe {
  kernel: string;
  hostPageSize: number;
  memfd: boolean;
  pagemap: boolean;
  pagemapScan: boolean;
  pfnReadable: boolean;
}

/** No system calls: the counts of a step that made none. */
export const NO_SYSCALLS: Readonly<SyscallCounts> = {
  mmap: 0,
  mprotect: 0,
  madvise: 0,
  ioctl: 0,
  copies: 0,
};

export interface TimedOperation {
  ns: number;
  syscalls: SyscallCounts;
}

export interface NativeImage {
  readonly length: number;
  readonly backing: "memfd" | "tmpfile";
  readonly released: boolean;
  release(): void;
}

export interface ResetOutcome extends TimedOperation {
  bytesReset: number;
  bytesResident: number;
  pagesRestored: number;
  /** Why the pagemap strategy took the blind path, if it did. */
  fellBack: string | null;
}

export interface Snapshot {
  /** One PageState per host page of the accessible memory; null unless asked for
   *  (`withStates`), since most steps need only the tally. */
  states: Uint8Array | null;
  /** Pages per state, indexed like PAGE_STATES (common/page-states.ts). */
  tally: number[];
  method: "pagemap-scan" | "pagemap";
  ns: number;
  /** Clean image pages mapped elsewhere too (not exclusively mapped here). */
  imageSharedPages: number;
  imageExclusivePages: number;
  /** Frame of each image page (0 unless it is clean), when frames are readable, at
   *  least one image page is clean and the per-page states were asked for; else null. */
  imageFrames: BigUint64Array | null;
}

/** A snapshot as asked for: with its per-page states unless `withStates` was false. */
export type SnapshotAs<WithStates extends boolean> = WithStates extends false
  ? Snapshot
  : Snapshot & { states: Uint8Array };

export interface Accounting extends SmapsFigures {
  ns: number;
}

export interface NativeAddon {
  Image: new (bytes: Uint8Array) => NativeImage;
  probe(): BackendProbe;
  memoryBase(memory: WebAssembly.Memory): bigint;
  mapImage(
    memory: WebAssembly.Memory,
    offset: number,
    image: NativeImage,
  ): TimedOperation & { base: bigint };
  unmapImage(
    memory: WebAssembly.Memory,
    expectedBase: bigint,
    offset: number,
    length: number,
  ): TimedOperation;
  reset(
    memory: WebAssembly.Memory,
    expectedBase: bigint,
    strategy: ResetStrategy,
    keepResident: number,
    image: NativeImage | null,
    imageOffset: number,
  ): ResetOutcome;
  /** The kernel's page states of the memory; `withStates` (default true) asks for one
   *  state per page on top of the tally, and for the image's page frames; without it
   *  the snapshot has the counts only (`states` and `imageFrames` null). */
  snapshot<WithStates extends boolean = true>(
    memory: WebAssembly.Memory,
    imageOffset: number,
    imageLength: number,
    withStates?: WithStates,
  ): SnapshotAs<WithStates>;
  accounting(memory: WebAssembly.Memory): Accounting;
  /** Asks the kernel to SIGKILL this process when its parent ends; kills it at once if
   *  the parent (`expectedParentPid`) has already gone. */
  dieWithParent(expectedParentPid: number): void;
  /** Loads Wasmtime's C API library (once per process) and checks every function the
   *  Wasmtime engine needs (native/src/wasmtime_symbols.h); throws naming what is missing. */
  loadWasmtime(path: string): { path: string; functions: number };
  /** How [base, base + length) is mapped now: how many mappings overlap it, and the part
   *  the first run of adjacent mappings of the file `fileName` covers (PROCMAP_QUERY, or
   *  the text of /proc/self/maps on kernels before 6.11). */
  mappingsIn(base: bigint, length: number, fileName: string): RangeMappings;
  /** Whether this process can handle page faults with userfaultfd, and how: "all
   *  faults" (root, or vm.unprivileged_userfaultfd=1), or "user-mode faults only" (a
   *  system call reading a page not yet touched then fails with EFAULT). */
  userfaultProbe(): UserfaultProbe;
  /** Registers the memory's accessible range with the process's one fault handler
   *  (native/src/userfault.cc): each first touch of a page gets a copy of the image's
   *  page at `imageOffset`, or the zero page outside the image (or without one). */
  userfaultAttach(
    memory: WebAssembly.Memory,
    image: NativeImage | null,
    imageOffset: number,
  ): TimedOperation & { base: bigint };
  /** Ends the memory's registration; its pages already filled stay. */
  userfaultDetach(memory: WebAssembly.Memory, expectedBase: bigint): TimedOperation;
  /** Faults answered so far for the memory's registration (since it was made), or with
   *  no memory for the whole process, with how the handler read them in batches. */
  userfaultStats(memory: WebAssembly.Memory): UserfaultCounts;
  userfaultStats(): UserfaultCounts & { batches: number; largestBatch: number };
  /** Reset costs against the range given (native/src/madvise_cost.cc): a reservation of
   *  an accessible and a PROT_NONE part, `dirtyPages` spread over the accessible part
   *  before each timed call; nanoseconds per repetition. */
  madviseCost(
    accessibleBytes: number,
    protNoneBytes: number,
    dirtyPages: number,
    repeats: number,
  ): { accessible: number[]; whole: number[]; protNone: number[]; mprotect: number[] };
  /** Real Wasmtime with the pooling allocator and CoW (native/src/wasmtime_engine.cc). */
  WasmtimeEngine: new (options: WasmtimeEngineOptions) => WasmtimeEngine;
}

export type UserfaultProbe =
  | { available: true; mode: "all faults" | "user-mode faults only"; reason: null }
  | { available: false; mode: null; reason: string };

/** Wasmtime's pooling options; one left out keeps Wasmtime's default. */
export interface WasmtimeEngineOptions {
  totalMemories?: number;
  maxMemorySize?: number;
  keepResident?: number;
  maxUnusedWarmSlots?: number;
  /** Turns epoch interruption on, the epoch advancing every `epochTickMs`. */
  epochTickMs?: number;
  /** Ids of the sys_enter tracepoints of mmap, mprotect, madvise and ioctl (tracefs):
   *  calls into Wasmtime are then counted (syscall-tracepoints.ts). */
  syscallTracepoints?: number[];
}

export type WasmtimeValueType = "i32" | "i64" | "f32" | "f64";
export type WasmtimeValue = { type: WasmtimeValueType; value: number | bigint };

/** What engine calls throw: Wasmtime's message, and what kind of failure it was. */
export interface WasmtimeError extends Error {
  /** Wasmtime's `wasmtime_trap_code_t` when a trap ended the call (10: epoch interrupt). */
  trapCode?: number;
  /** The status a WASI program gave `proc_exit`. */
  exitStatus?: number;
}

/** Wasmtime's `WASMTIME_TRAP_CODE_INTERRUPT`: the epoch deadline passed. */
export const WASMTIME_TRAP_INTERRUPT = 10;

export interface WasmtimeInstantiateOptions {
  /** WASI preview 1 from Wasmtime: these arguments, no directory, no environment. */
  wasi?: { args: string[]; maxOutputBytes: number };
  /** Guest code may run this long (start function included) before the epoch stops it. */
  deadlineMs?: number;
}

/** A memory found by its image mapping (a component's: the C API exports no core memory). */
export interface ImageMemory {
  base: bigint;
  /** Accessible bytes: the read-write range from base. */
  length: number;
  imageOffset: number;
  imageLength: number;
  /** The memfd's inode: one per module's image. */
  inode: number;
}

export interface WasmtimeEngine {
  compile(bytes: Uint8Array): number;
  /** A fresh Store with one instance; throws with Wasmtime's message. */
  instantiate(moduleId: number, options: WasmtimeInstantiateOptions): number;
  /** The exported memory's address and accessible length, or null. */
  memory(instance: number, exportName: string): { base: bigint; length: number } | null;
  call(
    instance: number,
    exportName: string,
    args: WasmtimeValue[],
    resultTypes: WasmtimeValueType[],
    deadlineMs?: number,
  ): (number | bigint)[];
  /** WASI output since the last call (null without WASI); past the cap only counted. */
  takeOutput(
    instance: number,
  ): { stdout: string; stderr: string; droppedStdout: number; droppedStderr: number } | null;
  /** A copy of [offset, offset + length) of the exported memory, cut at its end. */
  read(instance: number, exportName: string, offset: number, length: number): Uint8Array;
  /** The kernel's page states of the instance's exported memory (as `snapshot`). */
  snapshot(
    instance: number,
    exportName: string,
    imageOffset: number,
    imageLength: number,
  ): SnapshotAs<true>;
  /** The same for a range this engine reported as a memory's, e.g. after its Store's drop. */
  snapshotAt<WithStates extends boolean = true>(
    base: bigint,
    length: number,
    imageOffset: number,
    imageLength: number,
    withStates?: WithStates,
  ): SnapshotAs<WithStates>;
  /** Compiles a component (the component model is on in this engine). */
  compileComponent(bytes: Uint8Array): number;
  /** A fresh Store with one component instance, linked to Wasmtime's WASI 0.2 and its
   *  wasi:http interfaces (the Store has no HTTP context: no network). */
  instantiateComponent(
    componentId: number,
    options: WasmtimeInstantiateOptions & { wasi: { args: string[]; maxOutputBytes: number } },
  ): number;
  /** An exported function's signature in WIT's words ("NAME" or "INTERFACE#NAME"), or null. */
  componentFunction(
    instance: number,
    name: string,
  ): { params: { name: string; type: string }[]; result: string | null } | null;
  /** Calls an exported function with JSON arguments lowered by its types
   *  (native/src/wasmtime_component_values.h); `result` is undefined without one. */
  callComponent(
    instance: number,
    name: string,
    args: unknown[],
    deadlineMs?: number,
  ): { result: unknown };
  /** Every memory of this process with a Wasmtime image mapped in it, from the kernel's
   *  mappings: its read-write range and the image's place in it. */
  imageMemories(): ImageMemory[];
  /** Drops the instance's Store: Wasmtime resets its slot. */
  drop(instance: number): void;
  /** The system calls this thread made in the last instantiate, call or drop. */
  lastSyscalls():
    { mmap: number; mprotect: number; madvise: number; ioctl: number } | { unavailable: string };
}

/** A range's mappings (VMAs), as /proc/self/maps lists them. */
export interface RangeMappings {
  /** Mappings overlapping the range. */
  count: number;
  /** Where the named file is mapped in the range, in bytes from its start; null if not. */
  file: { offset: number; length: number; inode: number } | null;
}

export type BackendLoad =
  { available: true; addon: NativeAddon } | { available: false; reason: string };

const ADDON_PATH = path.join("build", "Release", "wasm_cow_native.node");

let loaded: BackendLoad | undefined;

export function loadBackend(): BackendLoad {
  loaded ??= load();
  return loaded;
}

function load(): BackendLoad {
  if (process.platform !== "linux") {
    return {
      available: false,
      reason: `copy-on-write execution needs Linux (memfd, MAP_PRIVATE, pagemap); this is ${process.platform}`,
    };
  }
  const file = path.join(packageRoot(), ADDON_PATH);
  if (!existsSync(file))
    return {
      available: false,
      reason: `the native backend is not built (${file} is missing; run npm ci)`,
    };
  try {
    // process.dlopen is what require() does for .node files, minus a bundler's rewriting.
    const holder = { exports: {} as NativeAddon };
    process.dlopen(holder, file);
    return { available: true, addon: holder.exports };
  } catch (error) {
    return {
      available: false,
      reason: `the native backend failed to load: ${(error as Error).message}`,
    };
  }
}
