// The extension's runner processes (dist/runner.js, forked by the extension host) among
// code-server's process group, read from /proc: how a test sees the runner restart.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

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

/** The last `lines` lines of the extension's own log ("Wasm CoW" output channel) and of
 *  the extension host's log in a code-server profile: what the extension host did last,
 *  and any error it logged, for a failure to say. */
export function extensionLogTail(userData: string, lines = 30): string {
  const logs = path.join(userData, "logs");
  const found = existsSync(logs)
    ? readdirSync(logs, { recursive: true, encoding: "utf8" }).filter((file) =>
        /(Wasm CoW[^/]*|exthost)\.log$/.test(file),
      )
    : [];
  if (!found.length) return `no extension host log under ${logs}`;
  return found
    .map((file) => {
      const text = readFileSync(path.join(logs, file), "utf8").trimEnd().split("\n");
      return [`${file}:`, ...text.slice(-lines)].join("\n");
    })
    .join("\n");
}
