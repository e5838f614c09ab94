// The runner never outlives the process that started it, even while wasm loops (when its
// own "disconnect" handler cannot run): SIGINT and SIGTERM to the CLI end the runner by
// its pid (exit 130 / 143), a SIGKILL of the CLI leaves it to the kernel
// (PR_SET_PDEATHSIG), and a runner whose parent died before it could ask ends itself.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { fixtureBytes } from "../helpers/runner-fixtures";
import { isAlive, waitUntil } from "../helpers/runner-process";

const root = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-orphan-"));
const started: number[] = [];
after(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The pid's children, from the kernel. */
function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** CPU time the pid has used, in clock ticks (utime + stime of /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** A true zombie (state Z) has ended: only its parent's wait is missing. */
function endedOrZombie(pid: number): boolean {
  if (!isAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** The built CLI running a module whose start function never returns, and its runner
 *  once that is busy running wasm (it has used 0.3 s of CPU). */
async function cliInRunawayWasm(): Promise<{
  cli: ChildProcess;
  runner: number;
  stderr: () => string;
}> {
  const module = path.join(dir, "runaway.wasm");
  writeFileSync(module, await fixtureBytes("runawayStart"));
  const cli = spawn(
    process.execPath,
    [path.join(root, "dist", "cli.js"), "run", module, "--timeout", "600000"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  started.push(cli.pid!);
  let stderr = "";
  cli.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let runner = 0;
  await waitUntil(() => {
    runner = childrenOf(cli.pid!)[0] ?? 0;
    return runner > 0;
  }, "the CLI started its runner");
  started.push(runner);
  await waitUntil(() => cpuTicks(runner) >= 30, "the runner spins in wasm", 20_000);
  return { cli, runner, stderr: () => stderr };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

describe("the CLI interrupted while wasm loops", () => {
  for (const [signal, status] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    test(
      `${signal}: exit ${status}, the runner ended by its pid`,
      { timeout: 60_000 },
      async () => {
        const { cli, runner, stderr } = await cliInRunawayWasm();
        process.kill(cli.pid!, signal);
        assert.deepEqual(await exitOf(cli), { code: status, signal: null });
        await waitUntil(() => endedOrZombie(runner), `runner ${runner} ended`, 2_000);
        assert.equal(
          stderr().trim(),
          `error: interrupted (${signal}): the runner (pid ${runner}) was ended`,
        );
      },
    );
  }

  test("SIGKILL: the kernel ends the runner with its parent", { timeout: 60_000 }, async () => {
    const { cli, runner } = await cliInRunawayWasm();
    process.kill(cli.pid!, "SIGKILL");
    await exitOf(cli);
    await waitUntil(() => endedOrZombie(runner), `runner ${runner} ended`, 2_000);
  });
});

describe("dieWithParent in a process of its own", () => {
  /**
   * A middle process starts a grandchild and exits at once, or stays (`middleStays`). The
   * grandchild waits until the middle one is gone (or 300 ms), loads the addon, calls
   * dieWithParent with the middle one's pid, then writes "survived" to its file.
   */
  async function grandchild(middleStays: boolean): Promise<{ pid: number; output: string }> {
    const output = path.join(dir, `grandchild-${middleStays ? "kept" : "orphan"}.txt`);
    writeFileSync(output, "");
    const addon = path.join(root, "build", "Release", "wasm_cow_native.node");
    const grandchildCode = `
      const fs = require("node:fs");
      const parent = Number(process.env.EXPECTED_PARENT);
      const until = Date.now() + 300;
      while (Date.now() < until && process.ppid === parent) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      require(${JSON.stringify(addon)}).dieWithParent(parent);
      fs.writeFileSync(${JSON.stringify(output)}, "survived");
      setTimeout(() => {}, 5000);`;
    const middleCode = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", ${JSON.stringify(grandchildCode)}], {
        stdio: "ignore", detached: true, env: { ...process.env, EXPECTED_PARENT: String(process.pid) },
      });
      console.log(child.pid);
      ${middleStays ? "setTimeout(() => {}, 5000);" : "child.unref(); process.exit(0);"}`;
    const middle = spawn(process.execPath, ["-e", middleCode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(middle.pid!);
    const pid = await new Promise<number>((resolve) =>
      middle.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    started.push(pid);
    if (middleStays) {
      await waitUntil(() => readFileSync(output, "utf8") === "survived", "the grandchild ran on");
      middle.kill("SIGKILL");
    }
    // Not our child: once reparented, whether its zombie is reaped depends on init.
    await waitUntil(() => endedOrZombie(pid), `grandchild ${pid} ended`, 5_000);
    return { pid, output: readFileSync(output, "utf8") };
  }

  test(
    "a parent already gone: the process ends itself before going on",
    { timeout: 30_000 },
    async () => {
      const { output } = await grandchild(false);
      assert.equal(output, "", "dieWithParent returned in an orphan");
    },
  );

  test(
    "a parent alive: it goes on, and ends when that parent is killed",
    { timeout: 30_000 },
    async () => {
      const { output } = await grandchild(true);
      assert.equal(output, "survived");
    },
  );
});
