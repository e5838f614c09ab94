// The editor's RunController against a real runner process (RunnerClient, the
// TypeScript entry through tsx) on examples/build/dirty-per-call.wasm. Expectations come
// from the module's WAT: 16 pages of memory (256 host pages of 4 KiB), data at 0 and at
// 0x8000 (so a 4 KiB-page image of 0x9000 bytes at offset 0), and `touch` writing one
// byte at 0, 4096, 8192… and returning the next address.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { RunController } from "../../extension/editor/run-controller";
import { RunnerClient } from "../../extension/runner/runner-client";
import type { RunView } from "../../common/webview-protocol";
import { buildExamples } from "../../scripts/build-examples";
import { assertNoRunnerLeft, waitUntilGone } from "../helpers/runner-process";
import type { StepRecord } from "../../common/run-types";

const HOST_PAGE = 4096;
const MEMORY_PAGES = (16 * 65536) / HOST_PAGE;
const IMAGE_LENGTH = 0x9000; // "page 8: more image bytes" (24 bytes) at 0x8000, page-aligned up
const FIRST_DATA = "page 0: image bytes";
const SECOND_DATA = "page 8: more image bytes";
/** The native snapshot's state bytes, in order (native/src/page_state.cc). */
const STATE_NAMES = ["notPresent", "zero", "imageClean", "imageDirty", "anonDirty", "swapped"];
const IMAGE_DIRTY = 3;

let bytes: Uint8Array;
let moduleId: string;
const clients: RunnerClient[] = [];

before(async () => {
  const built = await buildExamples();
  const file = built.find((f) => path.basename(f) === "dirty-per-call.wasm")!;
  bytes = readFileSync(file);
  moduleId = `file://${file}`;
});

after(async () => {
  for (const client of clients.splice(0)) {
    const pid = client.pid;
    client.dispose();
    if (pid !== null) await waitUntilGone(pid);
  }
  await assertNoRunnerLeft();
});

interface Driven {
  controller: RunController;
  /** Every view the controller published, oldest first. */
  published: RunView[];
  latest(): RunView;
}

function drive(slots: number, maxUnusedWarmSlots: number): Driven {
  const client = new RunnerClient({
    config: { slots, maxUnusedWarmSlots, includePageStates: true },
    timeoutMs: 30_000,
  });
  clients.push(client);
  const published: RunView[] = [];
  const controller = new RunController({
    engine: "v8",
    clientFor: () => client,
    moduleId,
    fileName: "dirty-per-call.wasm",
    bytes,
    pageSize: HOST_PAGE,
    denseLimit: 16 << 20,
    callInitialize: true,
    wasi: true,
    reset: { strategy: "madvise", keepResidentBytes: 0 },
    publish: (view) => published.push(view),
  });
  return {
    controller,
    published,
    latest: () => {
      assert.ok(published.length > 0, "nothing was published");
      return published.at(-1)!;
    },
  };
}

/** Steps the action added, and the view after it (which must carry no error). */
async function perform(
  driven: Driven,
  action: Parameters<RunController["perform"]>[0],
): Promise<StepRecord[]> {
  const before = driven.published.at(-1)?.steps.length ?? 0;
  await driven.controller.perform(action);
  const view = driven.latest();
  assert.equal(view.error, null, `${action.action} failed`);
  return view.steps.slice(before);
}

function only(steps: StepRecord[], name: string): StepRecord {
  const found = steps.filter((s) => s.step === name);
  assert.equal(found.length, 1, `one ${name} step in ${steps.map((s) => s.step).join(", ")}`);
  return found[0]!;
}

