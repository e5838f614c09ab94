// Facts the slot pool view derives from the run: the last reset steps (to compare reset
// strategies), how this module's latest instantiation got its slot, and which slot its
// next instantiation would get by Wasmtime's affinity rule.

import type { RunView } from "../../../../common/webview-protocol";
import { affinityOwner } from "./affinity";
import { isOtherModuleStep } from "./step-groups";
import type {
  MemoryOrigin,
  MemoryStepState,
  SlotView,
  StepRecord,
} from "../../../../common/run-types";

export interface ResetRow {
  index: number;
  step: StepRecord;
  other: boolean;
}

/** The last `count` reset steps, newest last. */
export function lastResets(steps: readonly StepRecord[], count: number): ResetRow[] {
  const rows: ResetRow[] = [];
  steps.forEach((step, index) => {
    if (step.step === "reset") rows.push({ index, step, other: isOtherModuleStep(step) });
  });
  return rows.slice(-count);
}

export interface Instantiation {
  instance: number;
  acquire: StepRecord | null;
  map: StepRecord | null;
}

/** This module's most recent instantiation: its acquire and map steps (Wasmtime picks
 *  its slot inside instantiation: there the instantiate step carries the pick, no map). */
export function lastInstantiation(steps: readonly StepRecord[]): Instantiation | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const picks = step.step === "acquire" || (step.step === "instantiate" && step.pick !== null);
    if (!picks || isOtherModuleStep(step) || step.instance === null) continue;
    const instance = step.instance;
    const map = steps.find((s, j) => j > i && s.step === "map" && s.instance === instance) ?? null;
    return { instance, acquire: step, map };
  }
  return null;
}

/** What the next instantiation of this module will find, as far as the webview can tell
 *  (it does not know max_unused_warm_slots, which decides between cold and warm). */
export function nextPick(run: RunView): string {
  const slots: SlotView[] = run.slots;
  // How this module's memories were set up when it last ran (its own steps, not the
  // other module's): no image to map changes every answer below.
  const origins = lastOrigins(run.steps);
  if (origins.length > 0 && origins.every((o) => o.place !== "slot"))
    return origins.every((o) => o.place === "imported")
      ? "This module's memory is imported: each instance gets one made for it outside the pool, so its next instantiation takes no slot and maps nothing."
      : "This module's memory cannot be in a slot (shared, 64-bit or custom page size): each instance gets its own, outside the pool.";
  const imageless = origins.find(
    (o) => o.place === "slot" && o.init !== "image" && o.init !== "userfaultfd",
  );
  const mine = (slot: SlotView) =>
    slot.affinity !== null && affinityOwner(slot.affinity, run) === "this";
  const inUse = slots.filter((slot) => slot.state === "in-use" && mine(slot));
  const warmMine = slots.filter((slot) => slot.state === "warm" && mine(slot));
  if (imageless) {
    return `This module gets no image (${imageless.noImage ?? "none planned"}): its next instantiation takes a slot, maps nothing, and V8 copies its data segments in.`;
  }
  if (inUse.length > 0 && warmMine.length === 0) {
    const slot = inUse[0]!;
    return `Slot ${slot.index} holds this module's image, in use by the live instance: released (reset), it stays warm with the image, and the next instantiation reuses it without mapping anything.`;
  }
  if (warmMine.length > 0) {
    const slot = warmMine.at(-1)!; // the runner lists by index; any of them keeps the image
    return `A warm slot still holds this module's image (slot ${slot.index}${warmMine.length > 1 ? " or another of its warm slots" : ""}): the next instantiation reuses it without mapping anything.`;
  }
  // Wasmtime's slots are known only once used: the others are cold, and not listed.
  if (run.engine === "wasmtime")
    return "No slot seen so far holds this module's image: Wasmtime takes a cold slot and maps the image, or remaps a warm one.";
  const cold = slots.filter((slot) => slot.state === "cold").length;
  const warm = slots.filter((slot) => slot.state === "warm").length;
  if (cold === 0 && warm === 0)
    return "Every slot is in use: the next instantiation fails until one is released.";
  if (cold === 0)
    return "No slot holds this module's image and none is cold: the next instantiation takes the least recently used warm slot and remaps it.";
  if (warm === 0)
    return "No slot holds this module's image: the next instantiation takes a cold slot and maps the image.";
  return "No slot holds this module's image: the next instantiation takes a cold slot (while fewer than max_unused_warm_slots slots are warm) or else remaps the least recently used warm slot.";
}

/** The memories' origins in this module's latest step that has memories (none before it
 *  ran). */
function lastOrigins(steps: readonly StepRecord[]): MemoryOrigin[] {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (isOtherModuleStep(step) || step.memories.length === 0) continue;
    return step.memories.map((memory) => memory.origin);
  }
  return [];
}

/** The live instance's memories outside the pool (those made for its memory imports), as
 *  its latest step saw them. */
export function memoriesOutsidePool(run: RunView): MemoryStepState[] {
  if (run.liveInstance === null) return [];
  for (let i = run.steps.length - 1; i >= 0; i--) {
    const step = run.steps[i]!;
    if (step.instance !== run.liveInstance || step.memories.length === 0) continue;
    return step.memories.filter((memory) => memory.origin.place === "imported");
  }
  return [];
}
