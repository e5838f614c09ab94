// Ending a process we started together with everything it started: the process was
// spawned `detached` (a new process group whose id is its pid), so one signal to the group
// reaches its children and grandchildren too, by that id and nothing broader.

import { readFileSync, readdirSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Last resort: SIGKILLs the group if this process exits while it still runs (a test
 * abandoned by a time-out, an uncaught error). Returns the function that cancels it.
 */
export function killGroupOnExit(pid: number): () => void {
  const hook = () => signalGroup(pid, "SIGKILL");
  process.once("exit", hook);
  return () => process.off("exit", hook);
}

/** SIGTERM to the group, SIGKILL to whatever is left after `graceMs`; resolves when none is. */
export async function endProcessGroup(pid: number, graceMs = 5000): Promise<void> {
  signalGroup(pid, "SIGTERM");
  if (await waitUntilGone(pid, graceMs)) return;
  signalGroup(pid, "SIGKILL");
  if (!(await waitUntilGone(pid, 5000))) {
    throw new Error(`process group ${pid} still has running members after SIGKILL`);
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupRunning(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

/**
 * Whether a member of the group still runs. Exited members nobody has reaped (zombies:
 * orphans whose new parent does not wait for them) no longer count; /proc tells them apart.
 */
export function groupRunning(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return signalGroup(pgid, 0); // no /proc: any member, zombie or not
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
  }
  return false;
}

/** Signals the group; false when it has no member left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}
