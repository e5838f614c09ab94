// What the runner reports: the record of every step of an instance's life and the view
// of every pool slot. The runner produces them, the CLI prints them, the host keeps them
// and the webview shows them, all with these types: the runner's IPC ("advanced"
// serialization) and the webview's postMessage (structured clone) both carry typed
// arrays and bigints intact, so no side needs a copy of its own.

import type { PageCounts } from "./page-states";

/** Which engine runs module code: V8 with this tool's copy-on-write slots (the emulation
 *  of Wasmtime's mechanism), real Wasmtime with its pooling allocator, or V8 running the
 *  module's imaged variant ("what CoW would have saved", for a module without an image:
 *  extension/analysis/imaged-variant.ts) on a pool of its own. */
export const ENGINE_KINDS = ["v8", "wasmtime", "imaged"] as const;

export type EngineKind = (typeof ENGINE_KINDS)[number];

export function isEngineKind(value: unknown): value is EngineKind {
  return (ENGINE_KINDS as readonly unknown[]).includes(value);
}

/** How a released slot's memory is brought back to the image (Wasmtime's
 *  `MemoryImageSlot::clear_and_remain_ready`, and this tool's pagemap variant). */
export const RESET_STRATEGIES = ["madvise", "keep-resident", "pagemap"] as const;

export type ResetStrategy = (typeof RESET_STRATEGIES)[number];

export function isResetStrategy(value: unknown): value is ResetStrategy {
  return (RESET_STRATEGIES as readonly unknown[]).includes(value);
}

export interface SyscallCounts {
  mmap: number;
  mprotect: number;
  madvise: number;
  ioctl: number;
  /** memcpy calls made to restore image bytes by hand; null where they are not seen
   *  (inside Wasmtime: a memcpy is no system call). */
  copies: number | null;
}

/** How the pool chose a slot (Wasmtime's affinity allocator). */
export type PickKind = "affine" | "cold" | "warm";

/** A wasm value as JSON: i64 as a decimal string, floats as numbers or "nan"/"inf". */
export type WasmValueJson = { type: string; value: string | number | null };

/** /proc/self/smaps figures of the mappings (VMAs) covering a memory: `spanStart`..
 *  `spanEnd` is what they cover, which can be wider than the memory. memfd pages of the
 *  image count as dirty there. */
export interface SmapsFigures {
  rssBytes: number;
  pssBytes: number;
  sharedCleanBytes: number;
  sharedDirtyBytes: number;
  privateCleanBytes: number;
  privateDirtyBytes: number;
  anonymousBytes: number;
  vmas: number;
  spanStart: bigint;
  spanEnd: bigint;
}

/** Where an observed memory lives and how its initial contents got there. */
export interface MemoryOrigin {
  /** "slot": a pool slot (this tool's or Wasmtime's); "imported": the memory the runner
   *  made from the module's memory import (Wasmtime's pool never holds those); "own": the
   *  module's own memory where no slot can stand for it (shared, memory64, custom page
   *  size), the module run unmodified. */
  place: "slot" | "imported" | "own";
  /** How the data segments got in: mapped from the copy-on-write image, copied at
   *  instantiation (V8 or Wasmtime writing every active segment), copied page by page
   *  from the image by the userfaultfd handler as pages are first touched, or nothing to
   *  write. */
  init: "image" | "copied" | "userfaultfd" | "none";
  /** Why there is no image, when there is none. */
  noImage: string | null;
}

export interface MemoryStepState {
  memory: number;
  /** For a component: the core module the memory belongs to ("component → module 0"). */
  coreModule?: string;
  /** The pool slot; null for a memory outside the pool (`origin.place`). */
  slot: number | null;
  origin: MemoryOrigin;
  /** Host pages of the accessible memory by state; they add up to its size. */
  pages: PageCounts;
  /** Clean image pages mapped by some other mapping too (another slot); null without an image. */
  sharedImagePages: number | null;
  /** Resident bytes of the memory's range (present pages, the zero page included). */
  rssBytes: number;
  /** Bytes of private written pages (imageDirty + anonDirty). */
  privateDirtyBytes: number;
  /** smaps figures of the memory's mappings, when asked for. */
  smaps: SmapsFigures | null;
  imageOffset: number | null;
  imageLength: number | null;
  /** One state per host page, when the session was asked for them (the UI's page map). */
  states: Uint8Array | null;
  /** Faults the userfaultfd handler answered for this memory since the previous step's
   *  state of it; null unless the memory is served by userfaultfd. */
  userfaults: UserfaultCounts | null;
}

/** What the userfaultfd handler did: faults answered, by a copy of an image page, the
 *  zero page, or a wake alone (the page was there by then), and the handler's time. */
export interface UserfaultCounts {
  faults: number;
  copies: number;
  zeroPages: number;
  wakes: number;
  /** In the fill ioctls: copying or mapping the page and waking the faulting thread. */
  serviceNs: number;
  /** Waiting in the handler, behind faults read in the same batch (the single handler
   *  thread's queue; the wait before the handler read the fault is not included). */
  queuedNs: number;
}

export type StepName =
  | "plan"
  | "image"
  | "compile"
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
  /** null when they were not counted (a step that failed in transit, or system calls
   *  made inside Wasmtime); the step's detail says why. */
  syscalls: SyscallCounts | null;
  memories: MemoryStepState[];
  result: WasmValueJson[] | null;
  error: string | null;
  /** What a WASI instance wrote to stdout and stderr during the step. */
  output: { stdout: string; stderr: string } | null;
  /** Step-specific facts (reset outcome, retirement, whether the image was already mapped). */
  detail: Record<string, string | number | boolean | null> | null;
}

/** The `export` the editor gives the steps of "instantiate another module" (which
 *  calls no export), so the stepper can group them apart. */
export const OTHER_MODULE_MARK = "(other module)";

/** Whose memory a slot holds (Wasmtime's `MemoryAffinity`): one memory of one loaded
 *  module, the module named by the id its caller gave (the editor uses the document's
 *  URI, so two files with the same name never look alike). */
export interface SlotAffinity {
  moduleId: string;
  memory: number;
}

export interface SlotView {
  index: number;
  state: "cold" | "warm" | "in-use";
  affinity: SlotAffinity | null;
  bytesResident: number;
  /** Accessible bytes of the slot's memory, or 0 before it has one. */
  accessibleBytes: number;
  imageMapped: boolean;
  /** The slot's memory is registered with the userfaultfd handler (this tool's engine). */
  userfaultfd: boolean;
  /** How often the slot's memory was thrown away because its reset failed; null when the
   *  engine does not say (Wasmtime). */
  retirements: number | null;
}
