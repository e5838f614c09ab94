// What every view gets: the report of its module, what the host allows, the run state,
// and the shared selection (memory, page, segment) that links the views.

import type {
  Capabilities,
  LabView,
  ReportSide,
  RunView,
  ViewSettings,
} from "../../../common/webview-protocol";
import type { ReportJson } from "../../../common/report-json";
import type { ComponentView } from "../../../common/report-types";
import type { StaticLayer } from "../../../common/layer-values";
import type { EngineKind } from "../../../common/run-types";
import type { EngineChoice } from "./stepper/engine-choice";

export interface ReportData {
  side: ReportSide;
  fileName: string;
  /** The report; its `dataSegments` and `exports` stay empty until they arrive in a
   *  message of their own after the summary (`segmentCount` and `exportCount` of them). */
  report: ReportJson;
  segmentCount: number;
  exportCount: number;
  layers: StaticLayer[];
  /** When the file is a component: its core modules, and which one `report` is. */
  component: ComponentView | null;
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
  /** The run of the chosen engine (V8's when both are chosen). */
  run: RunView | null;
  /** Every engine's run so far. */
  runs: Partial<Record<EngineKind, RunView>>;
  /** The engines actions run in: one, or both side by side (V8 first). */
  engines: EngineKind[];
  chooseEngine(choice: EngineChoice): void;
  selection: Selection;
  select(change: Partial<Selection>): void;
  /** The Strategies tab's lab, once one was asked for. */
  lab: LabView | null;
}
