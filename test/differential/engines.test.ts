// The V8 emulation measured against real Wasmtime 49: the same instances, calls and resets
// in both engines (test/helpers/engine-differential.ts), and after every step the page
// states the kernel reports for the instance's memory must be the same counts, and the
// slot picks the same. Where they may not be, the difference is a rule named below and
// asserted as such:
//
// - IMPORTED_GLOBALS: a module importing a global (position-independent data, pic.wat)
//   runs in V8 with a stand-in of 0, while Wasmtime has nothing to give it: Wasmtime
//   refuses the instantiation.
//
// Inputs: the examples, generated dirtying patterns (random images, random writes and
// reads, several instances per module and two modules sharing the pool, both reset
// strategies), and the modules of the spec memory scripts that get a CoW image (those that
// do not export their memory get an export for Wasmtime's C API: memory-exports.ts).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { readModule } from "../../extension/analysis/module-reader";
import { planImages, DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import { buildExamples } from "../../scripts/build-examples";
import {
  EngineDifferential,
  type DifferentialOptions,
  type DifferentialRun,
} from "../helpers/engine-differential";
import { requireBackend } from "../helpers/native";
import { isBinaryModule, readSpecModule, specCommands, where } from "../helpers/spec-suite";
import { wat } from "../helpers/wat";
import { seededRandom } from "../helpers/seeded-random";

const addon = requireBackend();

const MADVISE: DifferentialOptions = {
  slots: 4,
  maxUnusedWarmSlots: 100,
  strategy: "madvise",
  keepResident: 0,
};
const KEEP_64K: DifferentialOptions = {
  ...MADVISE,
  strategy: "keep-resident",
  keepResident: 65536,
};

function assertAgree(run: DifferentialRun, what: string): void {
  assert.ok(run.v8.length > 0, `${what}: no step compared`);
  assert.deepEqual(run.wasmtime, run.v8, `${what}: Wasmtime (actual) vs V8 emulation (expected)`);
}

let examples: Map<string, Uint8Array>;
before(async () => {
  examples = new Map(
    (await buildExamples()).map((file) => [path.basename(file, ".wasm"), readFileSync(file)]),
  );
});

describe("the examples", () => {
  for (const options of [MADVISE, KEEP_64K]) {
    test(`dirty-per-call, 3 instances of 10 touches, ${options.strategy}`, () => {
      const both = new EngineDifferential(addon, options);
      both.load("dirty", examples.get("dirty-per-call")!);
      const touches = Array.from({ length: 10 }, () => ({ name: "touch", args: [] }));
      const runs = [0, 1, 2].map(() => both.run("dirty", touches));
      runs.forEach((run, i) => assertAgree(run, `instance ${i + 1}`));
      assert.deepEqual(
        runs.map((run) => run.v8[0]!.pick),
        ["cold", "affine", "affine"],
      );
    });
  }

  test("tiny, stack-first and sparse (segmented: Wasmtime copies the data, V8 too)", () => {
    const both = new EngineDifferential(addon, MADVISE);
    const calls: Record<string, { name: string; args: string[] }[]> = {
      tiny: [{ name: "greeting", args: [] }],
      "stack-first": [{ name: "first_byte", args: [] }],
      sparse: [],
    };
    for (const [name, invocations] of Object.entries(calls)) {
      both.load(name, examples.get(name)!);
      for (let n = 0; n < 2; n++) assertAgree(both.run(name, invocations), `${name} #${n + 1}`);
    }
  });

  test("IMPORTED_GLOBALS: pic.wat instantiates in V8 (a stand-in global) but not in Wasmtime", () => {
    const both = new EngineDifferential(addon, MADVISE);
    both.load("pic", examples.get("pic")!);
    const run = both.run("pic", []);
    assert.equal(run.v8[0]!.error, null);
    assert.deepEqual(
      run.wasmtime.map((s) => [s.step, s.error]),
      [["instantiate", "failed"]],
    );
  });
});

/** Host pages of the generated memory: 4 wasm pages of 64 KiB. */
const PATTERN_PAGES = 64;

/** A module whose memory (4 wasm pages = 64 host pages) has data on a random set of host
 *  pages, with `write(addr)` and `read(addr)` for the dirtying pattern. */
async function patternModule(next: () => number): Promise<{ bytes: Uint8Array; seeded: number[] }> {
  const seeded = [
    ...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => Math.floor(next() * 40))),
  ];
  const data = seeded
    .map((page) => `(data (i32.const ${page * 4096 + Math.floor(next() * 4000)}) "seed ${page}")`)
    .join("\n");
  const bytes = await wat(`(module
    (memory (export "memory") 4 4)
    ${data}
    (func (export "write") (param i32) (i32.store8 (local.get 0) (i32.const 0x5a)))
    (func (export "read") (param i32) (result i32) (i32.load8_u (local.get 0))))`);
  return { bytes, seeded };
}

describe("generated dirtying patterns", () => {
  const SEEDS = 24;
  for (let seed = 1; seed <= SEEDS; seed++) {
    test(`seed ${seed}`, async () => {
      const next = seededRandom(seed);
      const keepResident = [0, 4096, 65536, 131072][Math.floor(next() * 4)]!;
      const options: DifferentialOptions = {
        slots: 2,
        maxUnusedWarmSlots: Math.floor(next() * 3),
        strategy: keepResident === 0 ? "madvise" : "keep-resident",
        keepResident,
      };
      const both = new EngineDifferential(addon, options);
      const modules = [await patternModule(next), await patternModule(next)];
      modules.forEach((m, i) => both.load(`m${i}`, m.bytes));
      for (let instance = 0; instance < 5; instance++) {
        const which = Math.floor(next() * modules.length);
        const calls = Array.from({ length: Math.floor(next() * 12) }, () => ({
          name: next() < 0.6 ? "write" : "read",
          args: [String(Math.floor(next() * PATTERN_PAGES) * 4096 + Math.floor(next() * 4096))],
        }));
        assertAgree(
          both.run(`m${which}`, calls),
          `seed ${seed}, instance ${instance + 1} of m${which} (${JSON.stringify(options)})`,
        );
      }
    });
  }
});

describe("modules of the spec memory scripts", () => {
  test("every module with an imaged memory and no imports agrees", () => {
    const candidates = specCommands(
      (c) =>
        c.type === "module" &&
        isBinaryModule(c) &&
        ["data", "memory", "memory_init", "memory_copy", "bulk", "address", "memory_trap"].includes(
          c.script,
        ),
    );
    let compared = 0;
    const both = new EngineDifferential(addon, MADVISE);
    for (const command of candidates) {
      const bytes = readSpecModule(command);
      const module = readModule(bytes);
      const memory = module.memories[0];
      if (
        module.imports.length > 0 ||
        module.memories.length !== 1 ||
        !memory ||
        memory.type.memory64
      )
        continue;
      const plan = planImages(module, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
      if (plan.initialization !== "static") continue;
      const id = `spec-${compared}`;
      both.load(id, bytes);
      for (let n = 0; n < 2; n++) assertAgree(both.run(id, []), `${where(command)} #${n + 1}`);
      compared++;
    }
    // The 2.0 and 3.0 scripts hold 162 such modules; far fewer means the filter broke.
    assert.ok(compared >= 150, `only ${compared} spec modules compared`);
  });
});
