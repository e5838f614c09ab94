// The strategy lab, run in the runner process (module code never runs in the extension
// host or the CLI): for each strategy, the module's instances one after another (the
// steps' own times, the faults the userfaultfd handler answered, the process's mappings
// before and after), first touches of the image's pages, N instances live at once (smaps
// RSS and PSS, and how many physical pages their image pages take), and instances per
// second as threads grow; then, on request, madvise against the size of its range.

import { readFileSync } from "node:fs";
import os from "node:os";
import type {
  FirstTouch,
  LabReport,
  LabRequest,
  LiveFigures,
  StrategyFigures,
  LabStrategy,
} from "../../../common/lab-types";
import type { NativeAddon } from "../native-backend";
import type { RunnerSession } from "../runner-session";
import { distribution, median } from "./distribution";
import { WasmtimeSession } from "../wasmtime-session";
import {
  InstanceCycle,
  LAB_MODULE,
  loadLabModule,
  openLabSession,
  toolCycle,
} from "./instance-cycle";
import { measureMadviseSizes } from "./madvise-sizes";
import { measureScaling } from "./thread-scaling";

type Span = { memory: number; offset: number; length: number };

/** Below this a mapping cannot be a linear memory's reservation (V8's and Wasmtime's are
 *  gigabytes; the 32-bit slots here are 4 GiB plus guards). */
const MEMORY_RESERVATION_BYTES = 1n << 30n;

/** Mappings of this process that belong to linear memories now: memfd images and
 *  reservations of 1 GiB or more, as /proc/self/maps lists them. V8's own heap is left
 *  out: its collector maps and unmaps pages at any time, in the same process, which made
 *  a whole-process count swing by a hundred mappings around one instance. */
function processMappings(): number {
  const text = readFileSync("/proc/self/maps", "utf8");
  let count = 0;
  for (const line of text.split("\n")) {
    const dash = line.indexOf("-");
    const space = line.indexOf(" ");
    if (dash < 0 || space < dash) continue;
    const size = BigInt(`0x${line.slice(dash + 1, space)}`) - BigInt(`0x${line.slice(0, dash)}`);
    if (size >= MEMORY_RESERVATION_BYTES || line.includes("/memfd:")) count++;
  }
  return count;
}

function emptyFigures(strategy: LabStrategy, unavailable: string): StrategyFigures {
  return {
    strategy,
    unavailable,
    notes: [],
    instantiate: null,
    workload: null,
    reset: null,
    firstTouch: null,
    faults: null,
    vmas: null,
    live: null,
    scaling: [],
  };
}

export async function runLab(addon: NativeAddon, request: LabRequest): Promise<LabReport> {
  const { options } = request;
  const probe = addon.userfaultProbe();
  // The image as the session plans it (the same for every strategy).
  const planning = openLabSession(addon, request, 1);
  const summary = planning.summary;
  planning.session.unloadModule(LAB_MODULE);
  const imageSpan: Span | null = summary.images[0] ?? null;

  const strategies: StrategyFigures[] = [];
  for (const strategy of options.strategies) {
    const refusal =
      strategy === "userfaultfd" && !probe.available
        ? `userfaultfd is unavailable: ${probe.reason}`
        : strategy === "wasmtime" && !request.wasmtime
          ? "real Wasmtime's library was not found (pip3 install wasmtime==49.0.0)"
          : strategy !== "eager" && strategy !== "wasmtime" && !summary.cow
            ? `the module gets no image (${summary.cowRefusal}), so it would run eager`
            : null;
    if (refusal) {
      strategies.push(emptyFigures(strategy, refusal));
      continue;
    }
    try {
      strategies.push(
        strategy === "wasmtime"
          ? measureWasmtime(addon, request, request.wasmtime!)
          : await measureStrategy(addon, request, strategy, imageSpan),
      );
    } catch (error) {
      // One strategy's failure (a trap in the workload, an import Wasmtime cannot give)
      // leaves the others' figures standing.
      strategies.push(emptyFigures(strategy, (error as Error).message));
    }
  }
  const cpus = os.cpus();
  return {
    file: request.fileName,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      kernel: addon.probe().kernel,
      node: process.version,
      v8: process.versions.v8,
    },
    userfaultfd: probe.available
      ? { available: true, mode: probe.mode }
      : { available: false, reason: probe.reason },
    image: imageSpan,
    options,
    strategies,
    madvise: options.madviseSizes ? measureMadviseSizes(addon) : null,
  };
}

