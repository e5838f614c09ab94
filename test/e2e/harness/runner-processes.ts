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
