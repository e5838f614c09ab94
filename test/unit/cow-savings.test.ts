// runFigures and savingsRows (common/cow-savings.ts) and the end-aligned pairing of
// pairEngineSteps, on step records written out here: medians over instances, the slot's
// acquire and map counted in instantiation, the step before the reset read for "before
// the reset", failed instantiations left out.

import assert from "node:assert/strict";
import { test } from "node:test";
import { runFigures, savingsRows } from "../../common/cow-savings";
import { pairEngineSteps } from "../../common/engine-comparison";
import type { StepRecord } from "../../common/run-types";

function step(
  name: StepRecord["step"],
  instance: number | null,
  ns: number,
  dirty: number | null = null,
  error: string | null = null,
): StepRecord {
  return {
    step: name,
    export: name === "invoke" ? "f" : null,
    instance,
    slot: null,
    pick: name === "acquire" ? "cold" : null,
    ns,
    syscalls: null,
    memories:
      dirty === null
        ? []
        : [
            {
              memory: 0,
              slot: null,
              origin: { place: "slot", init: "image", noImage: null },
              pages: {
                notPresent: 0,
                zero: 0,
                imageClean: 0,
                imageDirty: 0,
                anonDirty: 0,
                swapped: 0,
              },
              sharedImagePages: null,
              rssBytes: dirty * 2,
              privateDirtyBytes: dirty,
              smaps: null,
              imageOffset: null,
              imageLength: null,
              states: null,
              userfaults: null,
            },
          ],
    result: null,
    error,
    output: null,
    detail: null,
  };
}

test("medians per instance; acquire and map count as instantiation; the reset does not", () => {
  const steps = [
    step("plan", null, 1_000_000),
    step("acquire", 1, 100),
    step("map", 1, 20),
    step("instantiate", 1, 30, 0),
    step("invoke", 1, 5, 4096),
    step("reset", 1, 7, 0),
    step("acquire", 2, 10),
    step("map", 2, 0),
    step("instantiate", 2, 20, 0),
    step("invoke", 2, 5, 8192),
    step("reset", 2, 7, 0),
    step("acquire", 3, 10),
    step("instantiate", 3, 20, null, "trap"), // failed: not an instance to compare
  ];
  assert.deepEqual(runFigures(steps), {
    instances: 2,
    instantiateNs: (150 + 30) / 2,
    privateDirtyAfterInstantiate: 0,
    privateDirtyBeforeReset: (4096 + 8192) / 2,
    residentBeforeReset: (8192 + 16384) / 2,
  });
  assert.deepEqual(runFigures([]), {
    instances: 0,
    instantiateNs: null,
    privateDirtyAfterInstantiate: null,
    privateDirtyBeforeReset: null,
    residentBeforeReset: null,
  });
  assert.deepEqual(
    savingsRows(runFigures(steps), runFigures([])).map((row) => [row.asBuilt, row.imaged]),
    [
      ["0.1 µs", "—"],
      ["0 bytes", "—"],
      ["6,144 (6 KiB)", "—"],
      ["12,288 (12 KiB)", "—"],
    ],
  );
});

test("end-aligned pairs: a run that joined later pairs with the other's last steps", () => {
  const left = [
    step("instantiate", 1, 1, 0),
    step("invoke", 1, 1, 4096),
    step("instantiate", 2, 1, 0),
    step("invoke", 2, 1, 4096),
  ];
  const right = [step("instantiate", 7, 1, 0), step("invoke", 7, 1, 4096)];
  const pairs = pairEngineSteps(left, right, { alignEnd: true });
  assert.deepEqual(
    pairs.map((pair) => [pair.left?.instance ?? null, pair.right?.instance ?? null]),
    [
      [1, null],
      [1, null],
      [2, 7],
      [2, 7],
    ],
  );
  // Without it, the n-th with the n-th.
  assert.deepEqual(
    pairEngineSteps(left, right).map((pair) => pair.right?.instance ?? null),
    [7, 7, null, null],
  );
});