/** Times, mappings and (under userfaultfd) faults of `instances` instances, one after
 *  another. */
function measureSequence(
  addon: NativeAddon,
  cycle: InstanceCycle,
  instances: number,
  countFaults: boolean,
): Pick<StrategyFigures, "instantiate" | "workload" | "reset" | "faults" | "vmas"> {
  const times = { instantiate: [] as number[], workload: [] as number[], reset: [] as number[] };
  const vmas = { added: [] as number[], removed: [] as number[] };
  const faults = { count: [] as number[], serviceNs: 0, queuedNs: 0, total: 0 };
  for (let i = 0; i < instances; i++) {
    const faultsBefore = countFaults ? addon.userfaultStats() : null;
    const mappingsBefore = processMappings();
    const started = cycle.start();
    const mappingsLive = processMappings();
    times.reset.push(cycle.finish(started.instance));
    const mappingsAfter = processMappings();
    times.instantiate.push(started.instantiateNs);
    times.workload.push(started.workloadNs);
    vmas.added.push(mappingsLive - mappingsBefore);
    vmas.removed.push(mappingsLive - mappingsAfter);
    if (faultsBefore) {
      const now = addon.userfaultStats();
      faults.count.push(now.faults - faultsBefore.faults);
      faults.total += now.faults - faultsBefore.faults;
      faults.serviceNs += now.serviceNs - faultsBefore.serviceNs;
      faults.queuedNs += now.queuedNs - faultsBefore.queuedNs;
    }
  }
  return {
    instantiate: distribution(times.instantiate),
    workload: distribution(times.workload),
    reset: distribution(times.reset),
    faults: countFaults
      ? {
          perInstance: median(faults.count),
          serviceNsPerFault: faults.total ? faults.serviceNs / faults.total : 0,
          queuedNsPerFault: faults.total ? faults.queuedNs / faults.total : 0,
        }
      : null,
    vmas: { added: median(vmas.added), removed: median(vmas.removed) },
  };
}

async function measureStrategy(
  addon: NativeAddon,
  request: LabRequest,
  strategy: LabStrategy,
  image: Span | null,
): Promise<StrategyFigures> {
  const { options } = request;
  const { session } = openLabSession(addon, request, options.instances);
  try {
    const cycle = toolCycle(session, strategy, options.invokes);
    const countFaults = strategy === "userfaultfd";
    const sequence = measureSequence(addon, cycle, options.instances, countFaults);
    const firstTouch = image
      ? measureFirstTouch(session, strategy, image, options.instances, addon.probe().hostPageSize)
      : null;
    const live = measureLive(addon, session, cycle, options.instances, image);
    const scaling = [];
    for (const threads of options.threads) {
      scaling.push(
        await measureScaling(
          addon,
          threads,
          { module: request, strategy, invokes: options.invokes, instances: options.instances },
          countFaults,
        ),
      );
    }
    return { strategy, unavailable: null, notes: [], ...sequence, firstTouch, live, scaling };
  } finally {
    session.unloadModule(LAB_MODULE);
  }
}

/** Real Wasmtime's pooling allocator, the instances one after another. Its C API gives
 *  no view of a memory a JavaScript loop could touch or smaps could account, and one
 *  process holds one Wasmtime library: the other figures are said to be missing. */
