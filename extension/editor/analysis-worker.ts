// The analysis worker thread: decodes, validates and plans a module, and serves the
// bytes of its images to the hex view. It keeps the last module it analysed. The answer
// to `analyze` is the report's summary and the page layers, made first: what costs more
// (the segments' JSON, the image bytes, their page hashes) is made on first request and
// kept.

import { parentPort } from "node:worker_threads";
import { packedLayoutDiff } from "../analysis/packed-layout-diff";
import { segmentColumns, segmentsOfColumns } from "../../common/segment-columns";
import { DecodeError } from "../analysis/binary-cursor";
import { planImages } from "../analysis/image-planner";
import {
  reportOf,
  segmentColumnsOf,
  segmentsJsonOf,
  type InspectOptions,
} from "../analysis/inspect";
import { inspectComponent } from "../analysis/inspect-component";
import { toJsonText } from "../analysis/json-text";
import { V8ValidatorThread } from "./v8-validator-thread";
import { detailsJsonOf, summaryJsonOf } from "../analysis/report-json-parts";
import { imageBytesOf, pageHashesOf, type ImageBytes } from "../analysis/module-layout";
import { staticLayers } from "../analysis/memory-layers";
import type { StaticLayer } from "../../common/layer-values";
import { readModule } from "../analysis/module-reader";
import type {
  AnalyzeRequest,
  WorkerProgress,
  WorkerRequest,
  WorkerResponse,
} from "../../common/worker-protocol";
import type { ComponentView, InspectReport } from "../../common/report-types";
import type { ReportDetails } from "../../common/webview-protocol";
import { isComponent, readComponent, readCoreModule } from "../analysis/component-reader";
import type { ImagePlan } from "../analysis/image-planner";
import type { WasmModule } from "../analysis/module-types";

let lastReport: InspectReport | null = null;
let segmentsMade = false;
let lastPlanned: { module: WasmModule; plan: ImagePlan } | null = null;
let lastLayers: StaticLayer[] = [];
let details: ReportDetails | null = null;
let pageHashes: Uint32Array[] | null = null;
/** The component the last report's module is one of, for the whole component's export. */
let lastComponent: { bytes: Uint8Array; options: InspectOptions } | null = null;
let images: ImageBytes | null = null;

function analysed(): { report: InspectReport; module: WasmModule; plan: ImagePlan } {
  if (!lastReport || !lastPlanned) throw new Error("no module was analysed");
  return { report: lastReport, ...lastPlanned };
}

function imagesNow(): ImageBytes {
  const { module, plan } = analysed();
  return (images ??= imageBytesOf(module, plan));
}

/** The report with its data segments: the analysis leaves them out (the summary does not
 *  carry them, and a comparison reads columns instead), and they are made on first need. */
function fullReport(): InspectReport {
  const { report, module, plan } = analysed();
  if (!segmentsMade) {
    report.dataSegments = segmentsJsonOf(module, plan);
    segmentsMade = true;
  }
  return report;
}

function detailsNow(): ReportDetails {
  return (details ??= detailsJsonOf(fullReport()));
}

function pageHashesNow(): Uint32Array[] {
  const { module, plan } = analysed();
  return (pageHashes ??= pageHashesOf(module, plan));
}

/** The core module to report: the file itself, or one of a component's. */
function moduleToReport(
  request: AnalyzeRequest,
  options: { pageSize: number; denseLimit: number },
  decoded: () => void,
): { module: WasmModule; plan: ImagePlan; component: ComponentView | null } {
  if (!isComponent(request.bytes)) {
    const module = readModule(request.bytes);
    decoded();
    return { module, plan: planImages(module, options), component: null };
  }
  const info = readComponent(request.bytes);
  decoded();
  if (!info.modules.length) throw new Error("the component holds no core module to show");
  const planned = info.modules.map((found) => {
    const module = readCoreModule(found);
    const plan = planImages(module, options);
    const imageBytes = plan.memories.reduce(
      (sum, m) => sum + (m.static && m.image ? m.image.length : 0),
      0,
    );
    return { found, module, plan, imageBytes };
  });
  const largest = planned.reduce(
    (best, p, i) => (p.imageBytes > planned[best]!.imageBytes ? i : best),
    0,
  );
  const chosen =
    request.module !== null && request.module < planned.length ? request.module : largest;
  return {
    module: planned[chosen]!.module,
    plan: planned[chosen]!.plan,
    component: {
      name: info.name,
      modules: planned.map((p) => ({
        path: p.found.pathText,
        name: p.found.name,
        offset: p.found.offset,
        length: p.found.length,
        imageBytes: p.imageBytes,
      })),
      chosen,
      imports: info.imports,
      exports: info.exports,
    },
  };
}

