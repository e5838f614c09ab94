// Real Wasmtime 49 through the addon's engine (native/src/wasmtime_engine.cc), with the
// wheel's library: its pooling allocator reuses the same slot for the next instance of a
// module with the image still mapped from Wasmtime's own memfd; typed calls cross in both
// directions; and Wasmtime's trap handling and V8's coexist in one process, traps and
// out-of-bounds accesses in either order.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import {
  WASMTIME_TRAP_INTERRUPT,
  type WasmtimeEngine,
} from "../../extension/runner/native-backend";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { syscallTracepoints } from "../../extension/runner/syscall-tracepoints";
import { countPageStates } from "../../common/page-states";
import { buildExamples } from "../../scripts/build-examples";
import { requireBackend } from "../helpers/native";
import { wat } from "../helpers/wat";

const addon = requireBackend();
const search = findWasmtime();
if (!("found" in search)) assert.fail(search.missing);
addon.loadWasmtime(search.found.path);

/** Every state at zero, so an expectation names only the states it has. */
const NONE = { notPresent: 0, zero: 0, imageClean: 0, imageDirty: 0, anonDirty: 0, swapped: 0 };

const POOL = { totalMemories: 4, maxMemorySize: 1 << 30, keepResident: 0, maxUnusedWarmSlots: 100 };

const IMAGE_FILE = "/memfd:wasm-memory-image (deleted)";

/** The mappings /proc/self/maps lists, read as text (the oracle for `mappingsIn`). */
function mapsLines(): { start: bigint; end: bigint; name: string }[] {
  return readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [range, , , , , ...name] = line.split(/ +/);
      const [start, end] = range!.split("-");
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), name: name.join(" ") };
    });
}

/** The mappings of Wasmtime's image memfd. */
function imageMappings(): { start: bigint; end: bigint }[] {
  return mapsLines().filter((line) => line.name === IMAGE_FILE);
}

let dirty: Uint8Array;
before(async () => {
  const built = await buildExamples();
  dirty = readFileSync(built.find((file) => path.basename(file) === "dirty-per-call.wasm")!);
});

describe("the pooling allocator with copy-on-write images", () => {
  test("the second instance gets the first one's slot, its image still mapped", () => {
    const engine = new addon.WasmtimeEngine(POOL);
    const module = engine.compile(dirty);
    const seen: { base: bigint; touches: (number | bigint)[] }[] = [];
    for (let n = 0; n < 2; n++) {
      const instance = engine.instantiate(module, {});
      const memory = engine.memory(instance, "memory");
      assert.ok(memory, "dirty-per-call.wasm exports its memory");
      assert.equal(memory.length, 16 * 65536);
      // The image (bytes 0..0x8018, so 9 pages of 4 KiB) mapped at the memory's base.
      assert.ok(
        imageMappings().some((m) => m.start === memory.base && m.end - m.start === 9n * 4096n),
        `Wasmtime's memfd image at ${memory.base.toString(16)}`,
      );
      const touches = [1, 2].flatMap(() => engine.call(instance, "touch", [], ["i32"]));
      seen.push({ base: memory.base, touches });
      engine.drop(instance);
    }
    assert.equal(seen[1]!.base, seen[0]!.base, "affine reuse: the same slot");
    // The reset by dropping the Store restored the module's state: a fresh global.
    assert.deepEqual(seen[1]!.touches, [4096, 8192]);
  });
});

