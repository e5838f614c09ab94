// The inspection report as the webview receives it: the CLI's JSON, parsed (64-bit
// values arrive as plain numbers; addresses past 2^53 lose precision only in display).

import type { BigintsAs } from "./bigints-as";
import type { InspectReport } from "./report-types";

export type ReportJson = BigintsAs<InspectReport, number>;
export type ImageJson = ReportJson["images"][number];
export type SegmentJson = ReportJson["dataSegments"][number];
export type MemoryJson = ReportJson["memories"][number];

/** The report as the analysis worker sends it: its summary (every field, but no data
 *  segments) and its data segments, as two JSON texts, so the Overview can show the
 *  summary of a 100,000-segment module before its segments are even parsed. */
export interface SplitReportJson {
  summaryJson: string;
  segmentsJson: string;
}

/** The whole report from its two parts. */
export function joinReportJson({ summaryJson, segmentsJson }: SplitReportJson): ReportJson {
  const summary = JSON.parse(summaryJson) as ReportJson;
  return { ...summary, dataSegments: JSON.parse(segmentsJson) as SegmentJson[] };
}
