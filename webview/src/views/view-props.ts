// What every view gets: the report of its module, what the host allows, the run state,
// and the shared selection (memory, page, segment) that links the views.

import type {
  Capabilities,
  ReportSide,
  RunView,
  ViewSettings,
} from "../../../common/webview-protocol";
import type { ReportJson } from "../../../common/report-json";
import type { StaticLayer } from "../../../common/layer-values";

export interface ReportData {
  side: ReportSide;
  fileName: string;
  report: ReportJson;
  layers: StaticLayer[];
  /** Per memory, a content hash per image page (compare view); null when not sent. */
  pageHashes: Uint32Array[] | null;
}

export interface Selection {
  memory: number;
  /** Selected page index (in the layer's page size), or null. */
  page: number | null;
  segment: number | null;
}

export interface ViewProps {
  data: ReportData;
  capabilities: Capabilities;
  settings: ViewSettings;
  run: RunView | null;
  selection: Selection;
  select(change: Partial<Selection>): void;
}
