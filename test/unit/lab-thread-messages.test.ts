// The lab's scaling threads (extension/runner/lab/thread-scaling.ts `follow`): a worker's
// messages are followed through one set of listeners, so a parent that wakes only after
// the worker posted "done" and "closed" and exited still sees both (Node then delivers
// them and the exit in one synchronous drain). Listeners added after "done" missed the
// rest, and the strategy lab hung in CI on a busy machine.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { follow } from "../../extension/runner/lab/thread-scaling";

function worker(posts: string[]): Worker {
  const body = posts.map((kind) => `parentPort.postMessage(${kind});`).join(" ");
  return new Worker(`const { parentPort } = require("node:worker_threads"); ${body}`, {
    eval: true,
  });
}

/** Blocks this thread, as a loaded machine does, while the worker posts and exits. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

function withinSeconds<T>(work: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`still waiting after ${seconds} s`)),
        seconds * 1000,
      ).unref(),
    ),
  ]);
}

test("done and closed, both seen when the worker exited before this thread woke", async () => {
  const seen: string[] = [];
  const w = worker(['{ kind: "done" }', '{ kind: "closed" }']);
  const followed = follow(w, ["done", "closed"], (kind) => seen.push(kind));
  busyFor(1000);
  await withinSeconds(followed, 5);
  assert.deepEqual(seen, ["done", "closed"]);
});

test("a failure or an exit before the last message rejects", async () => {
  const failed = worker(['{ kind: "failed", error: "no backend" }']);
  await assert.rejects(withinSeconds(follow(failed, ["ready"]), 5), /no backend/);
  const gone = worker(['{ kind: "done" }']);
  const followed = follow(gone, ["done", "closed"]);
  busyFor(500);
  await assert.rejects(withinSeconds(followed, 5), /exited with code 0/);
});
