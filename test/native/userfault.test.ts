// The userfaultfd backend against the kernel: a memory registered with the process's
// one fault handler gets each page on its first touch, a copy of the image's page inside
// the image and the shared zero page outside it, and nothing else. Page states are
// checked against the raw /proc/self/pagemap oracle, the bytes against the image, and
// the handler's counts against the touches made. These tests run as root (as CI does),
// where userfaultfd handles faults taken in the kernel too; one runs a child as `nobody`
// to see what an ordinary user gets.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { Worker } from "node:worker_threads";
import { packageRoot } from "../../extension/runner/package-root";
import type { NativeImage } from "../../extension/runner/native-backend";
import {
  HOST_PAGE,
  SMALL,
  assertPristine,
  imageBytes,
  oracleStates,
  pagesIn,
  readPage,
  requireBackend,
  stateNames,
  writePage,
} from "../helpers/native";

const addon = requireBackend();
const { imageFirst: IMAGE_FIRST, imageEnd: IMAGE_END, memoryPages: MEMORY_PAGES } = SMALL;
const IMAGE_OFFSET = IMAGE_FIRST * HOST_PAGE;

interface Registered {
  memory: WebAssembly.Memory;
  image: NativeImage;
  bytes: Uint8Array;
  base: bigint;
}

/** A fresh SMALL-layout memory registered with its own image (nothing touched yet). */
function registered(seed = 1): Registered {
  const memory = new WebAssembly.Memory({ initial: SMALL.wasmPages });
  const bytes = imageBytes(SMALL.imagePages, seed);
  const image = new addon.Image(bytes);
  const { base } = addon.userfaultAttach(memory, image, IMAGE_OFFSET);
  return { memory, image, bytes, base };
}

/** The memory's page states from the snapshot, which must match the raw pagemap oracle. */
function states(r: Registered): string[] {
  const snapshot = addon.snapshot(r.memory, IMAGE_OFFSET, r.bytes.length);
  const names = stateNames(snapshot.states);
  assert.deepEqual(names, oracleStates(addon, r.memory, IMAGE_OFFSET, r.bytes.length));
  return names;
}

describe("userfaultfd: availability", () => {
  test("as root, the handler serves every fault, kernel ones included", () => {
    assert.equal(process.getuid?.(), 0, "the native tests run as root");
    assert.deepEqual(addon.userfaultProbe(), {
      available: true,
      mode: "all faults",
      reason: null,
    });
  });
});

describe("userfaultfd for an ordinary user (vm.unprivileged_userfaultfd is 0)", () => {
  test("user-mode faults only: an access works, a system call from an untouched page gets EFAULT", () => {
    // A copy of the addon where `nobody` can read it (CI's checkout is in a 0700 folder).
    const shared = mkdtempSync(path.join(tmpdir(), "wasm-cow-nobody-"));
    chmodSync(shared, 0o755);
    const addonPath = path.join(shared, "wasm_cow_native.node");
    copyFileSync(path.join(packageRoot(), "build", "Release", "wasm_cow_native.node"), addonPath);
    chmodSync(addonPath, 0o644);
    // Plain JavaScript, run as `nobody`: the same attach, a read by JavaScript (a
    // user-mode fault), then write(2) from a page not yet touched (a fault in the kernel).
    const script = `
      const fs = require("node:fs"), os = require("node:os"), path = require("node:path");
      const holder = { exports: {} };
      process.dlopen(holder, process.env.WASM_COW_ADDON);
      const addon = holder.exports;
      const memory = new WebAssembly.Memory({ initial: 1 });
      addon.userfaultAttach(memory, new addon.Image(new Uint8Array(8192).fill(7)), 0);
      const read = new Uint8Array(memory.buffer)[0];
      const file = path.join(os.tmpdir(), "wasm-cow-uffd-" + process.pid);
      let written;
      try { fs.writeFileSync(file, new Uint8Array(memory.buffer, 4096, 4096)); written = "ok"; }
      catch (error) { written = error.code; }
      finally { fs.rmSync(file, { force: true }); }
      console.log(JSON.stringify({ probe: addon.userfaultProbe(), read, written }));
    `;
    const child = spawnSync(
      "runuser",
      ["-u", "nobody", "--", "env", `WASM_COW_ADDON=${addonPath}`, process.execPath, "-e", script],
      { encoding: "utf8", cwd: shared },
    );
    rmSync(shared, { recursive: true, force: true });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      probe: { available: true, mode: "user-mode faults only", reason: null },
      read: 7,
      written: "EFAULT",
    });
  });
});

