// V8 as the oracle for copy-on-write rewrites: the original module instantiated the
// ordinary way, and its rewrite instantiated with fresh memories into which the test
// itself copies the planned image bytes (what mapping the image does in a slot). Both
// report their memories' bytes and the outcome of calling some exports.

import { rewriteForCow, SLOT_IMPORT_MODULE } from "../../extension/analysis/cow-rewriter";
import {
  DEFAULT_DENSE_LIMIT,
  materializeImage,
  planImages,
  type ImagePlan,
} from "../../extension/analysis/image-planner";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import { exportEveryMemory, stubImports, stubMemory } from "./v8-oracle";

export type CallOutcome = { value: unknown } | { trap: string };

export interface Observed {
  /** Instantiation failed: the error's class and message. */
  failure: string | null;
  /** Bytes of every memory, by memory index. */
  memories: Buffer[];
  calls: Record<string, CallOutcome>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

function callAll(exports: WebAssembly.Exports, names: string[]): Record<string, CallOutcome> {
  const outcomes: Record<string, CallOutcome> = {};
  for (const name of names) {
    try {
      outcomes[name] = { value: (exports[name] as () => unknown)() };
    } catch (error) {
      outcomes[name] = { trap: describe(error) };
    }
  }
  return outcomes;
}

function copyOf(memory: WebAssembly.Memory): Buffer {
  return Buffer.from(new Uint8Array(memory.buffer));
}

/** Ordinary instantiation of the original, with every memory exported for reading. */
export function observeOriginal(module: WasmModule, calls: string[]): Observed {
  const { bytes, names } = exportEveryMemory(module);
  const compiled = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(compiled, stubImports(module));
  } catch (error) {
    return { failure: describe(error), memories: [], calls: {} };
  }
  return {
    failure: null,
    memories: names.map((name) => copyOf(instance.exports[name] as WebAssembly.Memory)),
    calls: callAll(instance.exports, calls),
  };
}

/** Memories whose image a slot would map: static, with a non-empty image. */
export function imagedMemories(plan: ImagePlan): Set<number> {
  return new Set(
    plan.memories.filter((m) => m.static && m.image && m.image.length > 0).map((m) => m.memory),
  );
}

/** The rewrite, instantiated on fresh memories: imaged ones hold the planned image at
 *  its offset (as a mapped image would), the others are zero. */
export function observeRewrite(
  module: WasmModule,
  plan: ImagePlan,
  imaged: ReadonlySet<number>,
  calls: string[],
): Observed {
  const rewrite = rewriteForCow(module, imaged);
  const rewritten = readModule(rewrite.bytes);
  const slots = new Map<string, WebAssembly.Memory>();
  for (const slot of rewrite.memories) {
    const memory = stubMemory(slot.type);
    const image = plan.memories[slot.memory]!.image;
    if (imaged.has(slot.memory) && image) {
      new Uint8Array(memory.buffer).set(materializeImage(module, image), Number(image.offset));
    }
    slots.set(slot.name, memory);
  }
  const memoryOf = new Map<number, WebAssembly.Memory>();
  const imports = stubImports(rewritten, (imp) =>
    imp.module === SLOT_IMPORT_MODULE && imp.desc.kind === "memory"
      ? slots.get(imp.name)
      : undefined,
  );
  // Every memory of the rewrite is imported now: index i is import number i.
  let index = 0;
  for (const imp of rewritten.imports) {
    if (imp.desc.kind === "memory")
      memoryOf.set(index++, imports[imp.module]![imp.name] as WebAssembly.Memory);
  }
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(
      new WebAssembly.Module(rewrite.bytes as Uint8Array<ArrayBuffer>),
      imports,
    );
  } catch (error) {
    return { failure: describe(error), memories: [], calls: {} };
  }
  return {
    failure: null,
    memories: module.memories.map((m) => copyOf(memoryOf.get(m.index)!)),
    calls: callAll(instance.exports, calls),
  };
}

export function planFor(module: WasmModule, pageSize = 4096): ImagePlan {
  return planImages(module, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT });
}
