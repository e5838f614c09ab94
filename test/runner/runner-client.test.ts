// The runner process through RunnerClient (the TypeScript entry through tsx): results,
// traps, the watchdog, crashes and restarts, and WASI. Every test ends its runner and
// checks through /proc that no runner process is left.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import os from "node:os";
import { after, afterEach, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import type { InstantiateOptions } from "../../extension/runner/protocol";
import {
  RunnerClient,
  RunnerCrashedError,
  RunnerTimeoutError,
} from "../../extension/runner/runner-client";
import {
  fixtureBytes,
  loadFixture,
  newClient,
  WASI_EBADF,
  type RunnerFixture,
} from "../helpers/runner-fixtures";
import { assertNoRunnerLeft, isAlive, waitUntilGone } from "../helpers/runner-process";
import type { StepRecord } from "../../common/run-types";

enableWasmFeatures();

const COW: InstantiateOptions = { init: "cow", initialize: true, wasi: true };

const clients: RunnerClient[] = [];
function client(onRestart?: (reason: string) => void): RunnerClient {
  const made = newClient(onRestart);
  clients.push(made);
  return made;
}

afterEach(async () => {
  for (const made of clients.splice(0)) {
    const pid = made.pid;
    made.dispose();
    if (pid !== null) await waitUntilGone(pid);
  }
  await assertNoRunnerLeft();
});
after(assertNoRunnerLeft);

async function instantiate(
  runner: RunnerClient,
  moduleId: RunnerFixture,
  options: InstantiateOptions = COW,
  timeoutMs?: number,
): Promise<{ instance: number; steps: StepRecord[] }> {
  return runner.request("instantiate", { moduleId, options }, timeoutMs);
}

function invoke(
  runner: RunnerClient,
  instance: number,
  name: string,
  args: string[] = [],
  timeoutMs?: number,
): Promise<StepRecord> {
  return runner.request("invoke", { instance, export: name, args }, timeoutMs);
}

/** V8's own message for a trap, from running the export in this process. */
async function v8TrapMessage(name: RunnerFixture, exportName: string): Promise<string> {
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module((await fixtureBytes(name)) as Uint8Array<ArrayBuffer>),
  );
  try {
    (instance.exports[exportName] as () => unknown)();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`${exportName} did not trap in V8`);
}

test("status reports this machine's backend", async () => {
  const runner = client();
  const status = await runner.status();
  assert.equal(status.available, true, JSON.stringify(status));
  if (!status.available) return;
  const [major, minor] = os.release().split(".").map(Number) as [number, number];
  assert.deepEqual(status.probe, {
    kernel: `${os.type()} ${os.release()}`,
    hostPageSize: Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim()),
    memfd: true,
    pagemap: true,
    // PAGEMAP_SCAN arrived in Linux 6.7; frames are readable with CAP_SYS_ADMIN (root here).
    pagemapScan: major > 6 || (major === 6 && minor >= 7),
    pfnReadable: process.getuid!() === 0,
  });
  assert.ok(runner.pid !== null && isAlive(runner.pid));
});

