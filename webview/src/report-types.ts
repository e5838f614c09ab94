// The inspection report as the webview receives it: the CLI's JSON, parsed (64-bit
// values arrive as plain numbers; addresses past 2^53 lose precision only in display).

import type { InspectReport } from "../../extension/analysis/inspect";

type Jsonified<T> = T extends bigint
  ? number
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export type ReportJson = Jsonified<InspectReport>;
export type ImageJson = ReportJson["images"][number];
export type SegmentJson = ReportJson["dataSegments"][number];
export type MemoryJson = ReportJson["memories"][number];
