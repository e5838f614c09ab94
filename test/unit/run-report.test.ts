// The human run report's step line: what a module wrote to stdout and stderr during the
// step comes under the line, one line of its text per line, control characters escaped
// (the text is the module's, not this tool's).

import assert from "node:assert/strict";
import { test } from "node:test";
import { renderStepLine } from "../../extension/cli/run-report";
import { blankStep } from "../../extension/runner/step-records";

test("a step's output follows its line, stdout then stderr, each line escaped", () => {
  const step = {
    ...blankStep("invoke"),
    export: "hello",
    instance: 1,
    result: [{ type: "string", value: "Hello, world!" }],
    output: { stdout: "called with world\nsecond\u0007line\n", stderr: "a warning" },
  };
  const [line, ...below] = renderStepLine(step).split("\n");
  assert.match(line!, /invoke hello .* Hello, world!$/);
  assert.deepEqual(below, [
    "         stdout: called with world",
    "         stdout: second\\x07line",
    "         stderr: a warning",
  ]);
});

test("a step without output is one line", () => {
  assert.equal(renderStepLine(blankStep("reset")).split("\n").length, 1);
});
