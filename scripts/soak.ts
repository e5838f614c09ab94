// `npm run soak [-- --instances N] [--module FILE.wasm] [--invoke NAME]`: runs N instances
// (default 100,000) through the built CLI with `--json-lines` and samples, every second,
// the CLI's and the runner's resident memory, the runner's open file descriptors and its
// mappings (from /proc). Prints the curve and the growth from the first tenth of the run
// to its end: a leak in the slot pool, the image cache or the step stream shows as growth.

import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const root = path.resolve(__dirname, "..");
const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "100000" },
    module: {
      type: "string",
      default: path.join(root, "examples", "build", "dirty-per-call.wasm"),
    },
    invoke: { type: "string", default: "touch" },
  },
});
const instances = Number(values.instances);

interface Sample {
  seconds: number;
  instances: number;
  cliRssMiB: number | null;
  runnerRssMiB: number | null;
  runnerFds: number | null;
  runnerMaps: number | null;
}

/** A /proc read of a process that may have just ended: null then. */
function procRead<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

const rssMiB = (pid: number): number | null =>
  procRead(() => {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
    return line ? Number(line[1]) / 1024 : null;
  });

/** The runner: the CLI's child process (the CLI forks exactly one at a time). */
const childOf = (pid: number): number | null =>
  procRead(() => {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return children ? Number(children.split(/\s+/)[0]) : null;
  });

const cli = spawn(
  process.execPath,
  [
    path.join(root, "dist", "cli.js"),
    "run",
    values.module,
    "--instances",
    String(instances),
    "--invoke",
    values.invoke,
    "--json-lines",
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);

let released = 0;
let failed = 0;
const lines = createInterface({ input: cli.stdout });
lines.on("line", (line) => {
  const record = JSON.parse(line) as { type: string; step?: string; error?: string | null };
  if (record.type !== "step") return;
  if (record.error) failed++;
  if (record.step === "reset") released++;
});

const samples: Sample[] = [];
const started = Date.now();
const sample = (): void => {
  const runner = childOf(cli.pid!);
  samples.push({
    seconds: (Date.now() - started) / 1000,
    instances: released,
    cliRssMiB: rssMiB(cli.pid!),
    runnerRssMiB: runner === null ? null : rssMiB(runner),
    runnerFds: runner === null ? null : procRead(() => readdirSync(`/proc/${runner}/fd`).length),
    runnerMaps:
      runner === null
        ? null
        : procRead(() => readFileSync(`/proc/${runner}/maps`, "utf8").split("\n").length - 1),
  });
};
const timer = setInterval(sample, 1000);

cli.on("exit", (code) => {
  clearInterval(timer);
  report(code ?? 1);
});

function report(code: number): void {
  const format = (value: number | null, digits = 1) =>
    value === null ? "-" : value.toFixed(digits);
  console.log("seconds  instances  cli RSS MiB  runner RSS MiB  runner fds  runner maps");
  // At most 30 rows: the curve, not every sample.
  const every = Math.max(1, Math.ceil(samples.length / 30));
  for (const [i, s] of samples.entries()) {
    if (i % every !== 0 && i !== samples.length - 1) continue;
    console.log(
      `${format(s.seconds).padStart(7)}  ${String(s.instances).padStart(9)}  ${format(s.cliRssMiB).padStart(11)}  ${format(s.runnerRssMiB).padStart(14)}  ${format(s.runnerFds, 0).padStart(10)}  ${format(s.runnerMaps, 0).padStart(11)}`,
    );
  }
  // Growth from the sample at a tenth of the instances (warmed up) to the last sample.
  const measured = samples.filter((s) => s.runnerRssMiB !== null && s.cliRssMiB !== null);
  const early = measured.find((s) => s.instances >= instances / 10);
  const last = measured.at(-1);
  if (early && last && last !== early) {
    const growth = (key: keyof Sample) => (last[key] as number) - (early[key] as number);
    console.log(
      `from ${early.instances} to ${last.instances} instances: cli RSS ${format(growth("cliRssMiB"))} MiB, runner RSS ${format(growth("runnerRssMiB"))} MiB, runner fds ${growth("runnerFds")}, runner maps ${growth("runnerMaps")}`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${released} instances in ${seconds.toFixed(1)} s (${(released / seconds).toFixed(0)}/s), ${failed} failed steps, exit ${code}`,
  );
  process.exitCode = code === 0 && released === instances ? 0 : 1;
}
