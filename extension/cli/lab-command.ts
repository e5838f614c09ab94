// `wasm-cow lab FILE.wasm [--invoke NAME[=ARG,…]]… [--instances N] [--threads 1,2,4]
//   [--strategies eager,cow-fresh,cow-affine,userfaultfd] [--no-madvise-sizes]
//   [--timeout MS] [--json | --csv]`
//
// The strategy lab: each way of initialising and resetting memory measured on the
// module, in the runner process (module code never runs in the CLI's).

import { formatTable } from "../../common/markdown-table";
import { madviseCells, scalingCells, strategyCells, type LabCell } from "../../common/lab-table";
import {
  LAB_STRATEGIES,
  TOOL_STRATEGIES,
  type LabOptions,
  type LabReport,
  type LabStrategy,
} from "../../common/lab-types";
import { displayLines } from "../../common/display-text";
import { MAX_LAB_INSTANCES, MAX_LAB_THREADS } from "../../common/lab-options";
import { RunnerClient } from "../runner/runner-client";
import { findWasmtime } from "../runner/wasmtime-discovery";
import { integerOption, oneFile, timeoutOption, UsageError, type CliIo } from "./cli-io";
import { readRunnableModule } from "./module-file";
import { EXIT_STEP_FAILED, parseInvocations } from "./run-command";
import { endRunnerOnSignals } from "./signal-forwarding";

export const LAB_USAGE = `wasm-cow lab FILE.wasm [--invoke NAME[=ARG,ARG...]]... [--instances N] [--threads N,N...]
       [--strategies ${LAB_STRATEGIES.join(",")}] [--no-madvise-sizes] [--timeout MS] [--json | --csv]

  Measures each way of initialising and resetting linear memory on the module (the case
  Wasmtime made for copy-on-write images over userfaultfd in PR #4040):
  --invoke        the workload: exports each instance calls, arguments typed by its signature
  --instances N   instances per strategy, one after another, and as many live at once for the
                  memory figures (default 10); each thread of --threads runs N too
  --threads       thread counts for instances per second (default 1,2), each thread its own V8
                  isolate; under userfaultfd all their faults go to the process's one handler
  --strategies    which of ${LAB_STRATEGIES.join(", ")} (default: all; wasmtime where
                  real Wasmtime's library is found, as for run --engine wasmtime)
  --no-madvise-sizes  skip madvise and mprotect against range size (64 KiB to a 4 GiB slot
                  with its PROT_NONE rest and guard; 0, 10 and 1,000 dirty pages)
  --timeout MS    time limit of the whole lab (default 600000)
  --json          the whole report as JSON; --csv: one figure per line (section, strategy,
                  threads, sizes, metric, value, unit)

  Exit status: 0 when every strategy ran, 3 when one could not (the report says why), 1 when
  the file or the runner failed, 2 for usage errors.`;

export interface LabArgs {
  file: string;
  /** The strategies given, or null for the default (all that can run here). */
  strategies: LabStrategy[] | null;
  options: Omit<LabOptions, "strategies">;
  timeoutMs: number;
  format: "text" | "json" | "csv";
}

function listOption<T>(
  value: unknown,
  name: string,
  fallback: T[],
  parse: (item: string) => T | null,
): T[] {
  if (value === undefined) return fallback;
  const items = String(value).split(",");
  const parsed = items.map(parse);
  const bad = items.find((_, i) => parsed[i] === null);
  if (bad !== undefined || !items.length)
    throw new UsageError(`${name} got ${JSON.stringify(bad ?? value)}`);
  return [...new Set(parsed as T[])];
}

export function parseLabArgs(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  positionals: string[],
): LabArgs {
  if (values.json === true && values.csv === true)
    throw new UsageError("--json and --csv exclude each other");
  const threads = listOption(
    values.threads,
    `--threads needs counts from 1 to ${MAX_LAB_THREADS}:`,
    [1, 2],
    (t) => (/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= MAX_LAB_THREADS ? Number(t) : null),
  );
  const strategies =
    values.strategies === undefined
      ? null
      : listOption<LabStrategy>(
          values.strategies,
          `--strategies takes ${LAB_STRATEGIES.join(", ")}:`,
          [],
          (s) => ((LAB_STRATEGIES as readonly string[]).includes(s) ? (s as LabStrategy) : null),
        );
  return {
    file: oneFile("lab", positionals),
    strategies,
    options: {
      invokes: parseInvocations((values.invoke as string[] | undefined) ?? []),
      instances: integerOption(values.instances, "--instances", {
        min: 1,
        max: MAX_LAB_INSTANCES,
        fallback: 10,
        maxReason: "that many are live at once, each with its own memory",
      }),
      threads,
      madviseSizes: values["no-madvise-sizes"] !== true,
    },
    timeoutMs: timeoutOption(values.timeout, 600_000),
    format: values.json === true ? "json" : values.csv === true ? "csv" : "text",
  };
}

