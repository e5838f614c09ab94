// Messages between the extension host and its analysis worker thread, which decodes and
// plans modules off the host's event loop (a 50 MB module must not freeze the editor).

import type { StaticLayer } from "./layer-values";
import type { PackedDiff } from "./packed-diff";
import type { ComponentView } from "./report-types";
import type { SegmentColumns } from "./segment-columns";
import type { ReportDetails } from "./webview-protocol";

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
  /** Whether V8 validates the module on another thread meanwhile (analysis-client.ts). */
  validateAside: boolean;
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
  right: DiffSide;
}

/** A module's side of a diff, as the host hands it from one worker to another: its
 *  report's summary, its layers, and (from its worker's `diffSide`) its segments as the
 *  diff reads them, in columns, and its page hashes. */
export interface DiffSide {
  summaryJson: string;
  layers: StaticLayer[];
  segments: SegmentColumns;
  pageHashes: Uint32Array[];
}

/** The last module's side of a diff beyond its summary and layers: its page hashes
 *  (made on first request: the Overview never waits for them) and, `withSegments`, its
 *  segments. The side that computes the diff asks without segments: its hashes are then
 *  made while the other worker makes its side. */
export interface DiffSideRequest {
  kind: "diffSide";
  id: number;
  withSegments: boolean;
}

/** The last module's data segments and exports as compact JSON (what the summary
 *  leaves out: the Segments tab's and the export picker's). */
export interface DetailsRequest {
  kind: "details";
  id: number;
}

export type WorkerRequest =
  | AnalyzeRequest
  | ImageBytesRequest
  | ReportTextRequest
  | DiffRequest
  | DiffSideRequest
  | DetailsRequest;

/** Posted by the worker while it analyses (before each phase), for a determinate progress
 *  bar: phase `step` of `of`, in words. Not an answer: the request stays open. */
export interface WorkerProgress {
  progress: true;
  id: number;
  step: number;
  of: number;
  what: string;
}

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      kind: "analyze";
      /** The report without its data segments and exports, as compact JSON (indentation
       *  would double the text): what the Overview paints from, sent before anything else
       *  is made. */
      summaryJson: string;
      /** How many of each the report has (`details` gives them). */
      segmentCount: number;
      exportCount: number;
      layers: StaticLayer[];
      /** Set when the file is a component: its modules, and which one was reported. */
      component: ComponentView | null;
    }
  | { id: number; ok: true; kind: "imageBytes"; bytes: Uint8Array }
  | { id: number; ok: true; kind: "reportText"; text: string }
  | { id: number; ok: true; kind: "diff"; diff: PackedDiff }
  | ({ id: number; ok: true; kind: "details" } & ReportDetails)
  | {
      id: number;
      ok: true;
      kind: "diffSide";
      /** None (a count of 0) for the side that computes the diff. */
      segments: SegmentColumns;
      /** Per memory, layout-diff.ts `pageHashes` of its image (empty without image bytes). */
      pageHashes: Uint32Array[];
    }
  | { id: number; ok: false; error: string; offset: number | null };
