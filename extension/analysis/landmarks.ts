// The linker's landmarks in memory 0: globals wasm-ld defines (`__data_end`,
// `__heap_base`, `__stack_pointer`, …) found by export name or by the name section's
// global names, with their initial values when those are constants. They say where the
// static data ends, where the stack lies and where the heap begins, which the Overview's
// picture labels and which run results are attributed to.

import { singleConstant } from "./const-expr";
import type { WasmModule } from "./module-types";
import type { LandmarkJson } from "../../common/report-types";
import { LANDMARK_NAMES, type LandmarkName } from "../../common/memory-regions";

const KNOWN = new Set<string>(LANDMARK_NAMES);

export function findLandmarks(module: WasmModule): LandmarkJson[] {
  const found = new Map<LandmarkName, LandmarkJson>();
  const add = (name: string, global: number, via: LandmarkJson["via"]): void => {
    if (!KNOWN.has(name) || found.has(name as LandmarkName)) return;
    const definition = module.globals[global];
    if (!definition) return;
    const constant = definition.init ? singleConstant(definition.init) : null;
    found.set(name as LandmarkName, {
      name: name as LandmarkName,
      global,
      via,
      // An imported global (`__memory_base` style) has no value the file can tell.
      value: constant,
      mutable: definition.type.mutable,
    });
  };
  // Exports first: an exported name is what the linker promised to the embedder.
  for (const entry of module.exports) {
    if (entry.kind === "global") add(entry.name, entry.index, "export");
  }
  for (const [global, name] of module.names.globals) add(name, global, "name section");
  return LANDMARK_NAMES.flatMap((name) => found.get(name) ?? []);
}
