// `wasm-cow inspect FILE.wasm [--json] [--page-size N] [--dense-limit BYTES] [--pages]`, and
// with `--baseline OLD.json` the diff of FILE.wasm against a report stored earlier.

import { toJsonText } from "../analysis/json-text";
import { oneFile, UsageError, type CliIo } from "./cli-io";
import { diffFlags, DIFF_FLAGS_USAGE, runDiff, type DiffFlags } from "./diff-command";
import {
  analyseModuleFile,
  planFlags,
  planOf,
  PLAN_FLAGS_USAGE,
  type PlanFlags,
} from "./module-analysis";
import { renderTextReport } from "./text-report";

export const INSPECT_USAGE = `wasm-cow inspect FILE.wasm [--json] [--page-size 4096|16384|65536] [--dense-limit BYTES] [--pages]
                [--baseline OLD.json [--markdown] [--fail-if RULE]...]

  --json          print one JSON object (the same as the extension's Export Report)
${PLAN_FLAGS_USAGE}
  --pages         list every image page with its non-zero flag, hash and the segments on it
                  (a report that --baseline or diff can compare against later needs them)
  --baseline R    instead of the report, the diff against R, a report stored earlier
                  (wasm-cow inspect --json --pages): as wasm-cow diff R FILE.wasm
${DIFF_FLAGS_USAGE}`;

export interface InspectArgs {
  file: string;
  json: boolean;
  plan: PlanFlags;
  pages: boolean;
  baseline: string | null;
  diff: DiffFlags;
}

export function parseInspectArgs(
  values: Record<string, string | boolean | string[] | undefined>,
  positionals: string[],
): InspectArgs {
  const file = oneFile("inspect", positionals);
  const baseline = typeof values.baseline === "string" ? values.baseline : null;
  const diff = diffFlags(values);
  if (baseline === null && (diff.format === "markdown" || diff.thresholds.length)) {
    throw new UsageError("--markdown and --fail-if go with --baseline");
  }
  return {
    file,
    json: values.json === true,
    plan: planFlags(values),
    pages: values.pages === true,
    baseline,
    diff,
  };
}

/** Returns the exit code: 0 success, 1 unreadable, malformed or invalid module; with
 *  --baseline, those of `wasm-cow diff`. */
export function runInspect(args: InspectArgs, io: CliIo): number {
  if (args.baseline !== null) {
    return runDiff({ left: args.baseline, right: args.file, plan: args.plan, ...args.diff }, io);
  }
  const analysed = analyseModuleFile(args.file, { ...planOf(args.plan), pages: args.pages }, io);
  if (!analysed) return 1;
  io.stdout(args.json ? toJsonText(analysed.report) : renderTextReport(analysed.report));
  return 0;
}
