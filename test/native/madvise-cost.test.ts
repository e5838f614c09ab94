// madviseCost (native/src/madvise_cost.cc): the lab's madvise-against-size measurement.
// Its times are not checked (machines differ); what it returns and refuses is.

import assert from "node:assert/strict";
import { test } from "node:test";
import { HOST_PAGE, requireBackend } from "../helpers/native";

const addon = requireBackend();

test("one time per repetition for each of the four calls", () => {
  const times = addon.madviseCost(16 * HOST_PAGE, 64 * HOST_PAGE, 10, 7);
  assert.deepEqual(Object.keys(times).sort(), ["accessible", "mprotect", "protNone", "whole"]);
  for (const [call, ns] of Object.entries(times)) {
    assert.equal(ns.length, 7, call);
    for (const value of ns) assert.ok(Number.isFinite(value) && value >= 0, `${call}: ${value}`);
  }
});

test("a 4 GiB slot with a 2 GiB guard, as Wasmtime reserves it, is only reserved", () => {
  const before = process.memoryUsage.rss();
  addon.madviseCost(4 * 1024 ** 3, 2 * 1024 ** 3, 1000, 1);
  assert.ok(process.memoryUsage.rss() - before < 64 * 1024 ** 2, "the dirty pages are gone again");
});

test("bad arguments throw instead of measuring", () => {
  const bad: [unknown[], RegExp][] = [
    [[HOST_PAGE, HOST_PAGE, 0], /takes 4 arguments/],
    [[100, HOST_PAGE, 0, 1], /multiple of the host page size/],
    [[HOST_PAGE, 0, 0, 1], /at least one page/],
    [[HOST_PAGE, HOST_PAGE, 2, 1], /exceeds the accessible part's 1 pages/],
    [[HOST_PAGE, HOST_PAGE, 0, 0], /repeats must be 1 to 100000/],
    [[2 ** 47, HOST_PAGE, 0, 1], /at most 64 TiB/],
    [[-1, HOST_PAGE, 0, 1], /accessibleBytes/],
  ];
  for (const [args, message] of bad) {
    assert.throws(
      () => (addon.madviseCost as (...a: unknown[]) => unknown)(...args),
      message,
      JSON.stringify(args),
    );
  }
});
