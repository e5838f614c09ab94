// "What CoW would have saved": the same steps run on a module as built (no memory image:
// V8 copies its segments) and on its imaged variant (extension/analysis/imaged-variant.ts),
// reduced to per-instance figures, each the median over the instances run: the time to
// instantiate (the slot's acquire and map included, where there are such steps) and the
// memory's private dirty and resident bytes after instantiation and just before the
// reset. The CLI prints them; the webview shows them as a table.

import { exactBytes } from "./format";
import type { StepRecord } from "./run-types";

export interface RunFigures {
  instances: number;
  /** Nanoseconds; null when no instance got that far. */
  instantiateNs: number | null;
  privateDirtyAfterInstantiate: number | null;
  privateDirtyBeforeReset: number | null;
  residentBeforeReset: number | null;
}

/** Steps that make an instance: a slot acquired, its image mapped, the module instantiated. */
const INSTANTIATION: ReadonlySet<StepRecord["step"]> = new Set(["acquire", "map", "instantiate"]);

export function runFigures(steps: readonly StepRecord[]): RunFigures {
  const instances = new Map<number, StepRecord[]>();
  for (const step of steps) {
    if (step.instance === null) continue; // module steps: plan, image, compile
    const list = instances.get(step.instance);
    if (list) list.push(step);
    else instances.set(step.instance, [step]);
  }
  const per = [...instances.values()].filter((list) =>
    list.some((s) => s.step === "instantiate" && s.error === null),
  );
  const bytes = (step: StepRecord | undefined, field: "privateDirtyBytes" | "rssBytes") =>
    step && step.memories.length ? step.memories.reduce((sum, m) => sum + m[field], 0) : null;
  const beforeReset = (list: StepRecord[]) => list.filter((s) => s.step !== "reset").at(-1);
  return {
    instances: per.length,
    instantiateNs: median(
      per.map((list) =>
        list.filter((s) => INSTANTIATION.has(s.step)).reduce((a, s) => a + s.ns, 0),
      ),
    ),
    privateDirtyAfterInstantiate: median(
      per.map((list) =>
        bytes(
          list.find((s) => s.step === "instantiate"),
          "privateDirtyBytes",
        ),
      ),
    ),
    privateDirtyBeforeReset: median(
      per.map((list) => bytes(beforeReset(list), "privateDirtyBytes")),
    ),
    residentBeforeReset: median(per.map((list) => bytes(beforeReset(list), "rssBytes"))),
  };
}

function median(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const middle = known.length >> 1;
  return known.length % 2 ? known[middle]! : (known[middle - 1]! + known[middle]!) / 2;
}

export interface SavingsRow {
  label: string;
  asBuilt: string;
  imaged: string;
}

/** The comparison as rows of text, for the CLI's table and the webview's. */
export function savingsRows(asBuilt: RunFigures, imaged: RunFigures): SavingsRow[] {
  const time = (ns: number | null) => (ns === null ? "—" : `${(ns / 1000).toFixed(1)} µs`);
  const size = (value: number | null) => (value === null ? "—" : exactBytes(value));
  return [
    {
      label: "instantiation (acquire, map, instantiate)",
      asBuilt: time(asBuilt.instantiateNs),
      imaged: time(imaged.instantiateNs),
    },
    {
      label: "private dirty after instantiation",
      asBuilt: size(asBuilt.privateDirtyAfterInstantiate),
      imaged: size(imaged.privateDirtyAfterInstantiate),
    },
    {
      label: "private dirty before the reset",
      asBuilt: size(asBuilt.privateDirtyBeforeReset),
      imaged: size(imaged.privateDirtyBeforeReset),
    },
    {
      label: "resident before the reset",
      asBuilt: size(asBuilt.residentBeforeReset),
      imaged: size(imaged.residentBeforeReset),
    },
  ];
}
