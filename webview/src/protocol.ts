// The one message protocol between the extension host and the webview. The host owns
// the data (the module, the runner); the webview asks for what it shows. Every message
// the host receives is validated by `parseWebviewMessage` before use.
//
// This module is pure TypeScript (no DOM, no vscode): both sides import it.

/** Where a report belongs: the inspector shows one module, the compare view two. */
export type ReportSide = "left" | "right";

/** Static page layers (one byte per page: outside the image, image zero page, image
 *  data page), as extension/analysis/memory-layers.ts computes them. */
export {
  LAYER_IMAGE_DATA,
  LAYER_IMAGE_ZERO,
  LAYER_OUTSIDE,
  type StaticLayer as MemoryLayer,
} from "../../extension/analysis/layer-values";
import type { StaticLayer as MemoryLayer } from "../../extension/analysis/layer-values";

export interface Capabilities {
  /** Whether instances can run here (trusted workspace and a working backend). */
  execution: boolean;
  /** Why not, in a sentence a user can act on. */
  executionUnavailable: string | null;
}

export interface ViewSettings {
  pageSize: number;
  denseLimit: number;
  resetStrategy: "madvise" | "keep-resident" | "pagemap";
  keepResidentBytes: number;
}

/** Host → webview. */
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
      reportJson: string;
      layers: MemoryLayer[];
      /** Per memory, a hash of every image page (layout-diff.ts `pageHashes`; empty
       *  without an image), so the compare view can tell which pages' bytes differ. */
      pageHashes?: Uint32Array[];
    }
  | { type: "reportError"; side: ReportSide; fileName: string; message: string }
  | { type: "bytes"; requestId: number; bytes: Uint8Array | null; error: string | null }
  | { type: "run"; run: RunView }
  | { type: "busy"; what: string | null }
  | { type: "show"; tab: "stepper" };

/** What the stepper and the slot pool show, kept by the host and sent whole. */
export interface RunView {
  /** Steps so far, oldest first (`states` of each memory included, for the page map). */
  steps: StepView[];
  slots: SlotViewJson[];
  running: boolean;
  error: string | null;
  reset: { strategy: ViewSettings["resetStrategy"]; keepResidentBytes: number };
  /** The live instance the actions apply to, if any. */
  liveInstance: number | null;
}

export interface StepView {
  step: string;
  export: string | null;
  instance: number | null;
  slot: number | null;
  pick: string | null;
  ns: number;
  syscalls: { mmap: number; mprotect: number; madvise: number; ioctl: number; copies: number };
  memories: {
    memory: number;
    slot: number;
    pages: Record<string, number>;
    sharedImagePages: number | null;
    rssBytes: number;
    privateDirtyBytes: number;
    imageOffset: number | null;
    imageLength: number | null;
    states: Uint8Array | null;
  }[];
  result: { type: string; value: string | number | null }[] | null;
  error: string | null;
  /** What a WASI instance wrote to stdout and stderr during the step. */
  output: { stdout: string; stderr: string } | null;
  detail: Record<string, string | number | boolean | null> | null;
}

export interface SlotViewJson {
  index: number;
  state: "cold" | "warm" | "in-use";
  affinity: string | null;
  bytesResident: number;
  accessibleBytes: number;
  imageMapped: boolean;
  retirements: number;
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
  | ({ type: "run" } & RunAction)
  | { type: "setReset"; strategy: ViewSettings["resetStrategy"]; keepResidentBytes: number }
  | { type: "exportReport"; format: "json" | "markdown" }
  | { type: "compareWith" }
  | { type: "error"; message: string };

/** Bytes the hex view may ask for at once. */
export const MAX_READ_BYTES = 65536;

const RESET_STRATEGIES = new Set(["madvise", "keep-resident", "pagemap"]);

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
    case "run":
      switch (value.action) {
        case "instantiate":
        case "instantiateOther":
        case "release":
        case "runToEnd":
          return { type: "run", action: value.action };
        case "invoke":
          if (
            typeof value.export !== "string" ||
            value.export.length === 0 ||
            value.export.length > 1024 ||
            !Array.isArray(value.args) ||
            value.args.length > 64 ||
            !value.args.every((a) => typeof a === "string" && a.length <= 256)
          ) {
            return null;
          }
          return {
            type: "run",
            action: "invoke",
            export: value.export,
            args: value.args as string[],
          };
        default:
          return null;
      }
    case "setReset":
      if (typeof value.strategy !== "string" || !RESET_STRATEGIES.has(value.strategy)) return null;
      if (!isCount(value.keepResidentBytes) || value.keepResidentBytes % 4096 !== 0) return null;
      return {
        type: "setReset",
        strategy: value.strategy as ViewSettings["resetStrategy"],
        keepResidentBytes: value.keepResidentBytes,
      };
    case "exportReport":
      if (value.format !== "json" && value.format !== "markdown") return null;
      return { type: "exportReport", format: value.format };
    case "error":
      if (typeof value.message !== "string") return null;
      return { type: "error", message: value.message.slice(0, 2000) };
    default:
      return null;
  }
}
