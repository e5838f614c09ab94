// `wasm-cow inspect FILE.wasm [--json] [--page-size N] [--dense-limit BYTES] [--pages]`, and
// with `--baseline OLD.json` the diff of FILE.wasm against a report stored earlier.

import { toJsonText } from "../analysis/json-text";
import { oneFile, UsageError, type CliIo } from "./cli-io";
import { diffFlags, DIFF_FLAGS_USAGE, runDiff, type DiffFlags } from "./diff-command";
import {
  analyseModuleBytes,
  planFlags,
  readFileOrSay,
  planOf,
  PLAN_FLAGS_USAGE,
  type PlanFlags,
} from "./module-analysis";
import { renderComponentText, renderTextReport } from "./text-report";
import { DecodeError } from "../analysis/binary-cursor";
import { isComponent } from "../analysis/component-reader";
import { inspectComponent } from "../analysis/inspect-component";
import { hex } from "../../common/format";
import type { ComponentReport } from "../../common/report-types";

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
  const bytes = readFileOrSay(args.file, io);
  if (!bytes) return 1;
  const options = { ...planOf(args.plan), pages: args.pages };
  if (isComponent(bytes)) return inspectComponentFile(args, bytes, options, io);
  const analysed = analyseModuleBytes(args.file, bytes, options, io);
  if (!analysed) return 1;
  io.stdout(args.json ? toJsonText(analysed.report) : renderTextReport(analysed.report));
  return 0;
}

/** A component: every core module's report; a malformed one fails the whole with its
 *  offset in the file. */
function inspectComponentFile(
  args: InspectArgs,
  bytes: Uint8Array,
  options: { pageSize: number; denseLimit: number; pages: boolean },
  io: CliIo,
): number {
  let report: ComponentReport;
  try {
    report = inspectComponent(bytes, {
      fileName: args.file,
      pageSize: options.pageSize,
      denseLimit: options.denseLimit,
      pageMap: options.pages,
    });
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    io.stderr(`error: ${args.file}: ${error.message} (at byte ${hex(error.offset)})`);
    return 1;
  }
  io.stdout(args.json ? toJsonText(report) : renderComponentText(report));
  return 0;
}