describe("page states of Wasmtime's slot, from the kernel", () => {
  // dirty-per-call.wasm: a 9-page image at 0 in a 256-page memory (4 KiB pages); each
  // `touch` writes one byte into the next page.
  const IMAGE = 9 * 4096;
  const counts = (engine: WasmtimeEngine, instance: number) =>
    countPageStates(engine.snapshot(instance, "memory", 0, IMAGE).states);

  function cycle(keepResident: number) {
    const engine = new addon.WasmtimeEngine({ ...POOL, keepResident });
    const module = engine.compile(dirty);
    const first = engine.instantiate(module, {});
    const fresh = counts(engine, first);
    for (let n = 0; n < 10; n++) engine.call(first, "touch", [], ["i32"]);
    const touched = counts(engine, first);
    engine.drop(first);
    const second = engine.instantiate(module, {});
    return { fresh, touched, reused: counts(engine, second) };
  }

  test("10 touches: 9 private copies of image pages and 1 page past the image", () => {
    const { fresh, touched } = cycle(0);
    assert.deepEqual(fresh, { ...NONE, notPresent: 256 }, "nothing is faulted in at instantiation");
    assert.deepEqual(touched, { ...NONE, imageDirty: 9, anonDirty: 1, notPresent: 246 });
  });

  test("keep-resident 0: dropping the Store leaves nothing resident in the slot", () => {
    assert.deepEqual(cycle(0).reused, { ...NONE, notPresent: 256 });
  });

  test("keep-resident 64 KiB: the first 16 pages stay, restored by hand as private copies", () => {
    // Wasmtime restores the kept range with memcpy (image pages) and memset (the rest), so
    // the kernel still sees written pages there, as in the V8 emulation's keep-resident.
    assert.deepEqual(cycle(65536).reused, {
      ...NONE,
      imageDirty: 9,
      anonDirty: 7,
      notPresent: 240,
    });
  });
});

describe("calls", () => {
  let engine: WasmtimeEngine;
  let instance: number;
  before(async () => {
    engine = new addon.WasmtimeEngine(POOL);
    const bytes = await wat(`(module
      (func (export "mix") (param i32 i64 f32 f64) (result i64 f64)
        (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))
        (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))
      (func (export "boom") unreachable)
      (memory 1)
      (func (export "oob") (result i32) (i32.load (i32.const 0x20000))))`);
    instance = engine.instantiate(engine.compile(bytes), {});
  });

  test("every number type, in and out", () => {
    const results = engine.call(
      instance,
      "mix",
      [
        { type: "i32", value: -5 },
        { type: "i64", value: 2n ** 40n },
        { type: "f32", value: 1.5 },
        { type: "f64", value: 0.25 },
      ],
      ["i64", "f64"],
    );
    assert.deepEqual(results, [2n ** 40n - 5n, 1.75]);
  });

  test("errors name what is wrong", () => {
    assert.throws(() => engine.call(instance, "absent", [], []), /no exported function/);
    assert.throws(() => engine.call(instance, "mix", [{ type: "i64", value: 1 }], []), TypeError);
    assert.throws(() => engine.memory(999, "memory"), RangeError);
    assert.throws(() => engine.compile(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), {
      message: /^Wasmtime could not compile the module: /,
    });
  });

  test("an import nobody provides is a function that traps when called (as in the V8 path)", async () => {
    const module = engine.compile(
      await wat(`(module (import "env" "f" (func)) (func (export "g") call 0))`),
    );
    const stubbed = engine.instantiate(module, {});
    assert.throws(() => engine.call(stubbed, "g", [], []), {
      message: /^Wasmtime: .*unknown import: `env::f` has not been defined/s,
    });
    engine.drop(stubbed);
  });

  // Both engines catch wasm traps with signal handlers in this one process: each must
  // see its own, whichever ran last.
  const v8 = async () =>
    new WebAssembly.Instance(
      new WebAssembly.Module(
        (await wat(`(module (memory 1)
          (func (export "boom") unreachable)
          (func (export "oob") (result i32) (i32.load (i32.const 0x20000))))`)) as Uint8Array<ArrayBuffer>,
      ),
    ).exports as { boom(): void; oob(): number };

  for (const order of [
    ["wasmtime", "v8"],
    ["v8", "wasmtime"],
  ]) {
    test(`traps and out-of-bounds loads, ${order.join(" then ")}, twice`, async () => {
      const other = await v8();
      const run: Record<string, (what: "boom" | "oob") => void> = {
        wasmtime: (what) =>
          assert.throws(() => engine.call(instance, what, [], what === "oob" ? ["i32"] : []), {
            message: what === "oob" ? /out of bounds memory access/ : /unreachable/,
          }),
        v8: (what) =>
          assert.throws(() => other[what](), {
            name: "RuntimeError",
            message: what === "oob" ? /out of bounds/ : /unreachable/,
          }),
      };
      for (let round = 0; round < 2; round++) {
        for (const what of ["boom", "oob"] as const) for (const side of order) run[side]!(what);
      }
      assert.deepEqual(
        engine.call(
          instance,
          "mix",
          [
            { type: "i32", value: 1 },
            { type: "i64", value: 1n },
            { type: "f32", value: 0 },
            { type: "f64", value: 0 },
          ],
          ["i64", "f64"],
        ),
        [2n, 0],
        "Wasmtime still runs",
      );
    });
  }
});

