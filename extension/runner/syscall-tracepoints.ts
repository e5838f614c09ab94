// The ids of the kernel's sys_enter tracepoints for the system calls counted in Wasmtime
// (native/src/syscall_counters.h), read from tracefs, or why they cannot be read. tracefs
// is mounted at /sys/kernel/tracing on most distributions (debugfs's tracing/ on older
// ones); where it is not, `mount -t tracefs nodev /sys/kernel/tracing` (as root) makes the
// counts available.

import { readFileSync } from "node:fs";
import path from "node:path";

/** The calls counted, in the order the native counters take their ids. */
export const COUNTED_SYSCALLS = ["mmap", "mprotect", "madvise", "ioctl"] as const;

const TRACEFS_ROOTS = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

export type TracepointIds = { ids: number[] } | { unavailable: string };

export function syscallTracepoints(roots: readonly string[] = TRACEFS_ROOTS): TracepointIds {
  for (const root of roots) {
    try {
      const ids = COUNTED_SYSCALLS.map((name) =>
        Number(
          readFileSync(path.join(root, "events", "syscalls", `sys_enter_${name}`, "id"), "utf8"),
        ),
      );
      if (ids.every((id) => Number.isSafeInteger(id) && id > 0)) return { ids };
    } catch {
      // not mounted here, or not readable: the next root
    }
  }
  return {
    unavailable: `the kernel's syscall tracepoints are not readable (tracefs is not mounted at ${roots.join(" or ")}; as root: mount -t tracefs nodev ${roots[0]})`,
  };
}
