// The V8 oracle on real modules from npm (Rust, Go, Emscripten): instantiated with
// stub imports, V8's initial memory must be exactly the planner's image, at all three
// page sizes.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_DENSE_LIMIT,
  planImages,
  TARGET_PAGE_SIZES,
} from "../../extension/analysis/image-planner";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { fetchRealModule, REAL_MODULES } from "../helpers/npm-wasm";
import { imageMismatches, instantiateMemories, memoryBytes } from "../helpers/v8-oracle";

enableWasmFeatures();

/** Active segments whose offset is not a single i32.const / i64.const (an Emscripten
 *  PIC build places its data at `global.get $__memory_base`): no image is possible. */
function nonConstantOffsets(module: WasmModule): number[] {
  return module.dataSegments
    .filter(
      (s) =>
        s.mode === "active" &&
        !(
          s.offsetExpr!.instrs.length === 1 &&
          ["i32.const", "i64.const"].includes(s.offsetExpr!.instrs[0]!.op)
        ),
    )
    .map((s) => s.index);
}

for (const real of REAL_MODULES) {
  test(`${real.label} (${real.spec}): V8's initial memory is the planned image`, async (t) => {
    const module = readModule(await fetchRealModule(real));
    const plans = TARGET_PAGE_SIZES.map((pageSize) =>
      planImages(module, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT }),
    );
    const images = plans.flatMap((plan) =>
      plan.memories.flatMap((m) => (m.image ? [{ plan, memory: m.memory, image: m.image }] : [])),
    );
    if (images.length === 0) {
      // Nothing to compare: that is only right when some offset is not a constant.
      const reasons = nonConstantOffsets(module);
      t.diagnostic(`no image: data segments [${reasons.join(", ")}] have non-constant offsets`);
      assert.ok(reasons.length > 0, "the planner built no image although every offset is constant");
      return;
    }
    // Stub imports throw when called; a start function that calls one fails loudly here.
    const memories = instantiateMemories(module);
    const problems = images.flatMap(({ plan, memory, image }) =>
      imageMismatches(memoryBytes(memories[memory]!), image).map(
        (p) => `page size ${plan.pageSize}, memory ${memory}: ${p}`,
      ),
    );
    const sizes = images.map(({ plan, image }) => `${plan.pageSize}: ${image.length} bytes`);
    t.diagnostic(`compared in V8: ${sizes.join(", ")}`);
    assert.deepEqual(problems, []);
  });
}
