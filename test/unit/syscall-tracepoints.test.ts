// Where the ids of the syscall tracepoints come from (extension/runner/syscall-tracepoints.ts):
// the first tracefs root that has all four, else the reason with the command that mounts it.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { COUNTED_SYSCALLS, syscallTracepoints } from "../../extension/runner/syscall-tracepoints";

const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-tracefs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A tracefs-like tree with the given ids (a missing one leaves its file out). */
function tracefs(
  name: string,
  ids: Partial<Record<(typeof COUNTED_SYSCALLS)[number], string>>,
): string {
  const root = path.join(dir, name);
  for (const [call, id] of Object.entries(ids)) {
    const event = path.join(root, "events", "syscalls", `sys_enter_${call}`);
    mkdirSync(event, { recursive: true });
    writeFileSync(path.join(event, "id"), `${id}\n`);
  }
  return root;
}

test("the ids come from the first root that has all four", () => {
  const partial = tracefs("partial", { mmap: "174", mprotect: "705" });
  const full = tracefs("full", { mmap: "174", mprotect: "705", madvise: "726", ioctl: "898" });
  assert.deepEqual(syscallTracepoints([partial, full]), { ids: [174, 705, 726, 898] });
});

test("no readable root: the reason names the roots and how to mount tracefs", () => {
  const garbled = tracefs("garbled", { mmap: "x", mprotect: "1", madvise: "2", ioctl: "3" });
  const result = syscallTracepoints([path.join(dir, "absent"), garbled]);
  assert.ok("unavailable" in result);
  assert.match(result.unavailable, /tracefs is not mounted at .*absent or .*garbled/);
  assert.match(result.unavailable, /mount -t tracefs nodev .*absent/);
});
