// The official spec scripts about memory and data segments, executed through the
// copy-on-write path (a RunnerSession with init "cow"), through the same slots filled by
// the userfaultfd handler (init "userfaultfd"), through the session's eager baseline and
// through ordinary V8 instantiation: every way must give exactly the
// results the scripts expect. A small pool (4 slots) makes modules share slots, so
// resets, remaps and affine image reuse are exercised between assertions; two more
// cow runs use the other reset strategies with even fewer slots.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import { loadBackend, type NativeAddon } from "../../extension/runner/native-backend";
import { RunnerSession } from "../../extension/runner/runner-session";
import {
  collectGarbage,
  PlainEngine,
  SessionEngine,
  type Engine,
  type PoolCounts,
} from "../helpers/spec-engines";
import { runScript, type ScriptReport } from "../helpers/spec-script-runner";
import type { SpecSet } from "../helpers/spec-suite";
import { wat } from "../helpers/wat";

enableWasmFeatures(); // memory64 (the *64 scripts) and extended-const

const SCRIPTS: Record<SpecSet, string[]> = {
  "wasm-2.0": [
    "data",
    "memory",
    "memory_init",
    "memory_copy",
    "memory_fill",
    "memory_grow",
    "bulk",
    "address",
    "memory_trap",
    // Registered modules importing each other's (slot) memories and partial
    // initialisation of imported memories by failing instantiations.
    "linking",
  ],
  "wasm-3.0": [
    "data0",
    "data1",
    "memory-multi",
    "memory_init",
    "memory_init64",
    "memory_copy",
    "memory_copy64",
    "memory_fill",
    "memory_fill64",
    "memory_grow",
    "memory_grow64",
    "bulk",
    "bulk64",
    "address",
    "address64",
    "memory_trap",
    "memory_trap64",
  ],
};

// Scripts whose active data segments must reach a mapped image at least once: every
// script with non-zero constant-offset data on an ordinary 32-bit memory. The other
// *64 scripts' memories are memory64, which the session runs unpooled (slots are
// 32-bit V8 memories); memory_fill and memory_grow have no data segments.
const EXPECT_COW = new Set([
  "wasm-2.0/data",
  "wasm-2.0/memory",
  "wasm-2.0/memory_init",
  "wasm-2.0/memory_copy",
  "wasm-2.0/bulk",
  "wasm-2.0/address",
  "wasm-2.0/memory_trap",
  "wasm-2.0/linking",
  "wasm-3.0/data0",
  "wasm-3.0/memory_init",
  "wasm-3.0/memory_copy",
  "wasm-3.0/memory_copy64",
  "wasm-3.0/bulk",
  "wasm-3.0/address",
  "wasm-3.0/memory_trap",
]);

// Modules with more than one memory (counted by hand in the .wast sources), which V8
// 11.3 cannot compile: exactly these must fail, every other module must run.
const MULTI_MEMORY_MODULES: Record<string, number> = {
  "wasm-3.0/data0": 2,
  "wasm-3.0/data1": 13,
  "wasm-3.0/memory-multi": 2,
  "wasm-3.0/memory_grow": 3,
};

function backend(): NativeAddon {
  const loaded = loadBackend();
  assert.ok(
    loaded.available,
    `the native backend must load: ${loaded.available ? "" : loaded.reason}`,
  );
  return loaded.addon;
}

interface Way {
  name: string;
  engine(): Engine;
}

// The session's pool keeps 4 slots: enough for the named and registered modules of
// linking that stay live together, few enough that modules take over each other's
// slots (a new image mapped over the old one) and repeated modules find their own.
const POOL = { slots: 4, maxUnusedWarmSlots: 4, strategy: "madvise", keepResident: 0 } as const;

const WAYS: Way[] = [
  { name: "cow", engine: () => new SessionEngine(backend(), { ...POOL, init: "cow" }) },
  { name: "eager", engine: () => new SessionEngine(backend(), { ...POOL, init: "eager" }) },
  // Wasmtime's design before PR #4040: the same slots, filled page by page on first touch.
  {
    name: "userfaultfd",
    engine: () => new SessionEngine(backend(), { ...POOL, init: "userfaultfd" }),
  },
  { name: "plain", engine: () => new PlainEngine() },
];

// One more cow run for the Wasm 2.0 scripts with images: 2 slots, none kept warm beyond
// need, and the pagemap reset (dirty pages within the first 64 KiB restored by hand from
// the image, the rest decommitted), so every module switch remaps a slot.
const PAGEMAP_WAY: Way = {
  name: "cow, pagemap reset, 2 slots",
  engine: () =>
    new SessionEngine(backend(), {
      init: "cow",
      slots: 2,
      maxUnusedWarmSlots: 0,
      strategy: "pagemap",
      keepResident: 65536,
    }),
};
const PAGEMAP_SCRIPTS = new Set([
  "wasm-2.0/data",
  "wasm-2.0/memory",
  "wasm-2.0/memory_init",
  "wasm-2.0/memory_copy",
  "wasm-2.0/bulk",
  "wasm-2.0/address",
  "wasm-2.0/memory_trap",
]);

function summary(report: ScriptReport, pool: PoolCounts): string {
  const executed = Object.values(report.executed).reduce((a, b) => a + b, 0);
  const byType = Object.entries(report.executed)
    .map(([type, n]) => `${type} ${n}`)
    .join(", ");
  const m = report.modules;
  const picks = Object.entries(pool.picks)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  return [
    `${report.engine}: ${executed} commands (${byType})`,
    `not runnable in V8 11.3: ${report.notRunnable}`,
    `instantiations: cow ${m.cow}, cow without image ${m.cowWithoutImage}, eager ${m.eager}, plain ${m.plain}, multi-memory compile failures ${m.multiMemory}`,
    `slot picks: ${picks || "none"}; remaps ${pool.remaps}; images reused in place ${pool.reusedImages}`,
  ].join("; ");
}