/** The one memory of the step, with its counts checked against its own states. */
function memoryOf(step: StepRecord): StepRecord["memories"][number] {
  assert.equal(step.memories.length, 1, `${step.step}: one memory`);
  const memory = step.memories[0]!;
  assert.ok(memory.states, `${step.step}: page states were asked for`);
  assert.equal(memory.states.length, MEMORY_PAGES);
  const tally: Record<string, number> = Object.fromEntries(STATE_NAMES.map((n) => [n, 0]));
  for (const state of memory.states) tally[STATE_NAMES[state]!]!++;
  assert.deepEqual(memory.pages, tally, `${step.step}: counts are the states' tally`);
  return memory;
}

describe("one module on a roomy pool", () => {
  let driven: Driven;
  before(() => {
    driven = drive(4, 100);
  });

  test("instantiate: plan, image, a cold acquire, one mmap, instantiate", async () => {
    const steps = await perform(driven, { action: "instantiate" });
    assert.deepEqual(
      steps.map((s) => s.step),
      ["plan", "image", "acquire", "map", "instantiate"],
    );
    const acquire = only(steps, "acquire");
    assert.equal(acquire.pick, "cold");
    assert.equal(acquire.slot, 0);
    const map = only(steps, "map");
    assert.equal(map.syscalls?.mmap, 1);
    assert.equal(map.detail?.alreadyMapped, false);
    const memory = memoryOf(map);
    assert.equal(memory.imageOffset, 0);
    assert.equal(memory.imageLength, IMAGE_LENGTH);
    assert.equal(memory.pages.imageDirty, 0);
    assert.equal(driven.latest().liveInstance, acquire.instance);
  });

  test("invoke touch: each call dirties one more image page", async () => {
    let dirty = memoryOf(driven.latest().steps.at(-1)!).pages.imageDirty;
    for (const touched of [0, 1]) {
      const invoke = only(
        await perform(driven, { action: "invoke", export: "touch", args: [] }),
        "invoke",
      );
      assert.deepEqual(invoke.result, [{ type: "i32", value: (touched + 1) * HOST_PAGE }]);
      const memory = memoryOf(invoke);
      assert.equal(memory.pages.imageDirty, dirty + 1);
      assert.equal(memory.states![touched], IMAGE_DIRTY, `page ${touched} was written`);
      dirty = memory.pages.imageDirty;
    }
  });

  test("readLive returns the instance's memory bytes", async () => {
    const first = await driven.controller.readLive(0, 0, FIRST_DATA.length);
    assert.equal(first[0], 0xff, "touch wrote 0xff at 0");
    assert.equal(Buffer.from(first.subarray(1)).toString("latin1"), FIRST_DATA.slice(1));
    const second = await driven.controller.readLive(0, 0x8000, SECOND_DATA.length);
    assert.equal(Buffer.from(second).toString("latin1"), SECOND_DATA);
  });

  test("release: a reset step with the chosen strategy, and the slot turns warm", async () => {
    const reset = only(await perform(driven, { action: "release" }), "reset");
    assert.equal(reset.detail?.strategy, "madvise");
    assert.equal(reset.detail?.retired, null);
    const view = driven.latest();
    assert.equal(view.liveInstance, null);
    const slot = view.slots[reset.slot!]!;
    assert.equal(slot.state, "warm");
    assert.deepEqual(slot.affinity, { moduleId, memory: 0 });
  });

  test("instantiate again: the affine slot, nothing to map, pristine contents", async () => {
    const steps = await perform(driven, { action: "instantiate" });
    assert.deepEqual(
      steps.map((s) => s.step),
      ["acquire", "map", "instantiate"],
    );
    assert.equal(only(steps, "acquire").pick, "affine");
    assert.equal(only(steps, "acquire").slot, 0);
    const map = only(steps, "map");
    assert.equal(map.syscalls?.mmap, 0);
    assert.equal(map.detail?.alreadyMapped, true);
    assert.equal(memoryOf(map).pages.imageDirty, 0);
    const live = await driven.controller.readLive(0, 0, FIRST_DATA.length);
    assert.equal(Buffer.from(live).toString("latin1"), FIRST_DATA);
  });

  test("setReset: the next reset uses the new strategy", async () => {
    const published = driven.published.length;
    driven.controller.setReset("pagemap", 65536);
    assert.deepEqual(driven.published.at(-1)?.reset, {
      strategy: "pagemap",
      keepResidentBytes: 65536,
    });
    assert.ok(driven.published.length > published, "the change was published");
    await perform(driven, { action: "invoke", export: "touch", args: [] });
    const reset = only(await perform(driven, { action: "release" }), "reset");
    assert.equal(reset.detail?.strategy, "pagemap");
  });

  test("publish brackets an action: running true first, false last", async () => {
    const from = driven.published.length;
    const steps = driven.latest().steps.length;
    await driven.controller.perform({ action: "runToEnd" });
    const during = driven.published.slice(from);
    assert.ok(during.length >= 2);
    assert.equal(during[0]!.running, true);
    assert.equal(during[0]!.steps.length, steps, "published before any step ran");
    assert.equal(during.at(-1)!.running, false);
    assert.deepEqual(
      during
        .at(-1)!
        .steps.slice(steps)
        .map((s) => s.step),
      ["acquire", "map", "instantiate", "reset"],
    );
  });

  test("errors land in view.error and the next action clears them", async () => {
    await driven.controller.perform({ action: "invoke", export: "touch", args: [] });
    assert.match(driven.latest().error ?? "", /no live instance/);
    assert.equal(driven.latest().running, false);
    await perform(driven, { action: "instantiate" });
    await driven.controller.perform({ action: "invoke", export: "nothing", args: [] });
    assert.match(driven.latest().error ?? "", /nothing/);
    await driven.controller.perform({ action: "invoke", export: "touch", args: ["1"] });
    assert.match(driven.latest().error ?? "", /argument/);
    const pastEnd = await driven.controller.readLive(0, MEMORY_PAGES * HOST_PAGE, 1);
    assert.equal(pastEnd.length, 0, "nothing is readable past the accessible end");
    await perform(driven, { action: "release" });
    await assert.rejects(driven.controller.readLive(0, 0, 1), /no live instance/);
  });
});