test("load, instantiate, invoke and release give the right values", async () => {
  const runner = client();
  const loaded = await runner.request("loadModule", {
    moduleId: "arithmetic",
    fileName: "arithmetic.wasm",
    bytes: await fixtureBytes("arithmetic"),
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  assert.deepEqual(
    loaded.steps.map((s) => s.step),
    ["plan", "image"],
  );
  assert.deepEqual(loaded.summary.images, [{ memory: 0, offset: 0x10000, length: 4096 }]);
  assert.equal(loaded.summary.cow, true);

  const first = await instantiate(runner, "arithmetic");
  assert.deepEqual(
    first.steps.map((s) => [s.step, s.error]),
    [
      ["acquire", null],
      ["map", null],
      ["instantiate", null],
    ],
  );
  const value = async (name: string, args: string[] = []): Promise<unknown> => {
    const step = await invoke(runner, first.instance, name, args);
    assert.equal(step.error, null, `${name}(${args})`);
    return step.result;
  };
  assert.deepEqual(await value("add", ["2", "3"]), [{ type: "i32", value: 5 }]);
  // i32 arithmetic wraps; hex arguments parse.
  assert.deepEqual(await value("add", ["0x7fffffff", "1"]), [{ type: "i32", value: -(2 ** 31) }]);
  // 2^53 + 1 survives as an exact i64 (a decimal string): 3 * 9007199254740993.
  assert.deepEqual(await value("triple", ["9007199254740993"]), [
    { type: "i64", value: "27021597764222979" },
  ]);
  assert.deepEqual(await value("half", ["1.5"]), [{ type: "f64", value: 0.75 }]);
  assert.deepEqual(await value("stored"), [{ type: "i32", value: 42 }]);
  assert.deepEqual(await value("bump"), [{ type: "i32", value: 43 }]);

  const reset = await runner.request("release", {
    instance: first.instance,
    strategy: "madvise",
    keepResident: 0,
  });
  assert.deepEqual(
    reset.map((s) => s.step),
    ["reset"],
  );
  // The reset brought the image back: the next instance reads 42 again.
  const second = await instantiate(runner, "arithmetic");
  const stored = await invoke(runner, second.instance, "stored");
  assert.deepEqual(stored.result, [{ type: "i32", value: 42 }]);
  await assert.rejects(
    invoke(runner, first.instance, "stored"),
    /no live instance/,
    "a released instance is gone",
  );
});

test("a runaway start function times out, the runner restarts and reloads modules", async () => {
  const restarts: string[] = [];
  const runner = client((reason) => restarts.push(reason));
  await loadFixture(runner, "arithmetic");
  await loadFixture(runner, "runawayStart");
  const before = runner.pid!;
  const started = Date.now();
  await assert.rejects(instantiate(runner, "runawayStart", COW, 1000), (error: Error) => {
    assert.ok(error instanceof RunnerTimeoutError, `${error.name}: ${error.message}`);
    assert.equal(error.timeoutMs, 1000);
    return true;
  });
  assert.ok(Date.now() - started < 30_000, "the watchdog fired in reasonable time");
  await waitUntilGone(before);
  assert.equal(restarts.length, 1, restarts.join("; "));

  // The next instantiate runs on a fresh runner that got the module again by itself.
  const next = await instantiate(runner, "arithmetic");
  assert.notEqual(runner.pid, before);
  assert.ok(next.steps.every((s) => s.error === null));
  assert.deepEqual((await invoke(runner, next.instance, "stored")).result, [
    { type: "i32", value: 42 },
  ]);
});

test("a trap is a step error with V8's message and the runner survives", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  const { instance } = await instantiate(runner, "arithmetic");
  const pid = runner.pid;
  const step = await invoke(runner, instance, "boom");
  assert.equal(step.error, await v8TrapMessage("arithmetic", "boom"));
  assert.equal(step.result, null);
  assert.equal(runner.pid, pid);
  assert.deepEqual((await invoke(runner, instance, "add", ["1", "1"])).result, [
    { type: "i32", value: 2 },
  ]);
});

test("calling an unresolved import names it", async () => {
  const runner = client();
  await loadFixture(runner, "unresolved");
  const { instance } = await instantiate(runner, "unresolved");
  const step = await invoke(runner, instance, "callf");
  assert.equal(step.error, `unresolved import "env"."f"`);
});

test("a runner killed while idle is replaced on the next request", async () => {
  const restarts: string[] = [];
  const runner = client((reason) => restarts.push(reason));
  await loadFixture(runner, "arithmetic");
  const killed = runner.pid!;
  process.kill(killed, "SIGKILL");
  await waitUntilGone(killed);
  assert.equal(restarts.length, 1);
  assert.match(restarts[0]!, /SIGKILL/);
  const { instance } = await instantiate(runner, "arithmetic");
  assert.notEqual(runner.pid, killed);
  assert.deepEqual((await invoke(runner, instance, "stored")).result, [{ type: "i32", value: 42 }]);
});

test("a request racing the runner's death fails as a crash at worst, then all is well", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  process.kill(runner.pid!, "SIGKILL");
  // Sent before the exit is noticed: it may reach the dead process.
  await instantiate(runner, "arithmetic").catch((error: Error) => {
    assert.ok(error instanceof RunnerCrashedError, `${error.name}: ${error.message}`);
  });
  const { instance } = await instantiate(runner, "arithmetic");
  assert.deepEqual((await invoke(runner, instance, "stored")).result, [{ type: "i32", value: 42 }]);
});

test("a runner killed during a long request fails it as a crash; the next one works", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  const { instance } = await instantiate(runner, "arithmetic");
  const busy = runner.pid!;
  const spinning = invoke(runner, instance, "spin", [], 60_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(busy, "SIGKILL");
  await assert.rejects(spinning, (error: Error) => {
    assert.ok(error instanceof RunnerCrashedError, `${error.name}: ${error.message}`);
    return true;
  });
  const next = await instantiate(runner, "arithmetic");
  assert.notEqual(runner.pid, busy);
  assert.deepEqual((await invoke(runner, next.instance, "add", ["20", "22"])).result, [
    { type: "i32", value: 42 },
  ]);
});

