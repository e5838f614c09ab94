// `wasm-cow diff OLD NEW`: the compare view's layout diff (common/layout-diff.ts) for a CI
// job. Each side is a module (.wasm) or a report stored by `wasm-cow inspect --json
// --pages` (.json), so a build can be compared with the last release's stored report.
//
// Exit codes: 0 compared (differences or not), 1 a side could not be read, 2 usage,
// 4 a --fail-if rule was broken.

import { readFileSync, statSync } from "node:fs";
import { diffLayouts, type LayoutSide } from "../../common/layout-diff";
import { moduleLayout, storedReportLayout, type StoredReport } from "../analysis/module-layout";
import { UsageError, type CliIo } from "./cli-io";
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "./diff-report";
import { checkThresholds, parseThreshold, type Threshold } from "./diff-thresholds";
import {
  analyseModuleFile,
  planFlags,
  planOf,
  PLAN_FLAGS_USAGE,
  type PlanFlags,
} from "./module-analysis";

export const EXIT_THRESHOLD_BROKEN = 4;

/** A stored report bigger than this is refused (a 4 GiB image's page map is ~100 MB). */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export const DIFF_FLAGS_USAGE = `  --json          the diff as one JSON object (every difference)
  --markdown      the diff as Markdown (a CI job summary)
  --fail-if RULE  exit 4 if RULE is broken, for any memory (repeatable):
                  METRIC>N (grew by more than N), METRIC>P% (by more than P percent),
                  static-lost (had a static image, has none now);
                  METRIC: image-bytes, image-pages, nonzero-pages, data-bytes`;

export const DIFF_USAGE = `wasm-cow diff OLD NEW [--json | --markdown] [--fail-if RULE]... [--page-size N] [--dense-limit B]

  OLD and NEW are modules (.wasm) or reports stored by wasm-cow inspect --json --pages (.json);
  a module is planned with the stored report's page size and dense limit unless given here.
${DIFF_FLAGS_USAGE}
${PLAN_FLAGS_USAGE}
  exit codes: 0 compared, 1 a side could not be read, 2 usage, 4 a --fail-if rule broken`;

export interface DiffFlags {
  format: "text" | "json" | "markdown";
  thresholds: Threshold[];
}

export interface DiffArgs extends DiffFlags {
  left: string;
  right: string;
  plan: PlanFlags;
}

export function diffFlags(values: Record<string, unknown>): DiffFlags {
  if (values.json === true && values.markdown === true) {
    throw new UsageError("--json and --markdown exclude each other");
  }
  const rules = (values["fail-if"] as string[] | undefined) ?? [];
  return {
    format: values.json === true ? "json" : values.markdown === true ? "markdown" : "text",
    thresholds: rules.map(parseThreshold),
  };
}

export function parseDiffArgs(values: Record<string, unknown>, positionals: string[]): DiffArgs {
  if (positionals.length !== 2) {
    throw new UsageError(`diff takes OLD and NEW, got ${positionals.length} file(s)`);
  }
  return {
    left: positionals[0]!,
    right: positionals[1]!,
    plan: planFlags(values),
    ...diffFlags(values),
  };
}

const isStoredReport = (file: string): boolean => file.toLowerCase().endsWith(".json");

export function runDiff(args: DiffArgs, io: CliIo): number {
  const stored = new Map<string, LayoutSide>();
  for (const file of [args.left, args.right].filter(isStoredReport)) {
    const side = storedSide(file, io);
    if (!side) return 1;
    stored.set(file, side);
  }
  // Modules are planned as the stored report was, unless the flags say otherwise.
  const reference = [...stored.values()][0]?.report as StoredReport | undefined;
  const plan = { ...planOf(args.plan, reference?.plan), pages: false };
  const sides: LayoutSide[] = [];
  for (const file of [args.left, args.right]) {
    const side = stored.get(file) ?? moduleSide(file, plan, io);
    if (!side) return 1;
    sides.push(side);
  }
  let diff;
  try {
    diff = diffLayouts(sides[0]!, sides[1]!);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}`);
    return 1;
  }
  const input = {
    left: args.left,
    right: args.right,
    diff,
    thresholds: checkThresholds(diff, args.thresholds),
  };
  const render = { text: renderDiffText, json: renderDiffJson, markdown: renderDiffMarkdown };
  io.stdout(render[args.format](input));
  return input.thresholds.some((result) => result.exceeded) ? EXIT_THRESHOLD_BROKEN : 0;
}

function moduleSide(
  file: string,
  plan: { pageSize: number; denseLimit: number; pages: boolean },
  io: CliIo,
): LayoutSide | null {
  const analysed = analyseModuleFile(file, plan, io);
  if (!analysed) return null;
  const { module, plan: imagePlan, report } = analysed;
  return { report, ...moduleLayout(module, imagePlan) };
}

function storedSide(file: string, io: CliIo): LayoutSide | null {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new Error("not a regular file");
    if (stats.size > MAX_REPORT_BYTES) {
      throw new Error(`${stats.size} bytes: larger than a stored report can be`);
    }
    return storedReportLayout(JSON.parse(readFileSync(file, "utf8")), file);
  } catch (error) {
    const message = (error as Error).message;
    io.stderr(`error: ${message.startsWith(file) ? message : `${file}: ${message}`}`);
    return null;
  }
}
