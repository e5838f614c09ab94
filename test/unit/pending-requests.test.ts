// The one request/response mechanism: every request settles exactly once, by its answer,
// its error, or the loss of its channel; late and unknown answers are ignored.

import assert from "node:assert/strict";
import { test } from "node:test";
import { PendingRequests } from "../../common/pending-requests";

test("each request gets a new id and its own answer", async () => {
  const pending = new PendingRequests<string>();
  const first = pending.open();
  const second = pending.open();
  assert.notEqual(first.id, second.id);
  assert.equal(pending.size, 2);
  assert.equal(pending.resolve(second.id, "two"), true);
  assert.equal(pending.resolve(first.id, "one"), true);
  assert.equal(await first.answer, "one");
  assert.equal(await second.answer, "two");
  assert.equal(pending.size, 0);
});

test("a request settles once: a second answer or error for it is ignored", async () => {
  const pending = new PendingRequests<number>();
  let settled = 0;
  const { id, answer } = pending.open(() => settled++);
  assert.equal(pending.reject(id, new Error("timed out")), true);
  assert.equal(pending.resolve(id, 42), false, "a late answer finds nothing waiting");
  assert.equal(pending.reject(id, new Error("again")), false);
  await assert.rejects(answer, /timed out/);
  assert.equal(settled, 1, "onSettled ran once");
});

test("an answer for an id never opened is ignored", () => {
  const pending = new PendingRequests<number>();
  const { answer } = pending.open();
  assert.equal(pending.resolve(999, 1), false);
  assert.equal(pending.size, 1);
  pending.rejectAll(new Error("end"));
  return assert.rejects(answer, /end/);
});

test("rejectAll fails every waiting request and runs each onSettled", async () => {
  const pending = new PendingRequests<number>();
  const settled: number[] = [];
  const requests = [1, 2, 3].map((n) => pending.open(() => settled.push(n)));
  pending.rejectAll(new Error("the channel is gone"));
  for (const { answer } of requests) await assert.rejects(answer, /the channel is gone/);
  assert.deepEqual(settled, [1, 2, 3]);
  assert.equal(pending.size, 0);
  const next = pending.open();
  assert.ok(
    requests.every((r) => r.id !== next.id),
    "ids are never reused",
  );
});
