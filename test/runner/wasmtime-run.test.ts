// `wasm-cow run --engine wasmtime`: real Wasmtime 49 (the wheel's library) runs the module
// in its own pooling allocator, and the report shows what the kernel saw of its slots.
// Expected pages come from the WAT sources: dirty-per-call.wasm has a 16-page memory (256
// host pages), data at 0 and at 0x8000 (so a 9-page image), and `touch` writes one byte
// into the next 4 KiB page per call.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT_STEP_FAILED } from "../../extension/cli/run-command";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { WasmtimeSession } from "../../extension/runner/wasmtime-session";
import { requireBackend } from "../helpers/native";
import { buildExamples } from "../../scripts/build-examples";
import { captureCli } from "../helpers/cli-capture";
import { assertNoRunnerLeft } from "../helpers/runner-process";
import { wat } from "../helpers/wat";

const IMAGE_PAGES = 9;
const MEMORY_PAGES = 256;
const NONE = { notPresent: 0, zero: 0, imageClean: 0, imageDirty: 0, anonDirty: 0, swapped: 0 };

const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-wasmtime-"));
let dirty: string;
before(async () => {
  dirty = (await buildExamples()).find((file) => path.basename(file) === "dirty-per-call.wasm")!;
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await assertNoRunnerLeft();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function run(...argv: string[]): Promise<{ code: number; report: Json; stderr: string }> {
  const result = await captureCli(["run", ...argv, "--engine", "wasmtime", "--json"]);
  return {
    code: result.code,
    report: result.stdout ? JSON.parse(result.stdout) : null,
    stderr: result.stderr,
  };
}

async function moduleFile(name: string, source: string): Promise<string> {
  const file = path.join(dir, `${name}.wasm`);
  writeFileSync(file, await wat(source));
  return file;
}

const stepsOf = (report: Json, name: string): Json[] =>
  report.steps.filter((s: Json) => s.step === name);

describe("Wasmtime's slots, seen from the kernel", () => {
  test("the second instance reuses the first one's slot with the image still mapped", async () => {
    const { code, report, stderr } = await run(dirty, "--invoke", "touch", "--instances", "2");
    assert.equal(code, 0, stderr);
    assert.equal(report.engine.kind, "wasmtime");
    assert.match(report.engine.version, /^49\./);
    assert.deepEqual(report.engine.pooling, {}, "Wasmtime's defaults: nothing was set");

    const [first, second] = stepsOf(report, "instantiate");
    assert.equal(first.pick, "cold");
    assert.equal(second.pick, "affine");
    assert.equal(second.slot, first.slot);
    assert.equal(second.detail.slotBase, first.detail.slotBase, "the same base address");
    assert.match(first.detail.slotBase, /^0x[0-9a-f]+$/);
    // Wasmtime's own system calls (.ci/run mounts tracefs for their tracepoints): a cold slot
    // maps the image and makes [0, initial) accessible; the affine slot needs neither; a
    // memcpy is no system call, so copies are not seen.
    const none = { mmap: 0, mprotect: 0, madvise: 0, ioctl: 0, copies: null };
    assert.deepEqual(first.syscalls, { ...none, mmap: 1, mprotect: 1 });
    assert.deepEqual(second.syscalls, none);
    for (const step of [first, second]) {
      assert.equal(step.detail.imageMapped, true);
      const [memory] = step.memories;
      // Where Wasmtime mapped its image, as the kernel lists it.
      assert.equal(memory.imageOffset, 0);
      assert.equal(memory.imageLength, IMAGE_PAGES * 4096);
      assert.deepEqual(memory.pages, { ...NONE, notPresent: MEMORY_PAGES });
    }
    assert.equal(second.detail.imageInode, first.detail.imageInode, "the same memfd");
    assert.equal(second.detail.imageRemapped, false);

    for (const touch of stepsOf(report, "invoke")) {
      assert.deepEqual(touch.result, [{ type: "i32", value: 4096 }], "a fresh global each time");
      assert.deepEqual(touch.memories[0].pages, {
        ...NONE,
        imageDirty: 1,
        notPresent: MEMORY_PAGES - 1,
      });
    }
    for (const reset of stepsOf(report, "reset")) {
      assert.deepEqual(reset.syscalls, { ...none, madvise: 1 }, "one MADV_DONTNEED");
      assert.deepEqual(reset.memories[0].pages, { ...NONE, notPresent: MEMORY_PAGES });
      assert.equal(reset.detail.imageStillMapped, true);
      assert.equal(reset.detail.bytesResident, 0);
    }
  });

  test("keep-resident 64 KiB: Wasmtime's reset leaves the first 16 pages as private copies", async () => {
    const { code, report, stderr } = await run(
      dirty,
      "--invoke",
      "touch",
      "--instances",
      "2",
      "--reset",
      "keep-resident=65536",
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(report.engine.pooling, { keepResident: 65536 });
    const reset = stepsOf(report, "reset");
    for (const step of reset) {
      assert.deepEqual(step.memories[0].pages, {
        ...NONE,
        imageDirty: IMAGE_PAGES,
        anonDirty: 16 - IMAGE_PAGES,
        notPresent: MEMORY_PAGES - 16,
      });
      assert.equal(step.detail.bytesResident, 65536);
    }
  });

  test("another module takes the one slot over: a warm pick and a remap, seen by inode", async () => {
    const addon = requireBackend();
    addon.loadWasmtime((findWasmtime() as { found: { path: string } }).found.path);
    // One slot and no spare warm slot: each module in turn takes it over from the other.
    const session = new WasmtimeSession(
      addon,
      { slots: 1, maxUnusedWarmSlots: 0, includePageStates: false },
      { totalMemories: 1, maxUnusedWarmSlots: 0 },
    );
    const other = await wat(
      `(module (memory (export "memory") 16) (data (i32.const 0x3000) "another image"))`,
    );
    for (const [moduleId, bytes] of [
      ["dirty", readFileSync(dirty)],
      ["other", other],
    ] as const) {
      session.loadModule({
        moduleId,
        fileName: moduleId,
        bytes,
        pageSize: 4096,
        denseLimit: 16 << 20,
      });
    }
    const seen = ["dirty", "other", "dirty", "dirty"].map((moduleId) => {
      const started = session.instantiate(moduleId, {
        init: "cow",
        initialize: false,
        wasi: false,
      });
      const [step] = started.steps;
      session.release(started.instance, "madvise", 0);
      return { moduleId, step: step! };
    });
    assert.deepEqual(
      seen.map(({ step }) => [step.pick, step.slot, step.detail!.imageRemapped]),
      [
        ["cold", 0, false],
        ["warm", 0, true],
        ["warm", 0, true],
        ["affine", 0, false],
      ],
    );
    const inode = (n: number) => seen[n]!.step.detail!.imageInode;
    assert.notEqual(inode(1), inode(0), "the other module's image is another memfd");
    assert.equal(inode(2), inode(0), "the first module's memfd again");
    // Where each image lies, as the kernel lists it: the other module's data at 0x3000.
    assert.deepEqual(
      seen.map(({ step }) => [step.memories[0]!.imageOffset, step.memories[0]!.imageLength]),
      [
        [0, IMAGE_PAGES * 4096],
        [0x3000, 4096],
        [0, IMAGE_PAGES * 4096],
        [0, IMAGE_PAGES * 4096],
      ],
    );
  });

  test("a memory the module does not export is exported for Wasmtime's C API, and observed", async () => {
    const file = await moduleFile(
      "hidden",
      `(module (memory 1) (data (i32.const 0) "x") (func (export "f") (result i32) (i32.load8_u (i32.const 0))))`,
    );
    const { code, report, stderr } = await run(file, "--invoke", "f");
    assert.equal(code, 0, stderr);
    const [compile] = stepsOf(report, "compile");
    assert.equal(compile.detail.exportedToObserve, 'memory 0 as "wasm-cow:memory0"');
    const [instantiate] = stepsOf(report, "instantiate");
    // The image Wasmtime mapped for the module as it is: one page with "x" at 0.
    assert.equal(instantiate.detail.imageMapped, true);
    assert.deepEqual(
      [instantiate.memories[0].imageOffset, instantiate.memories[0].imageLength],
      [0, 4096],
    );
    const [invoke] = stepsOf(report, "invoke");
    assert.deepEqual(invoke.result, [{ type: "i32", value: 120 }]);
    // The load read the image page: clean, shared with the memfd.
    assert.equal(invoke.memories[0].pages.imageClean, 1);
    assert.equal(invoke.memories[0].pages.imageDirty, 0);
  });
});

describe("module code under Wasmtime", () => {
  test("a runaway call is stopped by epoch interruption and the instance goes on", async () => {
    const file = await moduleFile(
      "spin",
      `(module (memory (export "memory") 1)
         (func (export "spin") (loop $l (br $l)))
         (func (export "one") (result i32) (i32.const 1)))`,
    );
    const started = Date.now();
    const { code, report } = await run(
      file,
      "--invoke",
      "spin",
      "--invoke",
      "one",
      "--timeout",
      "300",
    );
    assert.equal(code, EXIT_STEP_FAILED);
    const [spin, one] = stepsOf(report, "invoke");
    assert.match(
      spin.error,
      /timed out after 300 ms: Wasmtime's epoch interruption stopped the call/,
    );
    assert.ok(spin.ns >= 290e6, `stopped after ${spin.ns / 1e6} ms`);
    // The same instance answers next: the runner was not killed (that would lose it).
    assert.equal(one.error, null);
    assert.deepEqual(one.result, [{ type: "i32", value: 1 }]);
    assert.equal(stepsOf(report, "reset").length, 1);
    assert.ok(Date.now() - started < 60_000);
  });

  test("WASI through Wasmtime: output captured per step, the exit status as the result", async () => {
    const file = await moduleFile(
      "hello",
      `(module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello from wasmtime\\n")
        (func (export "_start")
          (i32.store (i32.const 0) (i32.const 16))
          (i32.store (i32.const 4) (i32.const 20))
          (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
          (drop (call $write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
          (call $exit (i32.const 3))))`,
    );
    const { code, report, stderr } = await run(file, "--max-output", "8");
    assert.equal(code, 0, stderr);
    const [start] = stepsOf(report, "start");
    assert.deepEqual(start.output, { stdout: "hello fr", stderr: "hello fr" });
    assert.equal(start.detail.droppedStdoutBytes, 12);
    assert.deepEqual(start.result, [{ type: "i32", value: 3 }]);
    assert.equal(start.detail.exitStatus, 3);
  });

  test("a trap is reported with Wasmtime's message", async () => {
    const file = await moduleFile(
      "trap",
      `(module (memory (export "memory") 1) (func (export "boom") unreachable))`,
    );
    const { code, report } = await run(file, "--invoke", "boom");
    assert.equal(code, EXIT_STEP_FAILED);
    assert.match(stepsOf(report, "invoke")[0].error, /unreachable/);
  });
});

describe("choosing the engine", () => {
  const refusals: [string[], RegExp][] = [
    [["--init", "eager"], /--init eager is the V8 engine's/],
    [["--init", "userfaultfd"], /Wasmtime 49 has no userfaultfd/],
    [["--reset", "pagemap"], /--reset pagemap is this tool's own strategy/],
    [["--smaps"], /--smaps is for the V8 engine/],
  ];
  for (const [extra, message] of refusals) {
    test(`--engine wasmtime ${extra.join(" ")} is a usage error`, async () => {
      const result = await captureCli(["run", "x.wasm", "--engine", "wasmtime", ...extra]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
    });
  }

  test("--max-memory-size without the Wasmtime engine, and an unknown engine, are usage errors", async () => {
    const pooling = await captureCli(["run", "x.wasm", "--max-memory-size", "65536"]);
    assert.equal(pooling.code, 2);
    assert.match(pooling.stderr, /--max-memory-size is a Wasmtime pooling option/);
    const unknown = await captureCli(["run", "x.wasm", "--engine", "spidermonkey"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--engine must be v8, wasmtime or wasmtime=PATH/);
  });

  test("a library path that does not exist is named, and nothing runs", async () => {
    const missing = path.join(dir, "no-such-libwasmtime.so");
    const result = await captureCli(["run", dirty, "--engine", `wasmtime=${missing}`]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the Wasmtime engine is unavailable: .*no-such-libwasmtime\.so does not exist/,
    );
  });

  test("pooling options given are Wasmtime's, and the header says which", async () => {
    const result = await captureCli([
      "run",
      dirty,
      "--engine",
      "wasmtime",
      "--slots",
      "3",
      "--max-memory-size",
      "1048576",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /engine: Wasmtime 49\.\d+\.\d+ \(.*\), pooling allocator: totalMemories 3, maxMemorySize 1,048,576, the rest Wasmtime's defaults/,
    );
  });
});
