// The inspection report as the webview receives it: the CLI's JSON, parsed (64-bit
// values arrive as plain numbers; addresses past 2^53 lose precision only in display).

import type { BigintsAs } from "./bigints-as";
import type { InspectReport } from "./report-types";

export type ReportJson = BigintsAs<InspectReport, number>;
export type ImageJson = ReportJson["images"][number];
export type SegmentJson = ReportJson["dataSegments"][number];
export type MemoryJson = ReportJson["memories"][number];
