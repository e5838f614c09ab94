// `wasm-cow inspect FILE.wasm [--json] [--page-size N] [--dense-limit BYTES] [--pages]`

import { DecodeError } from "../analysis/binary-cursor";
import { hex } from "../../common/format";
import { DEFAULT_DENSE_LIMIT, TARGET_PAGE_SIZES } from "../analysis/image-planner";
import { inspectModule } from "../analysis/inspect";
import { toJsonText } from "../analysis/json-text";
import { moduleFileErrorText, readModuleFile } from "./module-file";
import { renderTextReport } from "./text-report";
import { integerOption, UsageError, type CliIo } from "./cli-io";

export const INSPECT_USAGE = `wasm-cow inspect FILE.wasm [--json] [--page-size 4096|16384|65536] [--dense-limit BYTES] [--pages]

  --json          print one JSON object (the same as the extension's Export Report)
  --page-size N   target page size in bytes (default 4096, x86-64; 16384 Apple aarch64; 65536 other aarch64)
  --dense-limit B Wasmtime's memory_guaranteed_dense_image_size (default ${DEFAULT_DENSE_LIMIT})
  --pages         list every image page with its non-zero flag and the segments on it`;

export interface InspectArgs {
  file: string;
  json: boolean;
  pageSize: number;
  denseLimit: number;
  pages: boolean;
}

export function parseInspectArgs(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
): InspectArgs {
  if (positionals.length !== 1)
    throw new UsageError(`inspect takes exactly one FILE.wasm, got ${positionals.length}`);
  const pageSize = integerOption(values["page-size"], "--page-size", {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 4096,
  });
  if (!(TARGET_PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new UsageError(`--page-size must be one of ${TARGET_PAGE_SIZES.join(", ")}`);
  }
  return {
    file: positionals[0]!,
    json: values.json === true,
    pageSize,
    denseLimit: integerOption(values["dense-limit"], "--dense-limit", {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      fallback: DEFAULT_DENSE_LIMIT,
    }),
    pages: values.pages === true,
  };
}

/** Returns the exit code: 0 success, 1 unreadable, malformed or invalid module. */
export function runInspect(args: InspectArgs, io: CliIo): number {
  let bytes: Uint8Array;
  try {
    bytes = readModuleFile(args.file);
  } catch (error) {
    io.stderr(`error: ${args.file}: ${moduleFileErrorText(error)}`);
    return 1;
  }
  try {
    const report = inspectModule(bytes, {
      fileName: args.file,
      pageSize: args.pageSize,
      denseLimit: args.denseLimit,
      pageMap: args.pages,
    });
    if (report.v8.valid === false) {
      const at = report.v8.offset === null ? "" : ` (at byte ${hex(report.v8.offset)})`;
      io.stderr(`error: ${args.file}: invalid module: ${report.v8.message}${at}`);
      return 1;
    }
    io.stdout(args.json ? toJsonText(report) : renderTextReport(report));
    return 0;
  } catch (error) {
    if (error instanceof DecodeError) {
      io.stderr(`error: ${args.file}: ${error.message} (at byte ${hex(error.offset)})`);
      return 1;
    }
    throw error;
  }
}
