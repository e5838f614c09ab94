// A module file as the CLI commands take it: the plan flags they share (`--page-size`,
// `--dense-limit`), and the file read, decoded, validated and planned, with the reason on
// stderr when it cannot be.

import { DecodeError } from "../analysis/binary-cursor";
import { hex } from "../../common/format";
import type { InspectReport } from "../../common/report-types";
import {
  DEFAULT_DENSE_LIMIT,
  planImages,
  TARGET_PAGE_SIZES,
  type ImagePlan,
} from "../analysis/image-planner";
import { reportOf } from "../analysis/inspect";
import { readModule } from "../analysis/module-reader";
import type { WasmModule } from "../analysis/module-types";
import { integerOption, UsageError, type CliIo } from "./cli-io";
import { moduleFileErrorText, readModuleFile } from "./module-file";

const DEFAULT_PAGE_SIZE = 4096;

export const PLAN_FLAGS_USAGE = `  --page-size N   target page size in bytes (default ${DEFAULT_PAGE_SIZE}, x86-64; 16384 Apple aarch64; 65536 other aarch64)
  --dense-limit B Wasmtime's memory_guaranteed_dense_image_size (default ${DEFAULT_DENSE_LIMIT})`;

/** The plan flags as given; null where the command line left them out. */
export interface PlanFlags {
  pageSize: number | null;
  denseLimit: number | null;
}

/** The plan the flags ask for; left out, as `planned` was (a stored report's plan), or
 *  the defaults. */
export function planOf(
  flags: PlanFlags,
  planned?: { pageSize: number; denseLimit: number },
): { pageSize: number; denseLimit: number } {
  return {
    pageSize: flags.pageSize ?? planned?.pageSize ?? DEFAULT_PAGE_SIZE,
    denseLimit: flags.denseLimit ?? planned?.denseLimit ?? DEFAULT_DENSE_LIMIT,
  };
}

export function planFlags(values: Record<string, unknown>): PlanFlags {
  const given = (name: string, fallback: number): number | null =>
    values[name] === undefined
      ? null
      : integerOption(values[name], `--${name}`, {
          min: 0,
          max: Number.MAX_SAFE_INTEGER,
          fallback,
        });
  const pageSize = given("page-size", DEFAULT_PAGE_SIZE);
  if (pageSize !== null && !(TARGET_PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new UsageError(`--page-size must be one of ${TARGET_PAGE_SIZES.join(", ")}`);
  }
  return { pageSize, denseLimit: given("dense-limit", DEFAULT_DENSE_LIMIT) };
}

export interface AnalysedModule {
  module: WasmModule;
  plan: ImagePlan;
  report: InspectReport;
}

/** Reads a module or component file; says why on stderr and returns null when it cannot. */
export function readFileOrSay(file: string, io: CliIo): Uint8Array | null {
  try {
    return readModuleFile(file);
  } catch (error) {
    io.stderr(`error: ${file}: ${moduleFileErrorText(error)}`);
    return null;
  }
}

/** Reads, decodes, validates and plans a module file; says why on stderr and returns
 *  null when it cannot (an unreadable, malformed or invalid module). */
export function analyseModuleFile(
  file: string,
  options: { pageSize: number; denseLimit: number; pages: boolean },
  io: CliIo,
): AnalysedModule | null {
  const bytes = readFileOrSay(file, io);
  return bytes && analyseModuleBytes(file, bytes, options, io);
}

/** Decodes, validates and plans a module's bytes (analyseModuleFile's second half). */
export function analyseModuleBytes(
  file: string,
  bytes: Uint8Array,
  options: { pageSize: number; denseLimit: number; pages: boolean },
  io: CliIo,
): AnalysedModule | null {
  try {
    const inspectOptions = {
      fileName: file,
      pageSize: options.pageSize,
      denseLimit: options.denseLimit,
      pageMap: options.pages,
    };
    const module = readModule(bytes);
    const plan = planImages(module, inspectOptions);
    const report = reportOf(module, plan, inspectOptions);
    if (report.v8.valid === false) {
      const at = report.v8.offset === null ? "" : ` (at byte ${hex(report.v8.offset)})`;
      io.stderr(`error: ${file}: invalid module: ${report.v8.message}${at}`);
      return null;
    }
    return { module, plan, report };
  } catch (error) {
    if (error instanceof DecodeError) {
      io.stderr(`error: ${file}: ${error.message} (at byte ${hex(error.offset)})`);
      return null;
    }
    throw error;
  }
}
