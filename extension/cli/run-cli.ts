// Argument parsing and dispatch for `wasm-cow`. Exit codes: 0 success, 1 bad input
// file (or no runner), 2 usage error, 3 a run whose report is complete but a step failed,
// 4 a diff that broke a --fail-if rule.

import { parseArgs } from "node:util";
import { displayText } from "../../common/display-text";
import { UsageError, type CliIo } from "./cli-io";
import { DIFF_USAGE, parseDiffArgs, runDiff } from "./diff-command";
import { INSPECT_USAGE, parseInspectArgs, runInspect } from "./inspect-command";
import { parseRunArgs, RUN_USAGE, runRun } from "./run-command";

const USAGE = `usage: ${INSPECT_USAGE}\n\n       ${DIFF_USAGE}\n\n       ${RUN_USAGE}`;

/** The flags `diff` and `inspect --baseline` share. */
const DIFF_OPTIONS = {
  json: { type: "boolean" },
  markdown: { type: "boolean" },
  "fail-if": { type: "string", multiple: true },
  "page-size": { type: "string" },
  "dense-limit": { type: "string" },
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
  try {
    if (command === "run") {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        strict: true,
        options: {
          invoke: { type: "string", multiple: true },
          instances: { type: "string" },
          init: { type: "string" },
          reset: { type: "string" },
          timeout: { type: "string" },
          json: { type: "boolean" },
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
        },
      });
      return runRun(parseRunArgs(values, positionals), io);
    }
    if (command === "diff") {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        strict: true,
        options: DIFF_OPTIONS,
      });
      return runDiff(parseDiffArgs(values, positionals), io);
    }
    if (command !== "inspect") throw new UsageError(`unknown command "${command}"`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { ...DIFF_OPTIONS, pages: { type: "boolean" }, baseline: { type: "string" } },
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