describe("userfaultfd: first touches", () => {
  test("registering touches nothing; a read copies one image page or maps the zero page", () => {
    const r = registered();
    assert.deepEqual(pagesIn(addon.snapshot(r.memory, 0, 0).states, "notPresent").length, 32);
    assert.equal(addon.userfaultStats(r.memory).faults, 0);

    const imagePage = IMAGE_FIRST + 1;
    assert.equal(readPage(r.memory, imagePage), r.bytes[HOST_PAGE + 123]);
    assert.equal(readPage(r.memory, 20), 0);
    const stats = addon.userfaultStats(r.memory);
    assert.deepEqual(
      { faults: stats.faults, copies: stats.copies, zeroPages: stats.zeroPages },
      { faults: 2, copies: 1, zeroPages: 1 },
    );
    assert.ok(stats.serviceNs > 0, "the handler's time is measured");
    // A copy is the instance's own page, and there is no fault-around: exactly the
    // touched pages are present.
    const names = states(r);
    assert.deepEqual(
      names.flatMap((name, page) => (name === "notPresent" ? [] : [[page, name]])),
      [
        [imagePage, "imageDirty"],
        [20, "zero"],
      ],
    );
  });

  test("every byte reads as the image's or zero, each page faulting exactly once", () => {
    const r = registered(3);
    assertPristine(r.memory, r.bytes, IMAGE_OFFSET);
    assertPristine(r.memory, r.bytes, IMAGE_OFFSET);
    const stats = addon.userfaultStats(r.memory);
    assert.deepEqual(
      [stats.faults, stats.copies, stats.zeroPages, stats.wakes],
      [MEMORY_PAGES, IMAGE_END - IMAGE_FIRST, MEMORY_PAGES - (IMAGE_END - IMAGE_FIRST), 0],
    );
    const names = states(r);
    assert.deepEqual(
      pagesIn(addon.snapshot(r.memory, IMAGE_OFFSET, r.bytes.length).states, "imageDirty"),
      [4, 5, 6, 7, 8, 9, 10, 11],
    );
    assert.equal(names.filter((n) => n === "zero").length, MEMORY_PAGES - 8);
  });

  test("a write to an untouched image page keeps the rest of the image's page", () => {
    const r = registered(5);
    writePage(r.memory, IMAGE_FIRST + 2, 0xc3);
    const view = new Uint8Array(r.memory.buffer, (IMAGE_FIRST + 2) * HOST_PAGE, HOST_PAGE);
    const expected = r.bytes.slice(2 * HOST_PAGE, 3 * HOST_PAGE);
    expected[321] = 0xc3;
    assert.deepEqual(view, expected);
    assert.equal(addon.userfaultStats(r.memory).copies, 1);
  });

  test("a system call reading an untouched page gets the image's bytes (a fault in the kernel)", () => {
    const r = registered(7);
    const directory = mkdtempSync(path.join(tmpdir(), "wasm-cow-uffd-"));
    try {
      const file = path.join(directory, "page");
      const fd = openSync(file, "w");
      writeSync(fd, new Uint8Array(r.memory.buffer, IMAGE_OFFSET + 3 * HOST_PAGE, HOST_PAGE));
      closeSync(fd);
      assert.deepEqual(
        new Uint8Array(readFileSync(file)),
        r.bytes.slice(3 * HOST_PAGE, 4 * HOST_PAGE),
      );
      assert.equal(addon.userfaultStats(r.memory).copies, 1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("userfaultfd: reset and lifetime", () => {
  test("a madvise reset drops every page, and the next touches fault again", () => {
    const r = registered(9);
    assertPristine(r.memory, r.bytes, IMAGE_OFFSET);
    writePage(r.memory, 2);
    writePage(r.memory, IMAGE_FIRST);
    const reset = addon.reset(r.memory, r.base, "madvise", 0, null, 0);
    assert.equal(reset.syscalls.madvise, 1);
    assert.ok(states(r).every((name) => name === "notPresent"));
    const before = addon.userfaultStats(r.memory).faults;
    assertPristine(r.memory, r.bytes, IMAGE_OFFSET);
    assert.equal(addon.userfaultStats(r.memory).faults - before, MEMORY_PAGES);
  });

  test("releasing the image while the memory is registered leaves its pages correct", () => {
    const r = registered(11);
    r.image.release();
    assertPristine(r.memory, r.bytes, IMAGE_OFFSET);
  });

  test("after detach the handler sees no more faults; filled pages stay", () => {
    const r = registered(13);
    const filled = readPage(r.memory, IMAGE_FIRST);
    const detached = addon.userfaultDetach(r.memory, r.base);
    assert.equal(detached.syscalls.ioctl, 1);
    assert.throws(() => addon.userfaultStats(r.memory), /not registered/);
    const totals = addon.userfaultStats().faults;
    assert.equal(readPage(r.memory, IMAGE_FIRST), filled, "the copied page stays");
    // An untouched image page is ordinary anonymous memory now: zero.
    assert.equal(readPage(r.memory, IMAGE_FIRST + 1), 0);
    assert.equal(addon.userfaultStats().faults, totals);
  });

  test("an empty memory registers (nothing to fault) and grows with zeros", () => {
    const memory = new WebAssembly.Memory({ initial: 0, maximum: 2 });
    const { base } = addon.userfaultAttach(memory, null, 0);
    memory.grow(1);
    assert.equal(new Uint8Array(memory.buffer)[100], 0);
    assert.equal(addon.userfaultStats(memory).faults, 0);
    assert.equal(addon.userfaultDetach(memory, base).syscalls.ioctl, 0);
  });
});

describe("userfaultfd: bad arguments", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const image = new addon.Image(imageBytes(1));

  test("attach checks its memory, image and offset", () => {
    assert.throws(() => addon.userfaultAttach({} as WebAssembly.Memory, image, 0), TypeError);
    assert.throws(() => addon.userfaultAttach(memory, {} as NativeImage, 0), TypeError);
    assert.throws(
      () => addon.userfaultAttach(memory, image, 100),
      /multiple of the host page size/,
    );
    assert.throws(() => addon.userfaultAttach(memory, image, 16 * HOST_PAGE), /inside|outside/);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    assert.throws(() => addon.userfaultAttach(shared, image, 0), /shared/);
  });

  test("detach and stats refuse a memory that is not registered, or a moved one", () => {
    assert.throws(() => addon.userfaultDetach(memory, addon.memoryBase(memory)), /not registered/);
    assert.throws(() => addon.userfaultStats(memory), /not registered/);
    const { base } = addon.userfaultAttach(memory, image, 0);
    assert.throws(() => addon.userfaultDetach(memory, base + 4096n), /moved/);
    addon.userfaultDetach(memory, base);
  });
});

describe("userfaultfd: one handler for every thread", () => {
  test("faults taken in worker threads (their own V8 isolates) are all served and counted", async () => {
    const workers = 3;
    const pagesEach = 40;
    const before = addon.userfaultStats().faults;
    const addonPath = path.join(packageRoot(), "build", "Release", "wasm_cow_native.node");
    // Plain JavaScript: each worker loads the addon into its own isolate and touches
    // every page of a memory whose first 8 host pages are an image of 7s.
    const source = `
      const { parentPort, workerData } = require("node:worker_threads");
      const holder = { exports: {} };
      process.dlopen(holder, workerData.addonPath);
      const addon = holder.exports;
      const memory = new WebAssembly.Memory({ initial: 3 });
      const image = new addon.Image(new Uint8Array(8 * 4096).fill(7));
      addon.userfaultAttach(memory, image, 0);
      const view = new Uint8Array(memory.buffer);
      let sum = 0;
      for (let page = 0; page < workerData.pages; page++) sum += view[page * 4096];
      parentPort.postMessage({ sum, stats: addon.userfaultStats(memory) });
    `;
    const results = await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<{ sum: number; stats: { faults: number; copies: number } }>(
            (resolve, reject) => {
              const worker = new Worker(source, {
                eval: true,
                workerData: { addonPath, pages: pagesEach },
              });
              worker.once("message", resolve);
              worker.once("error", reject);
            },
          ),
      ),
    );
    for (const result of results) {
      assert.equal(result.sum, 8 * 7, "8 image pages of 7s, the rest zero");
      assert.equal(result.stats.faults, pagesEach);
      assert.equal(result.stats.copies, 8);
    }
    assert.equal(addon.userfaultStats().faults - before, workers * pagesEach);
  });
});
