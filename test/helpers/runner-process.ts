// Watching runner processes from outside, through the kernel: is a pid alive, which
// runner processes are children of this test process. Used to prove that every runner
// a test started is gone at the end.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** process.kill(pid, 0): true while the process exists (a zombie counts), false on ESRCH. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`${what}: still not true after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Waits until `pid` no longer exists (killed and reaped). */
export function waitUntilGone(pid: number, timeoutMs?: number): Promise<void> {
  return waitUntil(() => !isAlive(pid), `process ${pid} is gone`, timeoutMs);
}

/** Child processes of this process that run the runner (source or bundle), by pid. */
export function runnerChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after "(comm)": state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (/runner-main\.ts|runner\.js/.test(command)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Fails unless every runner child of this process is gone (after a grace period). */
export async function assertNoRunnerLeft(): Promise<void> {
  await waitUntil(() => runnerChildren().length === 0, `no runner process left`);
}