const totals = { remaps: 0, reusedImages: 0, warm: 0 };

for (const [set, names] of Object.entries(SCRIPTS) as [SpecSet, string[]][]) {
  for (const name of names) {
    const script = `${set}/${name}`;
    describe(script, () => {
      const reports = new Map<string, ScriptReport>();
      const ways = PAGEMAP_SCRIPTS.has(script) ? [...WAYS, PAGEMAP_WAY] : WAYS;
      for (const way of ways) {
        test(`${way.name}: every command gives the expected result`, async (t) => {
          const engine = way.engine();
          const report = await runScript(set, name, engine);
          collectGarbage();
          reports.set(way.name, report);
          t.diagnostic(summary(report, engine.pool));
          assert.deepEqual(report.failures, []);
          assert.equal(report.modules.multiMemory, MULTI_MEMORY_MODULES[script] ?? 0);
          if (way.name === "cow" || way.name === "userfaultfd") {
            if (EXPECT_COW.has(script))
              assert.ok(report.modules.cow > 0, "no module ran from an image");
            else assert.equal(report.modules.cow, 0);
          }
          if (way.name === "cow") {
            totals.remaps += engine.pool.remaps;
            totals.reusedImages += engine.pool.reusedImages;
            totals.warm += engine.pool.picks.warm ?? 0;
          }
          if (way.name === "eager")
            assert.equal(report.modules.cow + report.modules.cowWithoutImage, 0);
        });
      }
      test("every way executed the same commands", () => {
        const [first, ...rest] = ways.map((w) => reports.get(w.name));
        assert.ok(first, "the cow run did not finish");
        assert.ok(Object.keys(first.executed).length > 0 || first.notRunnable > 0);
        for (const other of rest) {
          assert.ok(other);
          assert.deepEqual(
            { executed: other.executed, notRunnable: other.notRunnable },
            { executed: first.executed, notRunnable: first.notRunnable },
            other.engine,
          );
        }
      });
    });
  }
}

test("slots were reused across modules and images reused in place", () => {
  // Warm picks hand a slot that another module used to a new module: its image must be
  // removed and the new one mapped (remaps); affine picks of a repeated module find
  // their reset image still mapped.
  assert.ok(totals.warm > 0, "no slot was reused by another module");
  assert.ok(totals.remaps > 0, "no image was mapped over a slot another module had used");
  assert.ok(totals.reusedImages > 0, "no reset image was reused by the same module");
});

// Two session paths the interpreter has to steer around (it loads each distinct module
// once and only ever sees instantiations that get as far as V8); any other caller
// leaks pool slots through them.
describe("session lifecycle around instances", () => {
  const COW = { init: "cow", initialize: false, wasi: false } as const;
  const inUse = (session: RunnerSession): number[] =>
    session
      .poolView()
      .filter((slot) => slot.state === "in-use")
      .map((slot) => slot.index);
  const load = (session: RunnerSession, moduleId: string, bytes: Uint8Array): void => {
    session.loadModule({
      moduleId,
      fileName: `${moduleId}.wasm`,
      bytes,
      pageSize: backend().probe().hostPageSize,
      denseLimit: DEFAULT_DENSE_LIMIT,
    });
  };

  test("an instantiation that throws after its slot was acquired gives the slot back", async () => {
    const session = new RunnerSession(backend(), {
      slots: 1,
      maxUnusedWarmSlots: 1,
      includePageStates: false,
    });
    // No stand-in can be made for a v128 global, so building the imports throws, after
    // the slot was acquired and the image mapped.
    const bytes = await wat(
      `(module (import "host" "g" (global v128)) (memory 1) (data (i32.const 0) "x"))`,
    );
    load(session, "v128", bytes);
    assert.throws(() => session.instantiate("v128", COW), /v128/);
    assert.deepEqual(inUse(session), [], "the failed instantiation still holds its slot");
    load(session, "next", await wat(`(module (memory (export "m") 1) (data (i32.const 0) "ok"))`));
    const next = session.instantiate("next", COW);
    const memory = session.exportsOf(next.instance)!.m as WebAssembly.Memory;
    assert.deepEqual([...new Uint8Array(memory.buffer, 0, 2)], [0x6f, 0x6b]);
    session.release(next.instance, "madvise", 0);
  });

  test("reloading a module while its instance is live leaves the instance releasable", async () => {
    const session = new RunnerSession(backend(), {
      slots: 2,
      maxUnusedWarmSlots: 2,
      includePageStates: false,
    });
    const bytes = await wat(`(module (memory (export "m") 1) (data (i32.const 4096) "cow"))`);
    load(session, "a", bytes);
    const first = session.instantiate("a", COW);
    const memory = session.exportsOf(first.instance)!.m as WebAssembly.Memory;
    new Uint8Array(memory.buffer)[4096] = 0x43; // dirty the image page
    load(session, "a", bytes); // e.g. the file was saved again: its image is rebuilt
    assert.doesNotThrow(() => session.release(first.instance, "madvise", 0));
    assert.deepEqual(inUse(session), [], "the released instance still holds its slot");
    const second = session.instantiate("a", COW);
    const again = session.exportsOf(second.instance)!.m as WebAssembly.Memory;
    assert.equal(new TextDecoder().decode(new Uint8Array(again.buffer, 4096, 3)), "cow");
    session.release(second.instance, "madvise", 0);
  });
});
