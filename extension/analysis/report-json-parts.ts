// The report in the two JSON texts the analysis worker sends: its summary (every field
// but the data segments: what the Overview paints from) and its data segments (what the
// Segments tab reads, asked for afterwards), compact as the webview parses them.

import type { InspectReport } from "../../common/report-types";
import { toJsonText } from "./json-text";

export function summaryJsonOf(report: InspectReport): string {
  return toJsonText({ ...report, dataSegments: [] }, 0);
}

export function segmentsJsonOf(report: InspectReport): string {
  return toJsonText(report.dataSegments, 0);
}
