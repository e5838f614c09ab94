// Pieces of a StepRecord that both engines' sessions build the same way: the timing, a
// step with nothing observed yet, a memory's page states in numbers, and what a call
// threw, in words.

import { pageCountsOf, residentBytes } from "../../common/page-states";
import { planImages, type ImagePlan } from "../analysis/image-planner";
import { readModule } from "../analysis/module-reader";
import type { WasmModule } from "../analysis/module-types";
import type { LoadModuleRequest } from "./protocol";
import type { MemoryOrigin, MemoryStepState, StepRecord } from "../../common/run-types";
import type { Snapshot } from "./native-backend";
import { NO_SYSCALLS } from "./native-backend";

export function elapsed(since: bigint): number {
  return Number(process.hrtime.bigint() - since);
}

/** The module of a load request, read and planned, with the timed "plan" step. */
export function plannedModule(request: LoadModuleRequest): {
  module: WasmModule;
  plan: ImagePlan;
  step: StepRecord;
} {
  const started = process.hrtime.bigint();
  const module = readModule(request.bytes);
  const plan = planImages(module, { pageSize: request.pageSize, denseLimit: request.denseLimit });
  return { module, plan, step: { ...blankStep("plan"), ns: elapsed(started) } };
}

/** A step of `step` with every observation empty; callers fill in what they saw. */
export function blankStep(step: StepRecord["step"]): StepRecord {
  return {
    step,
    export: null,
    instance: null,
    slot: null,
    pick: null,
    ns: 0,
    syscalls: { ...NO_SYSCALLS },
    memories: [],
    result: null,
    error: null,
    output: null,
    detail: null,
  };
}

/** One memory's state from a kernel snapshot. Resident and private-dirty bytes come from
 *  the page states of exactly the memory's range (smaps counts whole mappings and calls
 *  an image's memfd pages dirty even when they were only read). */
export function memoryStepState(
  snapshot: Snapshot,
  where: {
    memory: number;
    slot: number | null;
    origin: MemoryOrigin;
    image: { offset: number; length: number } | null;
    hostPageSize: number;
    smaps: MemoryStepState["smaps"];
    userfaults?: MemoryStepState["userfaults"];
  },
): MemoryStepState {
  const pages = pageCountsOf(snapshot.tally);
  const page = where.hostPageSize;
  return {
    memory: where.memory,
    slot: where.slot,
    origin: where.origin,
    pages,
    sharedImagePages: where.image ? snapshot.imageSharedPages : null,
    rssBytes: residentBytes(pages, page),
    privateDirtyBytes: (pages.imageDirty + pages.anonDirty) * page,
    smaps: where.smaps,
    imageOffset: where.image?.offset ?? null,
    imageLength: where.image?.length ?? null,
    states: snapshot.states,
    userfaults: where.userfaults ?? null,
  };
}
