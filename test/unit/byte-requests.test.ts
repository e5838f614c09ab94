// The host answers every byte request of the webview: with the bytes, or with why not
// (before, a request for a side the panel lacks, or whose image read threw, was never
// answered, and a live read's own error was shown as "no live instance").

import assert from "node:assert/strict";
import { test } from "node:test";
import type { WebviewMessage } from "../../common/webview-protocol";
import { answerReadBytes, NO_LIVE_INSTANCE } from "../../extension/editor/byte-requests";

type ReadBytes = Extract<WebviewMessage, { type: "readBytes" }>;

const request = (change: Partial<ReadBytes> = {}): ReadBytes => ({
  type: "readBytes",
  requestId: 7,
  side: "left",
  source: "image",
  memory: 0,
  offset: 4096,
  length: 16,
  ...change,
});

const bytesOf = (memory: number, offset: number, length: number): Promise<Uint8Array> =>
  Promise.resolve(Uint8Array.from({ length }, (_, i) => (memory + offset + i) & 0xff));

const failing = (message: string) => (): Promise<Uint8Array> => Promise.reject(new Error(message));

test("image bytes of a side the panel has", async () => {
  const answer = await answerReadBytes(request(), {
    image: (side) => (side === "left" ? bytesOf : null),
    live: null,
  });
  assert.deepEqual(answer, {
    type: "bytes",
    requestId: 7,
    bytes: Uint8Array.from({ length: 16 }, (_, i) => i & 0xff),
    error: null,
  });
});

test("a side the panel does not have is answered with an error", async () => {
  const answer = await answerReadBytes(request({ side: "right" }), {
    image: (side) => (side === "left" ? bytesOf : null),
    live: null,
  });
  assert.equal(answer.requestId, 7);
  assert.equal(answer.bytes, null);
  assert.match(answer.error ?? "", /no right module/);
});

test("an image read that throws is answered with its error", async () => {
  const answer = await answerReadBytes(request(), {
    image: () => failing("the analysis worker stopped (exit code 1)"),
    live: null,
  });
  assert.equal(answer.bytes, null);
  assert.equal(answer.error, "the analysis worker stopped (exit code 1)");
});

test("a live read without a live instance says so", async () => {
  const answer = await answerReadBytes(request({ source: "live" }), {
    image: () => bytesOf,
    live: null,
  });
  assert.equal(answer.bytes, null);
  assert.equal(answer.error, NO_LIVE_INSTANCE);
});

test("a live read that fails shows its own error, not 'no live instance'", async () => {
  const answer = await answerReadBytes(request({ source: "live" }), {
    image: () => bytesOf,
    live: failing("timed out after 5000 ms: the runner was killed and will restart"),
  });
  assert.equal(answer.bytes, null);
  assert.match(answer.error ?? "", /^timed out after 5000 ms/);
});

test("live bytes of the live instance", async () => {
  const answer = await answerReadBytes(
    request({ source: "live", memory: 1, offset: 0, length: 4 }),
    {
      image: () => null,
      live: bytesOf,
    },
  );
  assert.deepEqual(answer.bytes, Uint8Array.from([1, 2, 3, 4]));
  assert.equal(answer.error, null);
});
