// The same actions run in both engines, step by step: the V8 emulation's steps and real
// Wasmtime's, paired. Both engines have the steps of an instance's life (instantiate,
// initialise, start, each invoke, the reset); the emulation's own acquire and map happen
// inside Wasmtime's instantiation, so they are folded into its instantiate step (the slot
// pick). A pair differs when the page-state counts after it differ, or the pick does.

import type { PageCounts } from "./page-states";
import type { PickKind, StepRecord } from "./run-types";

/** The steps both engines have, in the order they happen. */
const SHARED_STEPS: ReadonlySet<StepRecord["step"]> = new Set([
  "instantiate",
  "initialize",
  "start",
  "invoke",
  "reset",
]);

/** One step as both engines can show it. */
export interface EngineStep {
  step: StepRecord["step"];
  export: string | null;
  instance: number | null;
  /** How the slot was picked, on instantiate steps. */
  pick: PickKind | null;
  /** Page-state counts of the instance's first observed memory after the step. */
  pages: PageCounts | null;
  /** Private dirty bytes of the instance's observed memories after the step. */
  privateDirtyBytes: number | null;
  error: string | null;
}

/** An engine's steps reduced to those both engines have, each instantiate with its pick
 *  (the emulation picks at its "acquire" step, just before). */
export function engineSteps(steps: readonly StepRecord[]): EngineStep[] {
  const shared: EngineStep[] = [];
  let pick: PickKind | null = null;
  for (const step of steps) {
    if (step.step === "acquire") pick ??= step.pick;
    if (!SHARED_STEPS.has(step.step)) continue;
    shared.push({
      step: step.step,
      export: step.export,
      instance: step.instance,
      pick: step.step === "instantiate" ? (step.pick ?? pick) : null,
      pages: step.memories[0]?.pages ?? null,
      privateDirtyBytes: step.memories.length
        ? step.memories.reduce((sum, memory) => sum + memory.privateDirtyBytes, 0)
        : null,
      error: step.error,
    });
    if (step.step === "instantiate") pick = null;
  }
  return shared;
}

export interface EnginePair {
  left: EngineStep | null;
  right: EngineStep | null;
  /** What differs: "pages", "pick", "outcome" (one failed, the other not), "missing". */
  differences: ("pages" | "pick" | "outcome" | "missing")[];
}

/** Two runs' shared steps side by side, in order (V8's and Wasmtime's, or a module's and
 *  its imaged variant's). Both ran the same actions, so the n-th shared step of one is
 *  the n-th of the other; a run cut short on one side leaves its later rows empty. With
 *  `alignEnd`, the right run is taken to have started later (the imaged variant joins a
 *  run in progress): its steps pair with the left's last ones, earlier rows stay empty. */
export function pairEngineSteps(
  leftSteps: readonly StepRecord[],
  rightSteps: readonly StepRecord[],
  { alignEnd = false } = {},
): EnginePair[] {
  const left = engineSteps(leftSteps);
  const right = engineSteps(rightSteps);
  const skip = alignEnd ? Math.max(0, left.length - right.length) : 0;
  return Array.from({ length: Math.max(left.length, right.length + skip) }, (_, i) => {
    const a = left[i] ?? null;
    const b = right[i - skip] ?? null;
    return { left: a, right: b, differences: differencesOf(a, b) };
  });
}

function differencesOf(a: EngineStep | null, b: EngineStep | null): EnginePair["differences"] {
  if (!a || !b) return ["missing"];
  const found: EnginePair["differences"] = [];
  if (!samePages(a.pages, b.pages)) found.push("pages");
  if (a.pick !== b.pick) found.push("pick");
  if ((a.error === null) !== (b.error === null)) found.push("outcome");
  return found;
}

function samePages(a: PageCounts | null, b: PageCounts | null): boolean {
  if (a === null || b === null) return a === b;
  return (Object.keys(a) as (keyof PageCounts)[]).every((state) => a[state] === b[state]);
}
