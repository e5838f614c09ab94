// The one protocol between the runner process and its callers (the CLI and the
// extension host): typed requests, each answered by exactly one response with the same
// id. Messages travel over Node's IPC channel with "advanced" serialization, so typed
// arrays and BigInts arrive intact.

import type { LabReport, LabRequest } from "../../common/lab-types";
import type { ResetStrategy, SlotView, StepRecord } from "../../common/run-types";
import type { BackendProbe } from "./native-backend";
import type { WasmtimeLibrary } from "./wasmtime-discovery";

/** The environment variable through which a caller gives the runner its own pid: the
 *  runner follows that process (dieWithParent), so it cannot mistake a new parent, after
 *  reparenting, for the one that started it. */
export const PARENT_PID_ENV = "WASM_COW_PARENT_PID";

/** How instances' memories get their data: "cow" maps the image into a pool slot;
 *  "userfaultfd" registers the slot with the fault handler, which copies the image's
 *  pages in as they are first touched (Wasmtime before PR #4040); "eager" has V8 copy
 *  the segments (the baseline). */
export type InitMode = "cow" | "eager" | "userfaultfd";

export interface LoadModuleRequest {
  moduleId: string;
  fileName: string;
  bytes: Uint8Array;
  pageSize: number;
  denseLimit: number;
}

export interface InstantiateOptions {
  init: InitMode;
  /** Call `_initialize` / `_start` when the module exports them. */
  initialize: boolean;
  wasi: boolean;
}

export interface ModuleSummary {
  moduleId: string;
  cow: boolean;
  cowRefusal: string | null;
  images: { memory: number; offset: number; length: number }[];
}

/** Wasmtime's pooling options the user set; every other one keeps Wasmtime's default. */
export interface WasmtimePooling {
  totalMemories?: number;
  maxMemorySize?: number;
  /** `linear_memory_keep_resident`: Wasmtime's reset is fixed when its engine is made. */
  keepResident?: number;
  maxUnusedWarmSlots?: number;
}

/** Which engine runs module code: V8 with this tool's own CoW slots (the default), or
 *  real Wasmtime with its pooling allocator, loaded from `library`. */
export type EngineConfig =
  { kind: "v8" } | { kind: "wasmtime"; library: WasmtimeLibrary; pooling: WasmtimePooling };

/** The engine a configured runner runs, with its version. */
export type EngineInfo =
  | { kind: "v8"; version: string }
  | { kind: "wasmtime"; version: string; library: string; pooling: WasmtimePooling };

export interface SessionConfig {
  /** V8 unless given. */
  engine?: EngineConfig;
  /** How long guest code may run per call before the engine stops it itself (Wasmtime's
   *  epoch interruption, which the runner survives); the client sets it from its own
   *  time limit. V8 has no such stop: there the client's watchdog kills the runner. */
  callTimeoutMs?: number;
  slots: number;
  maxUnusedWarmSlots: number;
  /** Bytes of a WASI instance's stdout, and of its stderr, kept per step (16 MiB by
   *  default); what is written past them is counted in the step's detail. */
  maxOutputBytes?: number;
  includePageStates: boolean;
  /** Observe the kernel after every step (page states, and Wasmtime's mappings): true
   *  unless false. Without it steps have no memories; the benches compare the two. */
  snapshots?: boolean;
  /** Read /proc/self/smaps after every step too (milliseconds each in a V8 process). */
  smaps?: boolean;
  /** Id of the first instance this session creates (the client keeps ids unique across
   *  runner restarts); 1 by default. */
  firstInstanceId?: number;
}

export type BackendStatus =
  | { available: true; probe: BackendProbe; engine: EngineInfo }
  | { available: false; reason: string };

/** Requests, by kind, with the shape of their successful results. */
export interface RequestMap {
  /** Starts a session; must come first. */
  configure: { params: SessionConfig; result: BackendStatus };
  loadModule: {
    params: LoadModuleRequest;
    result: { summary: ModuleSummary; steps: StepRecord[] };
  };
  unloadModule: { params: { moduleId: string }; result: null };
  instantiate: {
    params: { moduleId: string; options: InstantiateOptions };
    result: { instance: number; mode: InitMode; steps: StepRecord[] };
  };
  invoke: { params: { instance: number; export: string; args: string[] }; result: StepRecord };
  release: {
    params: { instance: number; strategy: ResetStrategy; keepResident: number };
    result: StepRecord[];
  };
  pool: { params: null; result: SlotView[] };
  readMemory: {
    params: { instance: number; memory: number; offset: number; length: number };
    result: Uint8Array;
  };
  /** The strategy lab on one module (V8 engine); needs no configured session. */
  lab: { params: LabRequest; result: LabReport };
}

export type RequestKind = keyof RequestMap;

export interface RequestMessage<K extends RequestKind = RequestKind> {
  id: number;
  kind: K;
  params: RequestMap[K]["params"];
}

export type ResponseMessage =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
