// Messages between the extension host and its analysis worker thread, which decodes and
// plans modules off the host's event loop (a 50 MB module must not freeze the editor).

import type { StaticLayer } from "./layer-values";
import type { PackedDiff } from "./packed-diff";
import type { ComponentView } from "./report-types";
import type { SplitReportJson } from "./report-json";

export interface AnalyzeRequest {
  kind: "analyze";
  id: number;
  bytes: Uint8Array;
  fileName: string;
  pageSize: number;
  denseLimit: number;
  /** For a component: which core module (in file order) to report; null for the one
   *  with the most image bytes. Ignored for a core module. */
  module: number | null;
}

export interface ImageBytesRequest {
  kind: "imageBytes";
  id: number;
  memory: number;
  offset: number;
  length: number;
}

/** The last report as `wasm-cow inspect --json` prints it (indented), for Export Report. */
export interface ReportTextRequest {
  kind: "reportText";
  id: number;
}

/** The layout diff of the last analysed module (left) against another worker's (right),
 *  computed here so the compare view never holds two reports' worth of objects. */
export interface DiffRequest {
  kind: "diff";
  id: number;
  right: SplitReportJson & { layers: StaticLayer[]; pageHashes: Uint32Array[] };
}

export type WorkerRequest = AnalyzeRequest | ImageBytesRequest | ReportTextRequest | DiffRequest;

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      kind: "analyze";
      /** The report as compact JSON in two parts, summary and segments: what the webview
       *  parses (indentation would double the text of a 100,000-segment report). */
      summaryJson: string;
      segmentsJson: string;
      /** How many data segments the segments' JSON holds. */
      segmentCount: number;
      layers: StaticLayer[];
      /** Per memory, layout-diff.ts `pageHashes` of its image (empty without image bytes). */
      pageHashes: Uint32Array[];
      /** Set when the file is a component: its modules, and which one was reported. */
      component: ComponentView | null;
    }
  | { id: number; ok: true; kind: "imageBytes"; bytes: Uint8Array }
  | { id: number; ok: true; kind: "reportText"; text: string }
  | { id: number; ok: true; kind: "diff"; diff: PackedDiff }
  | { id: number; ok: false; error: string; offset: number | null };
