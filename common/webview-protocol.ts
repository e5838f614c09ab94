// The one message protocol between the extension host and the webview. The host owns
// the data (the module, the runner); the webview asks for what it shows. Every message
// the host receives is validated by `parseWebviewMessage` before use.
//
// This module is pure TypeScript (no DOM, no vscode): both sides import it.

import type { StaticLayer } from "./layer-values";
import { parseLabOptions } from "./lab-options";
import type { PackedDiff } from "./packed-diff";
import type { LabOptions, LabReport } from "./lab-types";
import type { ComponentView } from "./report-types";
import {
  isEngineKind,
  isResetStrategy,
  type EngineKind,
  type ResetStrategy,
  type SlotView,
  type StepRecord,
} from "./run-types";

/** Where a report belongs: the inspector shows one module, the compare view two. */
export type ReportSide = "left" | "right";

/** Whether real Wasmtime can run here as the second engine: its library found, with
 *  its version, or why not (with how to get it). */
export type WasmtimeAvailability =
  { available: true; version: string; library: string } | { available: false; reason: string };

/** Whether instances can run here (trusted workspace and a working backend). */
export type Capabilities =
  | {
      execution: true;
      executionUnavailable: null;
      pending: false;
      /** The host page size the backend probed: page states count pages of this size. */
      hostPageSize: number;
      wasmtime: WasmtimeAvailability;
    }
  | {
      execution: false;
      /** Why not, in a sentence a user can act on; null while `pending`. */
      executionUnavailable: string | null;
      /** True until the runner has answered: the host sends what it knows at once, so
       *  the Overview and the page map never wait for the runner, and the rest later. */
      pending: boolean;
      hostPageSize: null;
      wasmtime: WasmtimeAvailability;
      /** Restricted Mode: trusting the folder would make execution available. */
      restricted?: true;
    };

export interface ViewSettings {
  pageSize: number;
  denseLimit: number;
  resetStrategy: ResetStrategy;
  keepResidentBytes: number;
}

/** Host → webview. */
/** What a report's summary leaves out, as compact JSON: its `dataSegments` and its
 *  `exports`. */
export interface ReportDetails {
  segmentsJson: string;
  exportsJson: string;
}

export type HostMessage =
  | {
      type: "init";
      view: "inspector" | "compare";
      capabilities: Capabilities;
      settings: ViewSettings;
    }
  | {
      type: "report";
      side: ReportSide;
      fileName: string;
      /** The report without its data segments and exports
       *  (extension/analysis/report-json-parts.ts): they follow in a `details` message
       *  (inspector panels only; the compare view gets the diff instead). A module can
       *  have 100,000 segments, or 75,000 exports (12 MB of JSON in duckdb's). */
      summaryJson: string;
      segmentCount: number;
      exportCount: number;
      /** Static page layers, one per memory (extension/analysis/memory-layers.ts). */
      layers: StaticLayer[];
      /** Set when the file is a component: the report is that of `component.chosen`. */
      component?: ComponentView | null;
    }
  | ({ type: "details"; side: ReportSide } & ReportDetails)
  | { type: "reportError"; side: ReportSide; fileName: string; message: string }
  /** The compare view's layout diff, computed by the left side's analysis worker once
   *  both sides are analysed (again after either side changes). */
  | { type: "diff"; diff: PackedDiff }
  | { type: "diffError"; message: string }
  | { type: "bytes"; requestId: number; bytes: Uint8Array | null; error: string | null }
  | { type: "run"; run: RunView }
  /** What the host is doing for this panel, with its progress when it is counted in
   *  phases (`step` of `of` done); null when idle. */
  | { type: "busy"; what: string | null; progress?: { step: number; of: number } }
  | { type: "show"; tab: "stepper" }
  | { type: "lab"; lab: LabView };

/** The Strategies tab's lab: measuring, its last report, or why it failed. */
export interface LabView {
  running: boolean;
  report: LabReport | null;
  error: string | null;
}

/** What the stepper and the slot pool show, kept by the host and sent whole. */
export interface RunView {
  /** The engine these steps ran in: the host keeps one view per engine. */
  engine: EngineKind;
  /** The editor's module (its document URI) and the one "instantiate another module"
   *  runs, as the runner knows them: slot affinities name these ids. */
  moduleId: string;
  otherModuleId: string;
  /** The host page size the runner probed: each memory's `states` has one entry per
   *  page of this size. */
  hostPageSize: number;
  /** Steps so far, oldest first (`states` of each memory included, for the page map). */
  steps: StepRecord[];
  slots: SlotView[];
  running: boolean;
  error: string | null;
  reset: { strategy: ResetStrategy; keepResidentBytes: number };
  /** The live instance the actions apply to, if any. */
  liveInstance: number | null;
  /** The "imaged" engine's run: what was changed so the module gets an image. */
  variantChanges: string[] | null;
}