describe("WASI, deadlines and what is left after a drop", () => {
  const HELLO = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hello\\n")
    (func (export "say") (param $fd i32) (param $times i32)
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 6))
      (loop $more
        (drop (call $write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $more (local.tee $times (i32.sub (local.get $times) (i32.const 1))))))
    (func (export "quit") (call $exit (i32.const 7)))
    (func (export "spin") (loop $forever (br $forever))))`;

  test("WASI output is captured per stream, kept up to the cap and the rest counted", async () => {
    const engine = new addon.WasmtimeEngine({ totalMemories: 2 });
    const module = engine.compile(await wat(HELLO));
    const instance = engine.instantiate(module, { wasi: { args: ["x.wasm"], maxOutputBytes: 8 } });
    engine.call(
      instance,
      "say",
      [
        { type: "i32", value: 1 },
        { type: "i32", value: 1 },
      ],
      [],
    );
    engine.call(
      instance,
      "say",
      [
        { type: "i32", value: 2 },
        { type: "i32", value: 3 },
      ],
      [],
    );
    assert.deepEqual(engine.takeOutput(instance), {
      stdout: "hello\n",
      stderr: "hello\nhe",
      droppedStdout: 0,
      droppedStderr: 10,
    });
    assert.deepEqual(engine.takeOutput(instance), {
      stdout: "",
      stderr: "",
      droppedStdout: 0,
      droppedStderr: 0,
    });
    assert.throws(() => engine.call(instance, "quit", [], []), { exitStatus: 7 });
    const plain = engine.instantiate(module, {});
    assert.equal(engine.takeOutput(plain), null, "no WASI, no output");
    assert.throws(
      () =>
        engine.call(
          plain,
          "say",
          [
            { type: "i32", value: 1 },
            { type: "i32", value: 1 },
          ],
          [],
        ),
      {
        message: /wasi_snapshot_preview1/,
      },
    );
  });

  test("a runaway call is stopped by the epoch deadline; the instance and engine go on", async () => {
    const engine = new addon.WasmtimeEngine({ totalMemories: 2, epochTickMs: 5 });
    const instance = engine.instantiate(engine.compile(await wat(HELLO)), {
      wasi: { args: [], maxOutputBytes: 100 },
    });
    const started = process.hrtime.bigint();
    assert.throws(() => engine.call(instance, "spin", [], [], 50), {
      trapCode: WASMTIME_TRAP_INTERRUPT,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms >= 45, `stopped after ${ms.toFixed(1)} ms, not before the deadline`);
    engine.call(
      instance,
      "say",
      [
        { type: "i32", value: 9 },
        { type: "i32", value: 1 },
      ],
      [],
      50,
    );
  });

  test("read copies memory bytes; snapshotAt and mappingsIn see the slot after the drop", () => {
    const engine = new addon.WasmtimeEngine(POOL);
    const instance = engine.instantiate(engine.compile(dirty), {});
    const memory = engine.memory(instance, "memory")!;
    const IMAGE = 9 * 4096;
    assert.equal(
      engine.read(instance, "memory", memory.length - 2, 10).length,
      2,
      "cut at the end",
    );
    for (let n = 0; n < 3; n++) engine.call(instance, "touch", [], ["i32"]);
    const st = engine.snapshot(instance, "memory", 0, IMAGE).states;
    const before = countPageStates(st);
    // (Only the image pages: under the test runner the slot's last page is sometimes
    // already a private page at instantiation, which a plain script never shows.)
    assert.deepEqual([before.imageDirty, before.imageClean], [3, 0]);
    const end = memory.base + BigInt(memory.length);
    const overlapping = mapsLines().filter((line) => line.start < end && line.end > memory.base);
    const mapped = addon.mappingsIn(memory.base, memory.length, IMAGE_FILE);
    assert.equal(mapped.count, overlapping.length, "as many mappings as /proc/self/maps lists");
    assert.ok(mapped.file, "the image's memfd is mapped in the memory's range");
    assert.deepEqual([mapped.file.offset, mapped.file.length], [0, IMAGE]);
    assert.ok(mapped.file.inode > 0);
    assert.deepEqual(
      addon.mappingsIn(memory.base + 4096n, 2 * 4096, IMAGE_FILE),
      { count: 1, file: { offset: 0, length: 2 * 4096, inode: mapped.file.inode } },
      "cut to the range asked about",
    );
    assert.equal(addon.mappingsIn(memory.base, memory.length, "/no/such/file").file, null);
    engine.drop(instance);
    const after = countPageStates(engine.snapshotAt(memory.base, memory.length, 0, IMAGE).states);
    assert.deepEqual(after, { ...NONE, notPresent: 256 }, "madvise left nothing resident");
    assert.deepEqual(
      addon.mappingsIn(memory.base, memory.length, IMAGE_FILE),
      mapped,
      "the image stays mapped in the warm slot",
    );
    const tallyOnly = engine.snapshotAt(memory.base, memory.length, 0, IMAGE, false);
    assert.equal(tallyOnly.states, null, "no per-page states unless asked");
    assert.deepEqual(tallyOnly.tally, [256, 0, 0, 0, 0, 0]);
    assert.throws(() => engine.snapshotAt(memory.base + 4096n, 4096, 0, 0), RangeError);
    assert.throws(() => engine.snapshotAt(memory.base, memory.length * 2, 0, 0), RangeError);
  });
});

describe("Wasmtime's own system calls, counted with the kernel's tracepoints", () => {
  const tracepoints = syscallTracepoints();

  test("without tracepoint ids there are no counts, and the reason says so", () => {
    const engine = new addon.WasmtimeEngine({ totalMemories: 1 });
    engine.drop(engine.instantiate(engine.compile(dirty), {}));
    assert.match(
      (engine.lastSyscalls() as { unavailable: string }).unavailable,
      /no syscall tracepoints/,
    );
  });

  test("an id the kernel has no tracepoint for: perf_event_open's refusal is the reason", () => {
    const engine = new addon.WasmtimeEngine({
      totalMemories: 1,
      syscallTracepoints: [0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff],
    });
    assert.match(
      (engine.lastSyscalls() as { unavailable: string }).unavailable,
      /^perf_event_open for sys_enter_mmap: /,
    );
  });

  test("a cold slot maps the image once, the affine one maps nothing, the drop is one madvise", () => {
    // Run as root with tracefs mounted (.ci/run mounts it): the counts must be there.
    if (!("ids" in tracepoints)) assert.fail(tracepoints.unavailable);
    const engine = new addon.WasmtimeEngine({ ...POOL, syscallTracepoints: tracepoints.ids });
    const module = engine.compile(dirty);
    const seen: string[] = [];
    for (let n = 0; n < 2; n++) {
      const instance = engine.instantiate(module, {});
      seen.push(`instantiate ${JSON.stringify(engine.lastSyscalls())}`);
      engine.drop(instance);
      seen.push(`drop ${JSON.stringify(engine.lastSyscalls())}`);
    }
    // MemoryImageSlot::instantiate (Wasmtime's crates/wasmtime/src/runtime/vm/cow.rs) on a
    // cold slot: one mmap of the image and one mprotect making [0, initial) accessible; on
    // the affine slot the image and the accessible range are still there: nothing. The
    // reset with Wasmtime's defaults (keep_resident 0): one MADV_DONTNEED per memory.
    const none = { mmap: 0, mprotect: 0, madvise: 0, ioctl: 0 };
    assert.deepEqual(seen, [
      `instantiate ${JSON.stringify({ ...none, mmap: 1, mprotect: 1 })}`,
      `drop ${JSON.stringify({ ...none, madvise: 1 })}`,
      `instantiate ${JSON.stringify(none)}`,
      `drop ${JSON.stringify({ ...none, madvise: 1 })}`,
    ]);
  });
});
