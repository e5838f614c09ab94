// Memories outside the pool are observed where they are. A module that imports its memory
// gets no image (Wasmtime builds none for memory it does not own): the runner makes the
// memory from the import's type, V8 copies the segments into it at instantiation, and
// every step shows that memory's pages, labelled with how it was filled. A shared or a
// memory64 memory (imported, or the module's own, which no slot can stand for) is read
// the same way.
// Oracles: the raw /proc/self/pagemap entries of the very memory the instance got
// (decoded in test/helpers/native.ts) and the bytes V8 wrote.

import assert from "node:assert/strict";
import { test } from "node:test";
import { countPageStates, type PageStateName } from "../../common/page-states";
import { RunnerSession } from "../../extension/runner/runner-session";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { oracleStates, requireBackend, stateNames } from "../helpers/native";
import { wat } from "../helpers/wat";
import {
  activeData,
  dataSection,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
} from "../helpers/binary-builder";

// As the runner process does: memory64 is behind a flag in Node 20's V8.
enableWasmFeatures();

const HOST_PAGE = 4096;
const MEMORY_PAGES = (2 * 65536) / HOST_PAGE;

test("an imported memory is observed after every step, outside the pool", async () => {
  const addon = requireBackend();
  const bytes = await wat(`(module
    (import "env" "memory" (memory 2))
    (data (i32.const 4096) "hello")
    (func (export "touch") (i32.store (i32.const 8192) (i32.const 1))))`);
  const session = new RunnerSession(addon, {
    slots: 2,
    maxUnusedWarmSlots: 2,
    includePageStates: true,
  });
  const loaded = session.loadModule({
    moduleId: "imported",
    fileName: "imported.wasm",
    bytes,
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  assert.equal(loaded.summary.cow, false);
  // Given to the instance: the runner's memory, which the test reads as the oracle does.
  const provided = new WebAssembly.Memory({ initial: 2 });
  const started = session.instantiate(
    "imported",
    { init: "cow", initialize: false, wasi: false },
    { env: { memory: provided } },
  );
  assert.equal(started.mode, "eager");
  const instantiated = started.steps.find((step) => step.step === "instantiate")!;
  assert.deepEqual(
    started.steps.map((step) => step.step),
    ["instantiate"],
    "no slot to acquire or map",
  );
  const expectAfter = (label: string, memories: typeof instantiated.memories): void => {
    assert.equal(memories.length, 1, label);
    const [memory] = memories;
    assert.equal(memory!.slot, null, label);
    assert.deepEqual(memory!.origin.place, "imported", label);
    assert.equal(memory!.origin.init, "copied", label);
    assert.match(memory!.origin.noImage ?? "", /imported memory 0/, label);
    assert.equal(memory!.imageOffset, null, label);
    const oracle = oracleStates(addon, provided, 0, 0);
    assert.equal(oracle.length, MEMORY_PAGES);
    assert.deepEqual(stateNames(memory!.states!), oracle, label);
    assert.deepEqual(memory!.pages, countPageStates(memory!.states!), label);
  };
  expectAfter("after instantiate", instantiated.memories);
  // V8 copied "hello" onto page 1: a private page, the only one written.
  const written = (states: PageStateName[]): number[] =>
    states.flatMap((state, page) => (state === "anonDirty" ? [page] : []));
  assert.deepEqual(written(oracleStates(addon, provided, 0, 0)), [1]);
  assert.equal(new TextDecoder().decode(new Uint8Array(provided.buffer, 4096, 5)), "hello");

  const touched = session.invoke(started.instance, "touch", []);
  assert.equal(touched.error, null);
  expectAfter("after touch", touched.memories);
  assert.deepEqual(written(oracleStates(addon, provided, 0, 0)), [1, 2]);
  assert.deepEqual(
    [...session.readMemory(started.instance, 0, 8192, 4)],
    [1, 0, 0, 0],
    "the hex view reads the imported memory",
  );
  // Nothing of the pool was used, so the release resets nothing.
  assert.deepEqual(session.release(started.instance, "madvise", 0), []);
  assert.deepEqual(
    session.poolView().map((slot) => slot.state),
    ["cold", "cold"],
    "no slot was ever taken",
  );
});

const HELLO = [...new TextEncoder().encode("hello")];

for (const [what, memorySection_, offset, place] of [
  [
    "a module's own shared memory (no slot can stand for it: run unmodified)",
    memorySection({ min: 1, max: 2, shared: true }),
    i32Offset(4096),
    "own",
  ],
  [
    "a module's own memory64 memory (run unmodified too)",
    memorySection({ min: 1, max: 2, memory64: true }),
    i64Offset(4096n),
    "own",
  ],
  [
    "an imported shared memory",
    importSection(
      importEntry("env", "memory", importDesc.memory({ min: 1, max: 2, shared: true })),
    ),
    i32Offset(4096),
    "imported",
  ],
] as const) {
  test(`${what} is observed where it is`, () => {
    const addon = requireBackend();
    const bytes = module(memorySection_, dataSection(activeData(offset, HELLO)));
    const session = new RunnerSession(addon, {
      slots: 1,
      maxUnusedWarmSlots: 1,
      includePageStates: true,
    });
    session.loadModule({ moduleId: "m", fileName: "m.wasm", bytes, pageSize: 4096, denseLimit: 0 });
    const provided = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const started = session.instantiate(
      "m",
      { init: "cow", initialize: false, wasi: false },
      place === "imported" ? { env: { memory: provided } } : undefined,
    );
    assert.equal(started.mode, "eager");
    const instantiated = started.steps.find((step) => step.step === "instantiate")!;
    assert.equal(instantiated.error, null);
    assert.equal(instantiated.memories.length, 1, "the memory was observed");
    const [state] = instantiated.memories;
    assert.deepEqual(
      [state!.slot, state!.origin.place, state!.origin.init],
      [null, place, "copied"],
    );
    // The very memory the instance uses: its own (exported for this) or the one given.
    const memory =
      place === "imported"
        ? provided
        : (Object.values(session.exportsOf(started.instance)!).find(
            (value) => value instanceof WebAssembly.Memory,
          ) as WebAssembly.Memory);
    const states = stateNames(state!.states!);
    assert.deepEqual(states, oracleStates(addon, memory, 0, 0));
    // V8 wrote "hello" on page 1: the one private page.
    assert.deepEqual(
      states.flatMap((name, page) => (name === "anonDirty" ? [page] : [])),
      [1],
    );
    assert.equal(
      new TextDecoder().decode(session.readMemory(started.instance, 0, 4096, 5)),
      "hello",
    );
    session.release(started.instance, "madvise", 0);
  });
}