function measureWasmtime(
  addon: NativeAddon,
  request: LabRequest,
  library: { path: string; version: string },
): StrategyFigures {
  const { options } = request;
  addon.loadWasmtime(library.path);
  const config = {
    slots: options.instances,
    maxUnusedWarmSlots: options.instances,
    includePageStates: false,
    snapshots: false,
  };
  const session = new WasmtimeSession(addon, config, {
    totalMemories: options.instances,
    maxUnusedWarmSlots: options.instances,
  });
  loadLabModule(addon, session, request);
  try {
    const cycle = new InstanceCycle(session, "wasmtime", options.invokes);
    return {
      strategy: "wasmtime",
      unavailable: null,
      notes: [
        `Wasmtime ${library.version}: first touch, live memory and threads are not measured (its C API gives no view of an instance's memory to touch or account, and the runner loads one Wasmtime per process)`,
      ],
      ...measureSequence(addon, cycle, options.instances, false),
      firstTouch: null,
      live: null,
      scaling: [],
    };
  } finally {
    session.unloadModule(LAB_MODULE);
  }
}

/** One byte of every image page read (or written) twice in a fresh instance: the first
 *  pass takes the faults, the second is the same loop over present pages. Per page, the
 *  difference; the median over `rounds` instances of each. */
function measureFirstTouch(
  session: RunnerSession,
  strategy: LabStrategy,
  image: Span,
  rounds: number,
  hostPageSize: number,
): FirstTouch {
  const bare = toolCycle(session, strategy, []);
  const page = hostPageSize;
  const pages = Math.ceil(image.length / page);
  const touch = (write: boolean): number => {
    const { instance } = bare.start();
    const slot = session.slotMemoriesOf(instance).find((m) => m.memoryIndex === image.memory);
    if (!slot) throw new Error(`memory ${image.memory} is not in a slot`);
    const memory = slot.memory;
    const view = new Uint8Array(memory.buffer, image.offset, pages * page);
    const pass = (): number => {
      const started = process.hrtime.bigint();
      let sum = 0;
      for (let p = 0; p < pages; p++) {
        if (write) view[p * page] = 1;
        else sum += view[p * page]!;
      }
      const ns = Number(process.hrtime.bigint() - started);
      return sum < 0 ? -1 : ns; // keeps the reads
    };
    const first = pass();
    const again = pass();
    bare.finish(instance);
    return Math.max(0, first - again) / pages;
  };
  const reads = Array.from({ length: rounds }, () => touch(false));
  const writes = Array.from({ length: rounds }, () => touch(true));
  return { pages, readNsPerPage: median(reads), writeNsPerPage: median(writes) };
}

/** N instances live at once, each after its workload: smaps of their memories, and the
 *  image's pages by kind (shared clean pages counted by physical frame). */
function measureLive(
  addon: NativeAddon,
  session: RunnerSession,
  cycle: InstanceCycle,
  instances: number,
  image: Span | null,
): LiveFigures {
  const live = Array.from({ length: instances }, () => cycle.start().instance);
  const figures: LiveFigures = {
    instances,
    rssBytes: 0,
    pssBytes: 0,
    imagePagesPresent: 0,
    imagePagesPrivate: 0,
    imageFramesShared: addon.probe().pfnReadable ? 0 : null,
  };
  const frames = new Set<bigint>();
  for (const instance of live) {
    for (const { memory, memoryIndex } of session.slotMemoriesOf(instance)) {
      const smaps = addon.accounting(memory);
      figures.rssBytes += smaps.rssBytes;
      figures.pssBytes += smaps.pssBytes;
      if (memoryIndex !== image?.memory) continue;
      const snapshot = addon.snapshot(memory, image.offset, image.length);
      const [, , clean = 0, dirty = 0] = snapshot.tally;
      figures.imagePagesPresent += clean + dirty;
      figures.imagePagesPrivate += dirty;
      for (const frame of snapshot.imageFrames ?? []) if (frame !== 0n) frames.add(frame);
    }
  }
  if (figures.imageFramesShared !== null) figures.imageFramesShared = frames.size;
  for (const instance of live) cycle.finish(instance);
  return figures;
}