/** The analysis's phases, in order, for the progress bar. */
const PHASES = ["Decoding the module", "Planning the image", "Validating and reporting"];

function progress(id: number, phase: number): void {
  const message: WorkerProgress = {
    progress: true,
    id,
    step: phase,
    of: PHASES.length,
    what: PHASES[phase]!,
  };
  parentPort!.postMessage(message);
}

const validator = new V8ValidatorThread();

async function analyze(request: AnalyzeRequest): Promise<WorkerResponse> {
  progress(request.id, 0);
  // V8 validates the file on its own thread while this one decodes and plans.
  const validation =
    request.validateAside && !isComponent(request.bytes)
      ? validator.validate(request.bytes)
      : Promise.resolve(undefined);
  const options = {
    pageSize: request.pageSize,
    denseLimit: request.denseLimit,
    fileName: request.fileName,
  };
  const { module, plan, component } = moduleToReport(request, options, () =>
    progress(request.id, 1),
  );
  progress(request.id, 2);
  const v8Validates = module.bytes === request.bytes ? await validation : undefined;
  const report = reportOf(module, plan, { ...options, v8Validates }, { withSegments: false });
  lastReport = report;
  segmentsMade = false;
  lastPlanned = { module, plan };
  lastComponent = component ? { bytes: request.bytes, options } : null;
  lastLayers = staticLayers(module, plan);
  [details, images, pageHashes] = [null, null, null];
  return {
    id: request.id,
    ok: true,
    kind: "analyze",
    summaryJson: summaryJsonOf(report),
    segmentCount: module.dataSegments.length,
    exportCount: report.exports.length,
    layers: lastLayers,
    component,
  };
}

function handle(request: Exclude<WorkerRequest, AnalyzeRequest>): WorkerResponse {
  if (request.kind === "details")
    return { id: request.id, ok: true, kind: "details", ...detailsNow() };
  if (request.kind === "diffSide") {
    // The fields the diff reads, nothing else (a segment's offset and bounds stay here);
    // none for the side that will compute the diff itself.
    const { module, plan } = analysed();
    const segments = request.withSegments ? segmentColumnsOf(module, plan) : segmentColumns([]);
    return { id: request.id, ok: true, kind: "diffSide", segments, pageHashes: pageHashesNow() };
  }
  if (request.kind === "diff") {
    const { report, module, plan } = analysed();
    const left = {
      report,
      segmentRefs: segmentsOfColumns(segmentColumnsOf(module, plan)),
      layers: lastLayers,
      pageHashes: pageHashesNow(),
    };
    return { id: request.id, ok: true, kind: "diff", diff: packedLayoutDiff(left, request.right) };
  }
  if (request.kind === "reportText") {
    if (!lastReport) throw new Error("no module was analysed");
    // A component's export is the whole component's report (every core module planned),
    // made on demand: the editor shows one module at a time.
    const text = lastComponent
      ? toJsonText(inspectComponent(lastComponent.bytes, lastComponent.options))
      : toJsonText(fullReport());
    return { id: request.id, ok: true, kind: "reportText", text };
  }
  // Image bytes of [offset, offset + length) of a memory: zeros outside the image.
  const bytes = new Uint8Array(request.length);
  const image = imagesNow().get(request.memory);
  if (image) {
    const from = Math.max(request.offset, image.offset);
    const to = Math.min(request.offset + request.length, image.offset + image.bytes.length);
    if (to > from)
      bytes.set(
        image.bytes.subarray(from - image.offset, to - image.offset),
        from - request.offset,
      );
  }
  return { id: request.id, ok: true, kind: "imageBytes", bytes };
}

async function answer(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    return request.kind === "analyze" ? await analyze(request) : handle(request);
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      offset: error instanceof DecodeError ? error.offset : null,
    };
  }
}

// One request at a time, in order: an analysis waits for V8's verdict, and what is asked
// after it must see its module.
let queue = Promise.resolve();
parentPort!.on("message", (request: WorkerRequest) => {
  queue = queue.then(async () => parentPort!.postMessage(await answer(request)));
});