test("a crash message does not quote the runner's start-up warnings", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  const { instance } = await instantiate(runner, "arithmetic");
  const spinning = invoke(runner, instance, "spin", [], 60_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(runner.pid!, "SIGKILL");
  const error = await spinning.then(
    () => assert.fail("the request should fail"),
    (caught: Error) => caught,
  );
  assert.ok(error instanceof RunnerCrashedError);
  assert.match(error.message, /SIGKILL/);
  // Node's WASI ExperimentalWarning is printed at start-up, long before the crash.
  assert.doesNotMatch(error.message, /warning/i);
});

test("an instance id from before a restart does not reach a new runner's instance", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  const old = await instantiate(runner, "arithmetic");
  const killed = runner.pid!;
  process.kill(killed, "SIGKILL");
  await waitUntilGone(killed);
  const fresh = await instantiate(runner, "arithmetic");
  // The old instance died with its runner: releasing it must fail, not release another.
  await assert.rejects(
    runner.request("release", { instance: old.instance, strategy: "madvise", keepResident: 0 }),
    /no live instance/,
  );
  assert.deepEqual((await invoke(runner, fresh.instance, "stored")).result, [
    { type: "i32", value: 42 },
  ]);
});

test("a module the runner refuses does not break later requests", async () => {
  const runner = client();
  // Version 2 instead of 1: the runner's reader refuses it.
  const refused = Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]);
  await assert.rejects(
    runner.request("loadModule", {
      moduleId: "refused",
      fileName: "refused.wasm",
      bytes: refused,
      pageSize: 4096,
      denseLimit: 16 << 20,
    }),
    /version/,
  );
  await loadFixture(runner, "arithmetic");
  const { instance } = await instantiate(runner, "arithmetic");
  assert.deepEqual((await invoke(runner, instance, "stored")).result, [{ type: "i32", value: 42 }]);
});

test("an import the runner cannot provide does not leak pool slots", async () => {
  const runner = client();
  await loadFixture(runner, "tagImport");
  await loadFixture(runner, "arithmetic");
  // More attempts than the pool has slots (4, see newClient).
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const failed = await instantiate(runner, "tagImport");
      // Reported as a failed step instead: then the instance can be released.
      assert.match(failed.steps.map((s) => s.error ?? "").join(" "), /"env"."t"/);
      await runner.request("release", {
        instance: failed.instance,
        strategy: "madvise",
        keepResident: 0,
      });
    } catch (error) {
      assert.match(
        (error as Error).message,
        /cannot provide import "env"."t"/,
        `attempt ${attempt}`,
      );
    }
  }
  const { instance } = await instantiate(runner, "arithmetic");
  assert.deepEqual((await invoke(runner, instance, "stored")).result, [{ type: "i32", value: 42 }]);
});

test("dispose during a request fails it and ends the runner", async () => {
  const runner = client();
  await loadFixture(runner, "arithmetic");
  const { instance } = await instantiate(runner, "arithmetic");
  const pid = runner.pid!;
  const spinning = invoke(runner, instance, "spin", [], 60_000);
  runner.dispose();
  await assert.rejects(spinning, RunnerCrashedError);
  assert.equal(runner.pid, null);
  await waitUntilGone(pid);
});

test("WASI: _start's stdout is captured in the start step", async () => {
  const runner = client();
  await loadFixture(runner, "wasiHello");
  const { steps } = await instantiate(runner, "wasiHello");
  const start = steps.find((s) => s.step === "start");
  assert.ok(start, `steps ${steps.map((s) => s.step)}`);
  assert.equal(start.error, null);
  assert.deepEqual(start.output, { stdout: "hello", stderr: "" });
});

test("WASI off: the WASI import traps as unresolved", async () => {
  const runner = client();
  await loadFixture(runner, "wasiHello");
  const { steps } = await instantiate(runner, "wasiHello", { ...COW, wasi: false });
  const start = steps.find((s) => s.step === "start");
  assert.equal(start?.error, `unresolved import "wasi_snapshot_preview1"."fd_write"`);
  assert.equal(start?.output, null);
});

test("WASI has no preopened directories: fd 3 is a bad descriptor", async () => {
  const runner = client();
  await loadFixture(runner, "wasiProbe");
  const { instance, steps } = await instantiate(runner, "wasiProbe");
  assert.deepEqual(
    steps.map((s) => [s.step, s.error]),
    [
      ["acquire", null],
      ["map", null],
      ["instantiate", null],
      ["initialize", null],
    ],
  );
  for (const name of ["prestat", "open"]) {
    const step = await invoke(runner, instance, name);
    assert.deepEqual(step.result, [{ type: "i32", value: WASI_EBADF }], name);
  }
});