describe("a one-slot pool without warm slots to spare (max_unused_warm_slots 0)", () => {
  test("another module takes the slot, so this module's next instantiation remaps it", async () => {
    const driven = drive(1, 0);
    await perform(driven, { action: "instantiate" });
    await perform(driven, { action: "release" });
    const other = await perform(driven, { action: "instantiateOther" });
    assert.equal(only(other, "acquire").pick, "warm", "the other module evicts the warm slot");
    const steps = await perform(driven, { action: "instantiate" });
    const acquire = only(steps, "acquire");
    assert.equal(acquire.pick, "warm");
    assert.equal(acquire.slot, 0);
    assert.equal(acquire.detail, null, "the slot's memory is reused, not retired");
    const map = only(steps, "map");
    assert.equal(map.detail?.alreadyMapped, false);
    assert.equal(map.syscalls?.mmap, 2, "unmap the other image (anonymous mmap) + map this one");
    assert.equal(memoryOf(map).imageLength, IMAGE_LENGTH);
    assert.equal(driven.latest().slots[0]!.retirements, 0);
  });
});

test("closing the editor ends its live instance: its slot is back in the pool, not in use", async () => {
  const driven = drive(2, 100);
  const client = clients.at(-1)!;
  await perform(driven, { action: "instantiate" });
  await perform(driven, { action: "invoke", export: "touch", args: [] });
  const slot = driven.latest().slots.find((s) => s.state === "in-use");
  assert.ok(slot, "a slot in use while the instance lives");
  driven.controller.dispose();
  const pool = await client.request("pool", null);
  const after = pool.find((s) => s.index === slot.index)!;
  // Reset, back in the pool, and (the module being gone) its warm memory dropped.
  assert.equal(after.state, "cold");
  assert.equal(after.affinity, null);
  assert.equal(pool.filter((s) => s.state === "in-use").length, 0);
});
