// One retirement path: whichever way a slot loses its memory, its image is unmapped
// first, so the image's memfd is not pinned by a memory V8 may never collect. Checked
// against the kernel: the memfd's mapping in /proc/self/maps and its descriptor in
// /proc/self/fd, identified by inode.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import { SlotPool, type SlotRequest } from "../../extension/runner/slot-pool";
import { HOST_PAGE, imageBytes, requireBackend, writePage } from "../helpers/native";

const addon = requireBackend();

/** Inodes of this process's open memfd descriptors. */
function memfdInodes(): Set<number> {
  const inodes = new Set<number>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const stat = statSync(`/proc/self/fd/${fd}`);
      inodes.add(stat.ino);
    } catch {
      // The descriptor readdir itself used, closed by now.
    }
  }
  return inodes;
}

/** Mappings in /proc/self/maps of the file with this inode. */
function mappingsOf(inode: number): string[] {
  return readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .filter((line) => line.split(/\s+/)[4] === String(inode));
}

test("a slot retired in acquire (limits that do not fit) unmaps its image: the memfd is released", () => {
  const pool = new SlotPool(addon, 1, 100);
  const before = memfdInodes();
  const native = new addon.Image(imageBytes(2, 7));
  const [inode, ...others] = [...memfdInodes()].filter((i) => !before.has(i));
  assert.equal(others.length, 0, "the image holds one new descriptor");
  assert.ok(inode !== undefined, "the image holds a descriptor");

  const a: SlotRequest = {
    key: "A",
    limits: { initialPages: 1, maximumPages: null },
    image: { native, offset: 4 * HOST_PAGE },
    source: "mapping",
  };
  const first = pool.acquire(a);
  pool.map(first.slot, a);
  writePage(first.memory, 5, 0xc3);
  pool.release(first.slot, "madvise", 0);
  assert.ok(mappingsOf(inode).length > 0, "the warm slot maps the image");

  // Another module whose memory needs two pages: the one warm slot cannot keep its
  // one-page V8 memory, so acquire retires it.
  const b: SlotRequest = {
    key: "B",
    limits: { initialPages: 2, maximumPages: null },
    image: null,
    source: "mapping",
  };
  const second = pool.acquire(b);
  assert.equal(second.slot, first.slot);
  assert.match(second.retired?.reason ?? "", /V8 memories cannot be resized down/);
  assert.deepEqual(mappingsOf(inode), [], "no mapping of the image is left");

  native.release();
  assert.equal(memfdInodes().has(inode), false, "the memfd's descriptor is closed");
  assert.deepEqual(mappingsOf(inode), [], "and nothing maps it: its pages can be freed");
  pool.release(second.slot, "madvise", 0);
});
