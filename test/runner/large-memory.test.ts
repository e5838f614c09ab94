// A module declaring a 4 GiB memory must not commit memory up front: the slot memory is
// reserved, the image mapped, and only the pages the instance touches become resident.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RunnerSession } from "../../extension/runner/runner-session";
import { requireBackend } from "../helpers/native";
import { wat } from "../helpers/wat";

const FOUR_GIB_PAGES = 65536;
const HOST_PAGES = (FOUR_GIB_PAGES * 65536) / 4096;

/** Resident set of this process in bytes, from the kernel. */
function residentBytes(): number {
  const line = readFileSync("/proc/self/status", "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  assert.ok(line, "VmRSS missing from /proc/self/status");
  return Number(line[1]) * 1024;
}

test("a 4 GiB memory is reserved, not committed, and only touched pages become resident", async () => {
  const addon = requireBackend();
  const bytes = await wat(`(module
    (memory (export "memory") ${FOUR_GIB_PAGES} ${FOUR_GIB_PAGES})
    (data (i32.const 0x10000000) "four gigabytes, one page of image")
    (func (export "poke") (i32.store8 (i32.const 0xfffff000) (i32.const 1))))`);
  const session = new RunnerSession(addon, {
    slots: 1,
    maxUnusedWarmSlots: 1,
    includePageStates: false,
  });
  const before = residentBytes();
  session.loadModule({
    moduleId: "big",
    fileName: "big.wasm",
    bytes,
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  const started = session.instantiate("big", { init: "cow", initialize: false, wasi: false });
  const poked = session.invoke(started.instance, "poke", []);
  assert.equal(poked.error, null);
  const [memory] = poked.memories;
  assert.ok(memory);
  const total = Object.values(memory.pages).reduce((sum, n) => sum + n, 0);
  assert.equal(total, HOST_PAGES);
  assert.equal(memory.pages.anonDirty, 1, "the one page poke wrote");
  assert.ok(
    memory.pages.notPresent >= HOST_PAGES - 16,
    `expected almost nothing resident, got ${JSON.stringify(memory.pages)}`,
  );
  const grown = residentBytes() - before;
  assert.ok(grown < 64 * 1024 * 1024, `the process grew by ${grown} bytes for a 4 GiB memory`);
  session.release(started.instance, "madvise", 0);
});
