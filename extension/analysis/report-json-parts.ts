// The report in the JSON texts the analysis worker sends: its summary (every field but
// the data segments and the exports: what the Overview paints from) and those two (what
// the Segments tab and the export picker read, asked for afterwards), compact as the
// webview parses them.

import type { ReportDetails } from "../../common/webview-protocol";
import type { InspectReport } from "../../common/report-types";
import { toJsonText } from "./json-text";

export function summaryJsonOf(report: InspectReport): string {
  return toJsonText({ ...report, dataSegments: [], exports: [] }, 0);
}

export function detailsJsonOf(report: InspectReport): ReportDetails {
  return {
    segmentsJson: toJsonText(report.dataSegments, 0),
    exportsJson: toJsonText(report.exports, 0),
  };
}
