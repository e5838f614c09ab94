// The strategy lab's report (`wasm-cow lab`, the editor's Strategies tab): how each way
// of initialising and resetting linear memory performs on one module, measured in the
// runner. Wasmtime PR #4040 replaced userfaultfd with copy-on-write images for reasons
// each figure here lets a user check on their own module.

/** The ways an instance's memory gets its data, as the lab runs them:
 *  - eager: V8 copies every segment into a slot's memory at instantiation;
 *  - cow-fresh: a new memory per instance with the image mapped into it (what an
 *    allocator without slot reuse does);
 *  - cow-affine: pooled slots that keep the image mapped, reused by the same module and
 *    reset with one madvise (Wasmtime's pooling allocator);
 *  - userfaultfd: pooled slots registered with one fault-handler thread that copies each
 *    page in on first touch (Wasmtime before PR #4040);
 *  - wasmtime: real Wasmtime 49's pooling allocator with its CoW images, where its
 *    library was found (the C API gives no view of its memory, so fewer figures). */
export const LAB_STRATEGIES = [
  "eager",
  "cow-fresh",
  "cow-affine",
  "userfaultfd",
  "wasmtime",
] as const;
export type LabStrategy = (typeof LAB_STRATEGIES)[number];

/** The strategies this tool runs itself (every one but real Wasmtime's). */
export const TOOL_STRATEGIES: readonly LabStrategy[] = LAB_STRATEGIES.filter(
  (strategy) => strategy !== "wasmtime",
);

export interface LabInvoke {
  name: string;
  args: string[];
}

export interface LabOptions {
  /** The workload: exports called in each instance, in order. */
  invokes: LabInvoke[];
  /** Instances per strategy, one after another; as many live at once for the memory
   *  figures. */
  instances: number;
  /** Thread counts for the scaling figures, each thread its own V8 isolate. */
  threads: number[];
  strategies: LabStrategy[];
  /** Measure madvise and mprotect against the size of the range too. */
  madviseSizes: boolean;
}

/** What the runner is asked to measure: one module's bytes and the lab's options. */
export interface LabRequest {
  fileName: string;
  bytes: Uint8Array;
  options: LabOptions;
  /** Real Wasmtime's C API library, when found: the `wasmtime` strategy needs it. */
  wasmtime: { path: string; version: string } | null;
}

/** Nanoseconds over the runs of one measurement. */
export interface Distribution {
  median: number;
  p10: number;
  p90: number;
  runs: number;
}

export interface FirstTouch {
  /** Image pages touched (host pages). */
  pages: number;
  /** A first read of a page, less a read of the same page once present. */
  readNsPerPage: number;
  /** The same for a first write. */
  writeNsPerPage: number;
}

export interface FaultFigures {
  /** Faults the handler answered per instance (median). */
  perInstance: number;
  /** Handler time per fault: the fill ioctl and the wake-up. */
  serviceNsPerFault: number;
  /** Time per fault spent behind other faults in the one handler's batch. */
  queuedNsPerFault: number;
}

/** What N instances live at once cost, summed over their memories. */
export interface LiveFigures {
  instances: number;
  /** From /proc/self/smaps, over the mappings of the instances' memories. */
  rssBytes: number;
  pssBytes: number;
  /** Host pages of the image present in the instances' memories, over all of them. */
  imagePagesPresent: number;
  /** Of those, pages that are the instance's own copy (written, or copied in by the
   *  fault handler): one physical page each. */
  imagePagesPrivate: number;
  /** Physical pages behind the clean (shared) image pages, counted by page frame
   *  number; null where frame numbers are unreadable (not root). */
  imageFramesShared: number | null;
}

export interface ScalingPoint {
  threads: number;
  /** Instances (instantiate, workload, reset) per second over all threads. */
  instancesPerSecond: number;
  /** Faults the one handler answered during this point (userfaultfd only). */
  faults: number | null;
}

export interface StrategyFigures {
  strategy: LabStrategy;
  /** Why the strategy could not run (no userfaultfd, no image…); every figure is then empty. */
  unavailable: string | null;
  /** Figures this strategy cannot give, each with why (they are null or empty). */
  notes: string[];
  /** Acquire, map, instantiate and initialise, as the session's steps measured them. */
  instantiate: Distribution | null;
  workload: Distribution | null;
  reset: Distribution | null;
  firstTouch: FirstTouch | null;
  faults: FaultFigures | null;
  /** Mappings of linear memories (memfd images and reservations of 1 GiB or more, in
   *  /proc/self/maps) added by an instance's instantiation and removed by its reset,
   *  medians. */
  vmas: { added: number; removed: number } | null;
  live: LiveFigures | null;
  scaling: ScalingPoint[];
}

/** One size of the madvise-vs-size measurement: medians in nanoseconds. */
export interface MadviseRow {
  accessibleBytes: number;
  protNoneBytes: number;
  dirtyPages: number;
  /** madvise(MADV_DONTNEED) of the accessible part, of both parts, of the PROT_NONE part
   *  alone, and mprotect of the accessible part to PROT_NONE and back. */
  accessibleNs: number;
  wholeNs: number;
  protNoneNs: number;
  mprotectNs: number;
}

export interface LabReport {
  file: string;
  machine: { cpus: number; cpuModel: string; kernel: string; node: string; v8: string };
  /** The process's userfaultfd, as the runner found it. */
  userfaultfd: { available: true; mode: string } | { available: false; reason: string };
  /** The image of the module's first imaged memory, as planned. */
  image: { memory: number; offset: number; length: number } | null;
  options: LabOptions;
  strategies: StrategyFigures[];
  madvise: MadviseRow[] | null;
}
