// The lab's options as the webview sends them, checked by the host before a runner sees
// them (the same bounds as `wasm-cow lab`'s).

import { LAB_STRATEGIES, type LabInvoke, type LabOptions, type LabStrategy } from "./lab-types";

/** Instances per strategy: the memory figures keep them all live at once. */
export const MAX_LAB_INSTANCES = 1000;
/** Threads of one scaling point, each its own V8 isolate. */
export const MAX_LAB_THREADS = 64;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function parseInvoke(value: unknown): LabInvoke | null {
  if (!isRecord(value) || typeof value.name !== "string") return null;
  if (value.name.length === 0 || value.name.length > 1024) return null;
  const args = value.args;
  if (!Array.isArray(args) || args.length > 64) return null;
  if (!args.every((a) => typeof a === "string" && a.length <= 256)) return null;
  return { name: value.name, args: args as string[] };
}

/** Validated lab options, or null for anything out of bounds. */
export function parseLabOptions(value: unknown): LabOptions | null {
  if (!isRecord(value)) return null;
  const { invokes, instances, threads, strategies, madviseSizes } = value;
  if (!Array.isArray(invokes) || invokes.length > 64) return null;
  const parsedInvokes = invokes.map(parseInvoke);
  if (parsedInvokes.some((i) => i === null)) return null;
  if (!isIntegerIn(instances, 1, MAX_LAB_INSTANCES)) return null;
  if (!Array.isArray(threads) || threads.length > 8) return null;
  if (!threads.every((t) => isIntegerIn(t, 1, MAX_LAB_THREADS))) return null;
  if (!Array.isArray(strategies) || strategies.length === 0) return null;
  if (!strategies.every((s) => (LAB_STRATEGIES as readonly unknown[]).includes(s))) return null;
  if (typeof madviseSizes !== "boolean") return null;
  return {
    invokes: parsedInvokes as LabInvoke[],
    instances,
    threads: [...new Set(threads as number[])],
    strategies: [...new Set(strategies as LabStrategy[])],
    madviseSizes,
  };
}
