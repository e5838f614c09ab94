// Argument parsing and dispatch for `wasm-cow`. Exit codes: 0 success, 1 bad input
// file (or no runner), 2 usage error, 3 a run whose report is complete but a step failed,
// 4 a diff that broke a --fail-if rule.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { displayText } from "../../common/display-text";
import { UsageError, type CliIo } from "./cli-io";
import { DIFF_USAGE, parseDiffArgs, runDiff } from "./diff-command";
import { INSPECT_USAGE, parseInspectArgs, runInspect } from "./inspect-command";
import { LAB_USAGE, parseLabArgs, runLabCommand } from "./lab-command";
import { parseRunArgs, RUN_USAGE, runRun } from "./run-command";

const USAGE = `usage: ${INSPECT_USAGE}\n\n       ${DIFF_USAGE}\n\n       ${RUN_USAGE}\n\n       ${LAB_USAGE}`;

/** The flags `diff` and `inspect --baseline` share. */
const DIFF_OPTIONS = {
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  "fail-if": { type: "string", multiple: true },
  "page-size": { type: "string" },
  "dense-limit": { type: "string" },
} as const;

/** The flags `run` and `lab` share: the workload and how long it may take. */
const WORKLOAD_OPTIONS = {
  invoke: { type: "string", multiple: true },
  instances: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
} as const;

/** `inspect` answers synchronously; `run` talks to the runner process. */
export function runCli(argv: string[], rawIo: CliIo): number | Promise<number> {
  // Every stderr line may carry a file's or a module's name or message: each is one line,
  // its control characters escaped. Reports on stdout escape their own text; JSON is exact.
  const io: CliIo = { stdout: rawIo.stdout, stderr: (line) => rawIo.stderr(displayText(line)) };
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    (argv.length === 0 ? rawIo.stderr : rawIo.stdout)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const [command, ...rest] = argv;
  const parse = <Options extends NonNullable<ParseArgsConfig["options"]>>(options: Options) =>
    parseArgs({ args: rest, allowPositionals: true, strict: true, options });
  try {
    if (command === "run") {
      const { values, positionals } = parse({
        ...WORKLOAD_OPTIONS,
        init: { type: "string" },
        reset: { type: "string" },
        "json-lines": { type: "boolean" },
        "max-output": { type: "string" },
        slots: { type: "string" },
        "max-unused-warm-slots": { type: "string" },
        "no-initialize": { type: "boolean" },
        "no-wasi": { type: "boolean" },
        smaps: { type: "boolean" },
        engine: { type: "string" },
        "max-memory-size": { type: "string" },
        "what-if-cow": { type: "boolean" },
      });
      return runRun(parseRunArgs(values, positionals), io);
    }
    if (command === "lab") {
      const { values, positionals } = parse({
        ...WORKLOAD_OPTIONS,
        threads: { type: "string" },
        strategies: { type: "string" },
        "no-madvise-sizes": { type: "boolean" },
        csv: { type: "boolean" },
      });
      return runLabCommand(parseLabArgs(values, positionals), io);
    }
    if (command === "diff") {
      const { values, positionals } = parse(DIFF_OPTIONS);
      return runDiff(parseDiffArgs(values, positionals), io);
    }
    if (command !== "inspect") throw new UsageError(`unknown command "${command}"`);
    const { values, positionals } = parse({
      ...DIFF_OPTIONS,
      pages: { type: "boolean" },
      baseline: { type: "string" },
    });
    return runInspect(parseInspectArgs(values, positionals), io);
  } catch (error) {
    const isUsage =
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!isUsage) throw error;
    io.stderr(`error: ${(error as Error).message}`);
    rawIo.stderr(USAGE);
    return 2;
  }
}