export type RunAction =
  | { action: "instantiate" }
  | { action: "instantiateOther" }
  | { action: "invoke"; export: string; args: string[] }
  | { action: "release" }
  | { action: "runToEnd" };

/** Webview → host. */
export type WebviewMessage =
  | { type: "ready" }
  | {
      type: "readBytes";
      requestId: number;
      side: ReportSide;
      /** "image": the module's image bytes; "live": the live instance's memory. */
      source: "image" | "live";
      memory: number;
      offset: number;
      length: number;
    }
  | ({ type: "run"; engines: EngineKind[] } & RunAction)
  | { type: "setReset"; strategy: ResetStrategy; keepResidentBytes: number }
  | { type: "exportReport"; format: "json" | "markdown" }
  | { type: "runLab"; options: LabOptions }
  | { type: "exportLab"; format: "json" | "csv" }
  | { type: "compareWith" }
  /** Open VS Code's workspace trust editor (from the Restricted Mode notice). */
  | { type: "manageTrust" }
  | { type: "chooseModule"; side: ReportSide; module: number }
  | { type: "error"; message: string };

/** No host this runs on has pages smaller than 4 KiB. */
const SMALLEST_PAGE_SIZE = 4096;

/** Bytes the hex view may ask for at once. */
export const MAX_READ_BYTES = 65536;

/** The longest argument text an invoke may carry: a component's arguments are one JSON
 *  array (strings and records included), a module's a number each. */
export const MAX_ARGUMENT_CHARS = 16384;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Validates a message from the webview; null for anything malformed. */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (!isRecord(value) || typeof value.type !== "string") return null;
  switch (value.type) {
    case "ready":
    case "compareWith":
    case "manageTrust":
      return { type: value.type };
    case "readBytes":
      if (
        !isCount(value.requestId) ||
        (value.side !== "left" && value.side !== "right") ||
        (value.source !== "image" && value.source !== "live") ||
        !isCount(value.memory) ||
        !isCount(value.offset) ||
        !isCount(value.length) ||
        value.length > MAX_READ_BYTES
      ) {
        return null;
      }
      return {
        type: "readBytes",
        requestId: value.requestId,
        side: value.side,
        source: value.source,
        memory: value.memory,
        offset: value.offset,
        length: value.length,
      };
    case "run": {
      // One engine or both, each named once.
      const engines = value.engines;
      if (
        !Array.isArray(engines) ||
        engines.length === 0 ||
        !engines.every(isEngineKind) ||
        new Set(engines).size !== engines.length
      ) {
        return null;
      }
      switch (value.action) {
        case "instantiate":
        case "instantiateOther":
        case "release":
        case "runToEnd":
          return { type: "run", engines, action: value.action };
        case "invoke":
          if (
            typeof value.export !== "string" ||
            value.export.length === 0 ||
            value.export.length > 1024 ||
            !Array.isArray(value.args) ||
            value.args.length > 64 ||
            !value.args.every((a) => typeof a === "string" && a.length <= MAX_ARGUMENT_CHARS)
          ) {
            return null;
          }
          return {
            type: "run",
            engines,
            action: "invoke",
            export: value.export,
            args: value.args as string[],
          };
        default:
          return null;
      }
    }
    case "setReset":
      // Whole pages of the smallest size Linux uses here; the host's own page size (maybe
      // larger) is applied by the run controller, which knows it.
      if (!isResetStrategy(value.strategy) || !isCount(value.keepResidentBytes)) return null;
      if (value.keepResidentBytes % SMALLEST_PAGE_SIZE !== 0) return null;
      return {
        type: "setReset",
        strategy: value.strategy,
        keepResidentBytes: value.keepResidentBytes,
      };
    case "exportReport":
      if (value.format !== "json" && value.format !== "markdown") return null;
      return { type: "exportReport", format: value.format };
    case "runLab": {
      const options = parseLabOptions(value.options);
      return options ? { type: "runLab", options } : null;
    }
    case "chooseModule":
      if ((value.side !== "left" && value.side !== "right") || !isCount(value.module)) return null;
      return { type: "chooseModule", side: value.side, module: value.module };
    case "exportLab":
      if (value.format !== "json" && value.format !== "csv") return null;
      return { type: "exportLab", format: value.format };
    case "error":
      if (typeof value.message !== "string") return null;
      return { type: "error", message: value.message.slice(0, 2000) };
    default:
      return null;
  }
}
