// V8 as the oracle for the planner's images over every valid spec module: after an
// ordinary instantiation, the memory bytes over the image's range must hash to the
// image's sha256, and every byte outside it must be zero, at all three page sizes.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_DENSE_LIMIT,
  planImages,
  TARGET_PAGE_SIZES,
} from "../../extension/analysis/image-planner";
import { readModule } from "../../extension/analysis/module-reader";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import {
  isBinaryModule,
  readSpecModule,
  specCommands,
  spectestImport,
  where,
} from "../helpers/spec-suite";
import {
  exportEveryMemory,
  imageMismatches,
  instantiateMemories,
  memoryBytes,
  OracleError,
  v8CompileError,
} from "../helpers/v8-oracle";

enableWasmFeatures();

const modules = specCommands((c) => c.type === "module" && isBinaryModule(c)).map((command) => {
  const module = readModule(readSpecModule(command));
  return { label: where(command), module, v8Error: v8CompileError(module.bytes) };
});

/** Spec modules that have an image but cannot be instantiated with stub imports, with
 *  the reason (a substring of the oracle's message). Must stay exact. */
const CANNOT_INSTANTIATE = new Map<string, string>([
  // `(memory (import "Mm" "mem") 0)` with a segment at 0xffff: the script links $Mm's
  // 1-page memory, a stub of the declared type has 0 pages.
  ["wasm-2.0/linking:354 (linking.32.wasm)", "data segment is out of bounds"],
]);

test("V8 rejects exactly the modules with more than one memory (no multi-memory in V8 11.3)", (t) => {
  const rejected = modules.filter((m) => m.v8Error !== null).map((m) => m.label);
  const multiMemory = modules.filter((m) => m.module.memories.length > 1).map((m) => m.label);
  const withImage = modules.filter(
    (m) =>
      m.module.memories.length > 1 &&
      planImages(m.module, { pageSize: 65536, denseLimit: DEFAULT_DENSE_LIMIT }).memories.some(
        (p) => p.image && p.image.length > 0,
      ),
  );
  t.diagnostic(
    `${multiMemory.length} multi-memory modules cannot be checked in V8, ${withImage.length} of them with an image: ${withImage.map((m) => m.label).join(", ")}`,
  );
  assert.ok(multiMemory.length > 0, "the 3.0 set has multi-memory modules");
  assert.deepEqual(rejected, multiMemory);
});

test("the memory-export rewrite adds the exports and keeps everything else", () => {
  const problems: string[] = [];
  for (const { label, module, v8Error } of modules) {
    if (v8Error !== null || module.memories.length === 0) continue;
    const { bytes, names } = exportEveryMemory(module);
    const rewritten = readModule(bytes);
    const expected = [
      ...module.exports.map((e) => `${e.kind} ${e.index} ${e.name}`),
      ...names.map((name, i) => `memory ${i} ${name}`),
    ];
    const actual = rewritten.exports.map((e) => `${e.kind} ${e.index} ${e.name}`);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${label}: exports`);
    // Every other section, custom ones included, keeps its id and payload bytes.
    const others = (m: typeof module): string =>
      m.sections
        .filter((s) => s.name !== "export")
        .map((s) => `${s.id}:${Buffer.from(m.bytes.subarray(s.start, s.end)).toString("hex")}`)
        .join(",");
    if (others(rewritten) !== others(module)) problems.push(`${label}: other sections changed`);
    if (new Set(names).size !== names.length || module.exports.some((e) => names.includes(e.name)))
      problems.push(`${label}: export names clash`);
  }
  assert.deepEqual(problems, []);
});

test("V8's initial memory of every spec module with an image is that image", (t) => {
  const failures = new Map<string, string>();
  let checked = 0;
  let comparisons = 0;
  for (const { label, module, v8Error } of modules) {
    if (v8Error !== null) continue; // multi-memory, see above
    const plans = TARGET_PAGE_SIZES.map((pageSize) =>
      planImages(module, { pageSize, denseLimit: DEFAULT_DENSE_LIMIT }),
    );
    if (!plans.some((p) => p.memories.some((m) => m.image && m.image.length > 0))) continue;
    let memories: WebAssembly.Memory[];
    try {
      memories = instantiateMemories(module, spectestImport);
    } catch (error) {
      if (!(error instanceof OracleError)) throw error;
      failures.set(label, error.message);
      continue;
    }
    checked++;
    const problems: string[] = [];
    for (const plan of plans) {
      for (const { memory, image } of plan.memories) {
        if (!image) continue;
        comparisons++;
        const bytes = memoryBytes(memories[memory]!);
        for (const p of imageMismatches(bytes, image)) {
          problems.push(`page size ${plan.pageSize}, memory ${memory}: ${p}`);
        }
      }
    }
    if (problems.length) failures.set(label, problems.join("; "));
  }
  t.diagnostic(`${checked} modules instantiated in V8, ${comparisons} image comparisons`);
  assert.ok(checked >= 90, `only ${checked} spec modules were oracle-checked`);
  const unexpected = [...failures].filter(
    ([label, message]) => !message.includes(CANNOT_INSTANTIATE.get(label) ?? "\u0000"),
  );
  assert.deepEqual(unexpected, []);
  assert.deepEqual([...failures.keys()], [...CANNOT_INSTANTIATE.keys()]);
});
