// The stepper's steps against the CLI's: every step made current in turn and its page
// counts (table and page-map legend), slot pick and system calls compared with
// `wasm-cow run --json` on the same file.

import assert from "node:assert/strict";
import type { RunJson } from "./cli";
import type { Inspector, StepFacts } from "./inspector";

/** Waits for `count` steps, then compares every one of them with the CLI's step at the
 *  same position. */
export async function checkSteps(
  inspector: Inspector,
  cliSteps: RunJson["steps"],
  count: number,
): Promise<void> {
  await inspector.waitForSteps(count);
  for (let index = 0; index < count; index++) {
    await inspector.selectStep(index);
    const expected = cliSteps[index]!;
    assertStep(await inspector.currentStep(), expected, `after ${count} steps, step ${index + 1}`);
  }
}

export function assertStep(
  shown: StepFacts,
  expected: RunJson["steps"][number],
  label: string,
): void {
  assert.equal(shown.step, expected.step, `${label}: which step`);
  assert.equal(shown.pick, expected.pick, `${label}: slot pick`);
  assert.deepEqual(shown.syscalls, expected.syscalls, `${label}: system calls`);
  const pages = expected.memories.map((memory) => memory.pages);
  assert.deepEqual(shown.tables, pages, `${label}: the step's page counts`);
  assert.deepEqual(shown.legends, pages, `${label}: the page map legend's counts`);
}
