// Host messages built from real analysis output: the same steps as the analysis worker
// (extension/editor/analysis-worker.ts), so the webview sees exactly what the host sends.

import { DEFAULT_DENSE_LIMIT, planImages } from "../../../extension/analysis/image-planner";
import { reportOf } from "../../../extension/analysis/inspect";
import { moduleLayout } from "../../../extension/analysis/module-layout";
import { segmentColumns } from "../../../common/segment-columns";
import { packedLayoutDiff } from "../../../extension/analysis/packed-layout-diff";
import { readModule } from "../../../extension/analysis/module-reader";
import type { ReportJson, SegmentJson } from "../../../common/report-json";
import { detailsJsonOf, summaryJsonOf } from "../../../extension/analysis/report-json-parts";
import type {
  Capabilities,
  HostMessage,
  ReportSide,
  ViewSettings,
  ReportDetails,
} from "../../../common/webview-protocol";

export type InitMessage = Extract<HostMessage, { type: "init" }>;
/** A report message with its segments and exports: the harness delivers them as the host
 *  does, the summary first and then a `details` message (webview-harness.ts `deliver`). */
export type ReportMessage = Extract<HostMessage, { type: "report" }> & ReportDetails;
export type DiffMessage = Extract<HostMessage, { type: "diff" }>;

/** The extension's default settings (package.json `wasmCow.*`). */
export const DEFAULT_SETTINGS: ViewSettings = {
  pageSize: 4096,
  denseLimit: DEFAULT_DENSE_LIMIT,
  resetStrategy: "madvise",
  keepResidentBytes: 1048576,
};

/** Wasmtime's library not found: the engine picker offers V8 alone, and says why. */
export const NO_WASMTIME: Capabilities["wasmtime"] = {
  available: false,
  reason: "no Wasmtime C API library found: install the wheel",
};

export const EXECUTION_AVAILABLE: Capabilities = {
  execution: true,
  executionUnavailable: null,
  pending: false,
  hostPageSize: 4096,
  wasmtime: NO_WASMTIME,
};

export function initMessage(
  options: {
    view?: InitMessage["view"];
    capabilities?: Capabilities;
    settings?: ViewSettings;
  } = {},
): InitMessage {
  return {
    type: "init",
    view: options.view ?? "inspector",
    capabilities: options.capabilities ?? EXECUTION_AVAILABLE,
    settings: options.settings ?? DEFAULT_SETTINGS,
  };
}

export interface ReportOptions {
  fileName: string;
  side?: ReportSide;
  pageSize?: number;
  denseLimit?: number;
}

/** The worker's analysis of a module's bytes: its report and layout. */
function analysed(bytes: Uint8Array, options: ReportOptions) {
  const planOptions = {
    pageSize: options.pageSize ?? DEFAULT_SETTINGS.pageSize,
    denseLimit: options.denseLimit ?? DEFAULT_SETTINGS.denseLimit,
    fileName: options.fileName,
  };
  const module = readModule(bytes);
  const plan = planImages(module, planOptions);
  const report = reportOf(module, plan, planOptions);
  return { report, ...moduleLayout(module, plan) };
}

/** The `report` message for a module's bytes (throws DecodeError like the worker). */
export function reportMessage(bytes: Uint8Array, options: ReportOptions): ReportMessage {
  const { report, layers } = analysed(bytes, options);
  return {
    type: "report",
    side: options.side ?? "left",
    fileName: options.fileName,
    summaryJson: summaryJsonOf(report),
    ...detailsJsonOf(report),
    segmentCount: report.dataSegments.length,
    exportCount: report.exports.length,
    layers,
  };
}

/** The whole report again from a report message's JSON texts. */
export function joinReportJson(message: { summaryJson: string } & ReportDetails): ReportJson {
  const summary = JSON.parse(message.summaryJson) as ReportJson;
  return {
    ...summary,
    dataSegments: JSON.parse(message.segmentsJson) as SegmentJson[],
    exports: JSON.parse(message.exportsJson) as ReportJson["exports"],
  };
}

/** The compare view's `diff` message for two modules, as the left side's worker makes
 *  it from the right side's report message. */
export function diffMessage(
  left: Uint8Array,
  right: Uint8Array,
  options: Omit<ReportOptions, "fileName" | "side"> = {},
): DiffMessage {
  const leftSide = analysed(left, { ...options, fileName: "left.wasm" });
  const rightSide = analysed(right, { ...options, fileName: "right.wasm" });
  return {
    type: "diff",
    diff: packedLayoutDiff(leftSide, {
      ...rightSide,
      summaryJson: summaryJsonOf(rightSide.report),
      segments: segmentColumns(rightSide.report.dataSegments),
    }),
  };
}
