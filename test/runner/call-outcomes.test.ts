// How calls end in the V8 engine, as `wasm-cow run` reports them (issue 15): a WASI
// `proc_exit` from any export is "exited with code N" and ends the instance; a WASI
// reactor without `_initialize` can call WASI from its exports; a module importing an
// exception tag instantiates with a tag of the declared type; an exception that escapes is
// named by its tag with its payload. Expectations follow from each module's text.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { EXIT_STEP_FAILED } from "../../extension/cli/run-command";
import { captureCli } from "../helpers/cli-capture";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { wat } from "../helpers/wat";

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-outcomes-"));
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await assertNoRunnerLeft();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function run(source: string, ...argv: string[]): Promise<{ code: number; steps: Json[] }> {
  const file = path.join(dir, `m${Math.random().toString(36).slice(2)}.wasm`);
  writeFileSync(file, await wat(source));
  const result = await captureCli(["run", file, ...argv, "--json"]);
  assert.equal(result.stderr, "");
  return { code: result.code, steps: JSON.parse(result.stdout).steps };
}

const invokes = (steps: Json[]) => steps.filter((s: Json) => s.step === "invoke");

test("proc_exit inside an export: exited with code 3, and the instance runs no more", async () => {
  const { code, steps } = await run(
    `(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "quit") (call $exit (i32.const 3)))
      (func (export "after") (result i32) (i32.const 1)))`,
    "--invoke",
    "quit",
    "--invoke",
    "after",
  );
  assert.equal(code, EXIT_STEP_FAILED, "the call after the exit fails");
  const [quit, afterExit] = invokes(steps);
  assert.equal(quit.error, null);
  assert.deepEqual(quit.result, [{ type: "i32", value: 3 }]);
  assert.equal(quit.detail.exitStatus, 3);
  assert.match(afterExit.error, /exited with code 3 \(proc_exit\) and runs no more code/);
});

test("proc_exit from _start is the start step's result, as before", async () => {
  const { code, steps } = await run(
    `(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 0))))`,
  );
  assert.equal(code, 0);
  const [start] = steps.filter((s: Json) => s.step === "start");
  assert.deepEqual(start.result, [{ type: "i32", value: 0 }]);
  assert.equal(start.error, null);
});

test("a WASI reactor without _initialize writes to stdout from its export", async () => {
  // fd_write(1, iovs at 0: one iovec {ptr 16, len 3}, nwritten at 32) of "hi\n".
  const { code, steps } = await run(
    `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "\\10\\00\\00\\00\\03\\00\\00\\00")
      (data (i32.const 16) "hi\\n")
      (func (export "say") (result i32)
        (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32))))`,
    "--invoke",
    "say",
  );
  assert.equal(code, 0);
  const [say] = invokes(steps);
  assert.equal(say.error, null);
  assert.deepEqual(say.result, [{ type: "i32", value: 0 }], "errno 0: success");
  assert.deepEqual(say.output, { stdout: "hi\n", stderr: "" });
});

test("an imported exception tag is made from its type; escaping exceptions are named", async () => {
  const { code, steps } = await run(
    `(module
      (import "env" "__cpp_exception" (tag $e (param i32)))
      (tag $mine (export "mine") (param i64 f64))
      (tag $hidden)
      (func (export "caught") (result i32)
        (try (result i32)
          (do (throw $e (i32.const 5)))
          (catch $e)))
      (func (export "throw_imported") (throw $e (i32.const 1234)))
      (func (export "throw_own") (throw $mine (i64.const 7) (f64.const 2.5)))
      (func (export "throw_hidden") (throw $hidden)))`,
    "--invoke",
    "caught",
    "--invoke",
    "throw_imported",
    "--invoke",
    "throw_own",
    "--invoke",
    "throw_hidden",
  );
  assert.equal(code, EXIT_STEP_FAILED);
  const [caught, imported, own, hidden] = invokes(steps);
  assert.deepEqual(caught.result, [{ type: "i32", value: 5 }], "thrown and caught in the module");
  assert.equal(
    imported.error,
    'uncaught WebAssembly exception, tag import "env"."__cpp_exception", payload i32 1234',
  );
  assert.equal(
    own.error,
    'uncaught WebAssembly exception, tag export "mine", payload i64 7, f64 2.5',
  );
  assert.match(
    hidden.error,
    /^uncaught WebAssembly exception \(its tag is neither imported nor exported/,
  );
});

test("an exception from the start function fails instantiation with its tag and payload", async () => {
  const { steps } = await run(
    `(module
      (import "env" "oops" (tag $e (param i32)))
      (func $s (throw $e (i32.const 9)))
      (start $s))`,
  );
  const [instantiate] = steps.filter((s: Json) => s.step === "instantiate");
  assert.equal(
    instantiate.error,
    'uncaught WebAssembly exception, tag import "env"."oops", payload i32 9',
  );
});
