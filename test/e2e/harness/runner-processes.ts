// The extension's runner processes (dist/runner.js, forked by the extension host) among
// code-server's process group, read from /proc: how a test sees the runner restart.

import { readdirSync, readFileSync } from "node:fs";

/** Live (not zombie) processes of group `groupId` running the installed runner.js. */
export function runnerPids(groupId: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) !== groupId || state === "Z" || state === "X") continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv.some((arg) => /[/\\]dist[/\\]runner\.js$/.test(arg))) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** Every thread of the runners of group `groupId`: name, scheduler state, where in the
 *  kernel it waits and (as root) its kernel stack's first frames. What a test prints when
 *  a runner stops answering, so the failure says where it is stuck. */
export function describeRunnerThreads(groupId: number): string {
  const read = (file: string): string => {
    try {
      return readFileSync(file, "utf8").trim();
    } catch {
      return "?";
    }
  };
  return runnerPids(groupId)
    .map((pid) => {
      const threads = readdirSync(`/proc/${pid}/task`).map((tid) => {
        const task = `/proc/${pid}/task/${tid}`;
        const stat = read(`${task}/stat`);
        const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
        const stack = read(`${task}/stack`).split("\n").slice(0, 4).join(" < ");
        return `  ${tid} ${read(`${task}/comm`)} ${state} wchan=${read(`${task}/wchan`)} ${stack}`;
      });
      return [`runner ${pid}:`, ...threads].join("\n");
    })
    .join("\n");
}
