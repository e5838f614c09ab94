// Reports of generated modules as the webview parses them: inspect, the CLI's JSON text,
// JSON.parse (what the webview's `report` message carries).

import { inspectModule } from "../../extension/analysis/inspect";
import { toJsonText } from "../../extension/analysis/json-text";
import type { ReportJson } from "../../common/report-json";
import { encodeModule, type ModuleSpec } from "./segments-module";

export function reportJsonOf(spec: ModuleSpec, pageSize = 4096): ReportJson {
  const bytes = encodeModule(spec);
  const report = inspectModule(bytes, {
    fileName: "segments.wasm",
    pageSize,
    denseLimit: 16 << 20,
  });
  return JSON.parse(toJsonText(report)) as ReportJson;
}
