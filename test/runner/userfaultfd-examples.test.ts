// The examples under userfaultfd against the same examples under CoW, through the
// session: each instance calls every exported function that takes no arguments, three
// times over in one slot, and after every step the results and every byte of every
// memory must be the same both ways. Under userfaultfd the handler's counts must also
// match the kernel's page states: every present page came from exactly one fault of the
// instance's life so far, image pages by a copy and the rest by the zero page (a write
// then gives the zero page's place to a private page, without a fault the handler sees).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import type { InitMode } from "../../extension/runner/protocol";
import { RunnerSession } from "../../extension/runner/runner-session";
import { buildExamples } from "../../scripts/build-examples";
import type { StepRecord } from "../../common/run-types";
import { requireBackend } from "../helpers/native";

const addon = requireBackend();
const HOST_PAGE = addon.probe().hostPageSize;

let examples: Map<string, Uint8Array>;
before(async () => {
  examples = new Map(
    (await buildExamples()).map((file) => [path.basename(file, ".wasm"), readFileSync(file)]),
  );
});

interface Observed {
  /** Per step: its name, results and error, and every memory's bytes. */
  steps: { step: string; result: unknown; error: string | null; memories: Uint8Array[] }[];
  /** The session's step records. */
  records: StepRecord[];
  /** What each instance ran as: the mode asked for, or "eager" without a static image. */
  modes: InitMode[];
}

/** Three instances of the module, one after another in one slot, each calling every
 *  exported function without parameters once. */
function observe(name: string, init: InitMode): Observed {
  const session = new RunnerSession(addon, {
    slots: 1,
    maxUnusedWarmSlots: 1,
    includePageStates: false,
  });
  const loaded = session.loadModule({
    moduleId: name,
    fileName: `${name}.wasm`,
    bytes: examples.get(name)!,
    pageSize: HOST_PAGE,
    denseLimit: DEFAULT_DENSE_LIMIT,
  });
  const observed: Observed = { steps: [], records: [], modes: [] };
  for (let round = 0; round < 3; round++) {
    const created = session.instantiate(name, { init, initialize: true, wasi: false });
    const id = created.instance;
    observed.modes.push(created.mode);
    const memories = (): Uint8Array[] =>
      created.steps
        .find((s) => s.step === "instantiate")!
        .memories.map((m) => session.readMemory(id, m.memory, 0, 2 ** 32));
    const record = (step: StepRecord): void => {
      observed.records.push(step);
      observed.steps.push({
        step: step.step,
        result: step.result,
        error: step.error,
        memories: step.step === "reset" ? [] : memories(),
      });
    };
    created.steps.forEach(record);
    const exports = session.exportsOf(id) ?? {};
    for (const [exportName, value] of Object.entries(exports)) {
      if (typeof value === "function" && value.length === 0)
        record(session.invoke(id, exportName, []));
    }
    session.release(id, "madvise", 0).forEach(record);
  }
  session.unloadModule(loaded.summary.moduleId);
  return observed;
}

/** The faults of each instance so far agree with the kernel's page states of its slot. */
function assertFaultsMatchPages(records: StepRecord[], where: string): void {
  let copies = 0;
  let zeroPages = 0;
  let compared = 0;
  for (const record of records) {
    const state = record.memories.find((m) => m.slot !== null);
    // A cold slot is registered by the map step that follows its acquire.
    if (!state || (record.step === "acquire" && record.pick === "cold")) continue;
    const at = `${where}, ${record.step} of instance ${record.instance}`;
    assert.equal(state.origin.init, "userfaultfd", at);
    assert.ok(state.userfaults, `${at}: no fault counts`);
    assert.equal(state.userfaults.wakes, 0, at);
    // The reset gives every page back, so the next instance starts from nothing.
    if (record.step === "reset") {
      assert.equal(state.userfaults.faults, 0, `${at}: a reset touches no page`);
      copies = 0;
      zeroPages = 0;
    }
    copies += state.userfaults.copies;
    zeroPages += state.userfaults.zeroPages;
    const p = state.pages;
    assert.equal(p.imageClean, 0, `${at}: nothing is mapped from the image file`);
    // Copied pages stay the instance's own (imageDirty); zero pages stay zero until
    // written (then anonDirty). Outside the image no page can be imageDirty.
    assert.deepEqual(
      { copies, zeroPages },
      { copies: p.imageDirty, zeroPages: p.zero + p.anonDirty },
      `${at}: the faults so far against the kernel's page states`,
    );
    compared++;
  }
  assert.ok(compared > 0, `${where}: no slot state to compare`);
}

describe("the examples under userfaultfd", () => {
  for (const name of ["dirty-per-call", "tiny", "regions", "stack-first"]) {
    test(`${name}: the same results and bytes as under CoW, step by step`, () => {
      const cow = observe(name, "cow");
      const userfaultfd = observe(name, "userfaultfd");
      assert.deepEqual(userfaultfd.modes, ["userfaultfd", "userfaultfd", "userfaultfd"]);
      assert.ok(
        cow.steps.some((s) => s.memories.length > 0),
        "no memory was compared",
      );
      assert.deepEqual(userfaultfd.steps, cow.steps);
      assertFaultsMatchPages(userfaultfd.records, name);
    });
  }

  // Without a static image (global.get offsets; a span too sparse) both ask in vain and
  // V8 copies the segments: the same as CoW's fallback.
  for (const name of ["pic", "sparse"]) {
    test(`${name}: no static image, so eager as under CoW`, () => {
      const cow = observe(name, "cow");
      const userfaultfd = observe(name, "userfaultfd");
      assert.deepEqual(userfaultfd.modes, ["eager", "eager", "eager"]);
      assert.deepEqual(userfaultfd.steps, cow.steps);
    });
  }

  test("the faults counted under userfaultfd are those of the pages touched", () => {
    const { records } = observe("dirty-per-call", "userfaultfd");
    const touches = records.filter((r) => r.step === "invoke");
    assert.ok(touches.length > 0);
    for (const touch of touches) {
      const faults = touch.memories[0]!.userfaults!;
      // dirty-per-call writes pages it has not touched before: each call faults.
      assert.ok(faults.faults > 0, "a call that dirties a new page faults");
    }
  });
});
