// WASI output through the runner: captured in memory with a cap per stream (what is
// written past it is counted in the step's detail), never in a temporary file, and what
// a call wrote before the watchdog killed it reaches the caller with the time-out. And a
// wasm exception that escapes a call is named as one.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { after, afterEach, test } from "node:test";
import { RunnerClient, RunnerTimeoutError } from "../../extension/runner/runner-client";
import { assertNoRunnerLeft, waitUntilGone } from "../helpers/runner-process";
import { wat } from "../helpers/wat";

const MIB = 1 << 20;

/** `write(n)` writes n times the 64 KiB at address 0x10000 to `fd`; `hang` writes
 *  "before the loop" and then loops forever. */
const WRITER = `(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 3)
  ;; iovec 0 at 0: the 64 KiB chunk; iovec 1 at 8: the text at 32
  (data (i32.const 0) "\\00\\00\\01\\00\\00\\00\\01\\00")
  (data (i32.const 8) "\\20\\00\\00\\00\\0f\\00\\00\\00")
  (data (i32.const 32) "before the loop")
  (func (export "_initialize"))
  (func (export "write") (param $fd i32) (param $n i32)
    (loop $again
      (if (local.get $n)
        (then
          (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 24)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again)))))
  (func (export "hang")
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 24)))
    (loop $forever (br $forever))))`;

const clients: RunnerClient[] = [];

function client(maxOutputBytes?: number): RunnerClient {
  const made = new RunnerClient({
    config: {
      slots: 2,
      maxUnusedWarmSlots: 100,
      includePageStates: false,
      ...(maxOutputBytes === undefined ? {} : { maxOutputBytes }),
    },
    timeoutMs: 60_000,
  });
  clients.push(made);
  return made;
}

afterEach(async () => {
  for (const made of clients.splice(0)) {
    const pid = made.pid;
    made.dispose();
    if (pid !== null) await waitUntilGone(pid);
  }
});
after(assertNoRunnerLeft);

async function writerInstance(runner: RunnerClient): Promise<number> {
  await runner.request("loadModule", {
    moduleId: "writer",
    fileName: "writer.wasm",
    bytes: await wat(WRITER),
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  const started = await runner.request("instantiate", {
    moduleId: "writer",
    options: { init: "cow", initialize: true, wasi: true },
  });
  return started.instance;
}

const wasiFolders = (): string[] =>
  readdirSync(tmpdir()).filter((name) => name.startsWith("wasm-cow-wasi-"));

test("600 MiB to stdout: 16 MiB kept by default, the rest counted, no file written", async () => {
  const foldersBefore = wasiFolders();
  const runner = client();
  const instance = await writerInstance(runner);
  const chunks = (600 * MIB) / 65536;
  const step = await runner.request("invoke", {
    instance,
    export: "write",
    args: ["1", String(chunks)],
  });
  assert.equal(step.error, null);
  assert.equal(step.output?.stdout.length, 16 * MIB);
  assert.equal(step.output?.stderr, "");
  assert.deepEqual(step.detail, { droppedStdoutBytes: 584 * MIB, droppedStderrBytes: 0 });
  assert.deepEqual(wasiFolders(), foldersBefore, "no temporary folder for the output");
});

test("the cap is per stream and per step, and can be set", async () => {
  const runner = client(100_000);
  const instance = await writerInstance(runner);
  const first = await runner.request("invoke", { instance, export: "write", args: ["2", "3"] });
  assert.equal(first.output?.stderr.length, 100_000);
  assert.equal(first.output?.stdout, "");
  assert.deepEqual(first.detail, {
    droppedStdoutBytes: 0,
    droppedStderrBytes: 3 * 65536 - 100_000,
  });
  const second = await runner.request("invoke", { instance, export: "write", args: ["1", "1"] });
  assert.equal(second.output?.stdout.length, 65536, "a new step starts with the whole cap");
  assert.equal(second.detail, null, "nothing dropped, nothing said");
});

test("what a call wrote before its time-out comes with the time-out", async () => {
  const runner = client();
  const instance = await writerInstance(runner);
  const failure = await runner
    .request("invoke", { instance, export: "hang", args: [] }, 1_000)
    .then(
      () => assert.fail("the loop cannot return"),
      (error: unknown) => error,
    );
  assert.ok(failure instanceof RunnerTimeoutError, String(failure));
  assert.deepEqual(failure.output, { stdout: "before the loop", stderr: "" });
});

test("an exception no try caught is named as one, not [object WebAssembly.Exception]", async () => {
  const runner = client();
  await runner.request("loadModule", {
    moduleId: "thrower",
    fileName: "thrower.wasm",
    bytes: await wat(`(module
      (tag $oops (param i32))
      (memory (export "memory") 1)
      (func (export "_start") (throw $oops (i32.const 7))))`),
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  const { steps } = await runner.request("instantiate", {
    moduleId: "thrower",
    options: { init: "cow", initialize: true, wasi: false },
  });
  const start = steps.find((s) => s.step === "start");
  assert.match(start?.error ?? "", /^uncaught WebAssembly exception/);
});