export async function runLabCommand(args: LabArgs, io: CliIo): Promise<number> {
  const bytes = readRunnableModule(
    args.file,
    io,
    "the lab's strategies instantiate core modules; run a component with `wasm-cow run FILE --engine wasmtime`",
  );
  if (!bytes) return 1;
  const client = new RunnerClient({
    config: { slots: 1, maxUnusedWarmSlots: 1, includePageStates: false },
    timeoutMs: args.timeoutMs,
  });
  const stopForwarding = endRunnerOnSignals(client, io);
  try {
    const status = await client.status();
    if (!status.available) {
      io.stderr(`error: the lab needs the native backend: ${status.reason}`);
      return 1;
    }
    // Real Wasmtime where its library is found (asked for, or by default).
    const search = findWasmtime();
    const wasmtime = "found" in search ? search.found : null;
    const strategies = args.strategies ?? (wasmtime ? [...LAB_STRATEGIES] : [...TOOL_STRATEGIES]);
    const report = await client.request(
      "lab",
      {
        fileName: args.file,
        bytes,
        options: { ...args.options, strategies },
        wasmtime: wasmtime && { path: wasmtime.path, version: wasmtime.version },
      },
      args.timeoutMs,
    );
    io.stdout(
      args.format === "json"
        ? JSON.stringify(report, null, 2)
        : args.format === "csv"
          ? renderLabCsv(report)
          : renderLabText(report),
    );
    return report.strategies.some((s) => s.unavailable !== null) ? EXIT_STEP_FAILED : 0;
  } catch (error) {
    io.stderr(`error: ${args.file}: ${(error as Error).message}`);
    return 1;
  } finally {
    stopForwarding();
    client.dispose();
  }
}

const texts = (cells: LabCell[]): string[] => cells.map((c) => c.text);

/** A table as lines, each escaped on its own by displayLines. */
const tableLines = (heads: string[], rows: string[][]): string[] =>
  formatTable(heads, rows).split("\n");

export function renderLabText(report: LabReport): string {
  const { options, machine } = report;
  const lines = [
    `${report.file}: ${report.image ? `image of memory ${report.image.memory}, ${report.image.length} bytes at 0x${report.image.offset.toString(16)}` : "no image"}`,
    `  machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.kernel}, Node ${machine.node} (V8 ${machine.v8})`,
    `  userfaultfd: ${report.userfaultfd.available ? report.userfaultfd.mode : `unavailable: ${report.userfaultfd.reason}`}`,
    `  workload: ${options.invokes.length ? options.invokes.map((i) => `${i.name}(${i.args.join(", ")})`).join(", ") : "none (instantiate and reset only)"}; ${options.instances} instances per strategy`,
    "",
    `per instance, medians of ${options.instances}; live: ${options.instances} instances at once`,
  ];
  const ran = report.strategies.filter((s) => s.unavailable === null);
  if (ran.length) {
    const heads = ["strategy", ...strategyCells(ran[0]!).map((c) => c.column)];
    lines.push(
      ...tableLines(
        heads,
        ran.map((s) => [s.strategy, ...texts(strategyCells(s))]),
      ),
    );
  }
  for (const skipped of report.strategies.filter((s) => s.unavailable !== null))
    lines.push(`${skipped.strategy}: not run: ${skipped.unavailable}`);
  for (const strategy of ran)
    for (const note of strategy.notes) lines.push(`${strategy.strategy}: ${note}`);
  if (ran.length && options.threads.length) {
    lines.push("", "instances per second (instantiate, workload, reset) by threads");
    lines.push(
      ...tableLines(
        ["threads", ...report.strategies.map((s) => s.strategy)],
        scalingCells(report).map((row) => [String(row.threads), ...texts(row.cells)]),
      ),
    );
  }
  if (report.madvise) {
    lines.push("", "madvise(MADV_DONTNEED) and mprotect against the range (medians)");
    const heads = madviseCells(report.madvise[0]!).map((c) => c.column);
    lines.push(
      ...tableLines(
        heads,
        report.madvise.map((row) => texts(madviseCells(row))),
      ),
    );
  }
  return displayLines(lines);
}

function csvField(text: string | number | null): string {
  if (text === null) return "";
  const value = String(text);
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderLabCsv(report: LabReport): string {
  const rows: (string | number | null)[][] = [
    ["section", "strategy", "threads", "accessibleBytes", "dirtyPages", "metric", "value", "unit"],
  ];
  for (const figures of report.strategies) {
    for (const c of strategyCells(figures))
      rows.push(["strategy", figures.strategy, null, null, null, c.column, c.value, c.unit]);
  }
  for (const row of scalingCells(report)) {
    for (const c of row.cells)
      rows.push(["scaling", c.column, row.threads, null, null, "instances/s", c.value, c.unit]);
  }
  for (const row of report.madvise ?? []) {
    for (const c of madviseCells(row).slice(3))
      rows.push([
        "madvise",
        null,
        null,
        row.accessibleBytes,
        row.dirtyPages,
        c.column,
        c.value,
        c.unit,
      ]);
  }
  return rows.map((row) => row.map(csvField).join(",")).join("\n");
}
