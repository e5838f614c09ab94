// The lab's options on their way from the Strategies tab to the runner: the form's text
// fields parsed (webview/src/views/strategies/lab-form.ts) and the host's check of what
// the webview posts (common/lab-options.ts, through parseWebviewMessage).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseLabOptions } from "../../common/lab-options";
import { LAB_STRATEGIES, type LabOptions } from "../../common/lab-types";
import { parseWebviewMessage } from "../../common/webview-protocol";
import { labOptionsFrom, parseWorkload } from "../../webview/src/views/strategies/lab-form";

const VALID: LabOptions = {
  invokes: [{ name: "touch", args: ["1"] }],
  instances: 10,
  threads: [1, 2],
  strategies: ["cow-affine", "userfaultfd"],
  madviseSizes: true,
};

describe("the host's check of posted lab options", () => {
  test("valid options pass unchanged, duplicates folded", () => {
    assert.deepEqual(parseLabOptions(VALID), VALID);
    assert.deepEqual(parseLabOptions({ ...VALID, threads: [2, 2, 1] })?.threads, [2, 1]);
    assert.deepEqual(parseWebviewMessage({ type: "runLab", options: VALID }), {
      type: "runLab",
      options: VALID,
    });
  });

  for (const [what, change] of [
    ["no strategy", { strategies: [] }],
    ["an unknown strategy", { strategies: ["uffd"] }],
    ["0 instances", { instances: 0 }],
    ["1,001 instances", { instances: 1001 }],
    ["a fractional instance count", { instances: 1.5 }],
    ["65 threads", { threads: [65] }],
    ["nine thread counts", { threads: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
    ["an empty export name", { invokes: [{ name: "", args: [] }] }],
    ["a number as an argument", { invokes: [{ name: "f", args: [1] }] }],
    ["65 calls", { invokes: Array.from({ length: 65 }, () => ({ name: "f", args: [] })) }],
    ["madviseSizes missing", { madviseSizes: undefined }],
  ] as [string, Partial<Record<keyof LabOptions, unknown>>][]) {
    test(`refused: ${what}`, () => {
      assert.equal(parseLabOptions({ ...VALID, ...change }), null);
      assert.equal(parseWebviewMessage({ type: "runLab", options: { ...VALID, ...change } }), null);
    });
  }

  test("exportLab takes json or csv only", () => {
    assert.deepEqual(parseWebviewMessage({ type: "exportLab", format: "csv" }), {
      type: "exportLab",
      format: "csv",
    });
    assert.equal(parseWebviewMessage({ type: "exportLab", format: "xlsx" }), null);
  });
});

describe("the Strategies form", () => {
  test("the workload: calls split at ';', arguments at ',', blanks dropped", () => {
    assert.deepEqual(parseWorkload(" touch ; add=1, 2;; f= "), [
      { name: "touch", args: [] },
      { name: "add", args: ["1", "2"] },
      { name: "f", args: [] },
    ]);
    assert.deepEqual(parseWorkload(""), []);
  });

  const fields = {
    workload: "touch",
    instances: "3",
    threads: "1, 2,2",
    strategies: [...LAB_STRATEGIES],
    madviseSizes: false,
  };

  test("valid fields become the options the host accepts", () => {
    const parsed = labOptionsFrom(fields);
    assert.ok("options" in parsed);
    assert.deepEqual(parsed.options.threads, [1, 2]);
    assert.deepEqual(parseLabOptions(parsed.options), parsed.options);
  });

  for (const [what, change, message] of [
    ["instances 0", { instances: "0" }, /Instances must be a whole number from 1 to 1000/],
    ["instances text", { instances: "ten" }, /Instances/],
    ["a thread count of 0", { threads: "0" }, /Threads must be/],
    ["no strategy", { strategies: [] }, /at least one strategy/],
    ["a call without a name", { workload: "=1" }, /needs an export name/],
  ] as [string, Partial<typeof fields>, RegExp][]) {
    test(`refused with a reason: ${what}`, () => {
      const parsed = labOptionsFrom({ ...fields, ...change });
      assert.ok("error" in parsed);
      assert.match(parsed.error, message);
    });
  }
});
