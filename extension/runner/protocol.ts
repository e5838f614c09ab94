// The one protocol between the runner process and its callers (the CLI and the
// extension host): typed requests, each answered by exactly one response with the same
// id. Messages travel over Node's IPC channel with "advanced" serialization, so typed
// arrays and BigInts arrive intact.

import type { PickKind } from "./index-allocator";
import type { Accounting, BackendProbe, ResetStrategy, SyscallCounts } from "./native-backend";
import type { PageCounts } from "./page-states";
import type { SlotView } from "./slot-pool";
import type { WasmValueJson } from "./wasm-values";

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

export interface MemoryStepState {
  memory: number;
  slot: number;
  /** Host pages of the accessible memory by state; they add up to its size. */
  pages: PageCounts;
  /** Clean image pages mapped by some other mapping too (another slot); null without an image. */
  sharedImagePages: number | null;
  /** Resident bytes of the memory's range (present pages, the zero page included). */
  rssBytes: number;
  /** Bytes of private written pages (imageDirty + anonDirty). */
  privateDirtyBytes: number;
  /** /proc/self/smaps figures of the mappings covering the memory, when asked for. */
  smaps: SmapsFigures | null;
  imageOffset: number | null;
  imageLength: number | null;
  /** One state per host page, when the session was asked for them (the UI's page map). */
  states: Uint8Array | null;
}

export type StepName =
  | "plan"
  | "image"
  | "acquire"
  | "map"
  | "instantiate"
  | "initialize"
  | "start"
  | "invoke"
  | "reset";

export interface StepRecord {
  step: StepName;
  export: string | null;
  instance: number | null;
  slot: number | null;
  pick: PickKind | null;
  ns: number;
  syscalls: SyscallCounts;
  memories: MemoryStepState[];
  result: WasmValueJson[] | null;
  error: string | null;
  output: { stdout: string; stderr: string } | null;
  /** Step-specific facts (reset outcome, retirement, whether the image was already mapped). */
  detail: Record<string, string | number | boolean | null> | null;
}

export interface SessionConfig {
  slots: number;
  maxUnusedWarmSlots: number;
  includePageStates: boolean;
  /** Read /proc/self/smaps after every step too (milliseconds each in a V8 process). */
  smaps?: boolean;
  /** Id of the first instance this session creates (the client keeps ids unique across
   *  runner restarts); 1 by default. */
  firstInstanceId?: number;
}

/** smaps counts whole mappings (VMAs): `spanStart`..`spanEnd` is what they cover, which
 *  can be wider than the memory. memfd pages of the image count as dirty there. */
export type SmapsFigures = Omit<Accounting, "ns">;

export interface ImageSharing {
  /** Slots that map the image. */
  slots: number[];
  /** Per image page, the largest number of those slots mapping one physical page. */
  slotsPerPage: number[];
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
  imageSharing: { params: { moduleId: string; memory: number }; result: ImageSharing | null };
}

export type RequestKind = keyof RequestMap;

export interface RequestMessage<K extends RequestKind = RequestKind> {
  id: number;
  kind: K;
  params: RequestMap[K]["params"];
}

export type ResponseMessage =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
