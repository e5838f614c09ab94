// The one protocol between the runner process and its callers (the CLI and the
// extension host): typed requests, each answered by exactly one response with the same
// id. Messages travel over Node's IPC channel with "advanced" serialization, so typed
// arrays and BigInts arrive intact.

import type { ResetStrategy, SlotView, StepRecord } from "../../common/run-types";
import type { BackendProbe } from "./native-backend";

/** The environment variable through which a caller gives the runner its own pid: the
 *  runner follows that process (dieWithParent), so it cannot mistake a new parent, after
 *  reparenting, for the one that started it. */
export const PARENT_PID_ENV = "WASM_COW_PARENT_PID";

/** "cow": memory mapped from the image; "eager": V8 copies every segment (the baseline). */
export type InitMode = "cow" | "eager";

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

export interface SessionConfig {
  slots: number;
  maxUnusedWarmSlots: number;
  /** Bytes of a WASI instance's stdout, and of its stderr, kept per step (16 MiB by
   *  default); what is written past them is counted in the step's detail. */
  maxOutputBytes?: number;
  includePageStates: boolean;
  /** Read /proc/self/smaps after every step too (milliseconds each in a V8 process). */
  smaps?: boolean;
  /** Id of the first instance this session creates (the client keeps ids unique across
   *  runner restarts); 1 by default. */
  firstInstanceId?: number;
}

export type BackendStatus =
  { available: true; probe: BackendProbe } | { available: false; reason: string };

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
}

export type RequestKind = keyof RequestMap;

export interface RequestMessage<K extends RequestKind = RequestKind> {
  id: number;
  kind: K;
  params: RequestMap[K]["params"];
}

export type ResponseMessage =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
