// The host's side of the analysis worker: one worker per open module, requests as
// promises, and the worker ended with the editor.

import path from "node:path";
import { Worker } from "node:worker_threads";
import type { StaticLayer } from "../../common/layer-values";
import type { ComponentView } from "../../common/report-types";
import { PendingRequests } from "../../common/pending-requests";
import type { ReportDetails } from "../../common/webview-protocol";
import type { PackedDiff } from "../../common/packed-diff";
import type {
  DiffRequest,
  DiffSide,
  WorkerProgress,
  WorkerRequest,
  WorkerResponse,
} from "../../common/worker-protocol";

export class AnalysisError extends Error {
  constructor(
    message: string,
    readonly offset: number | null,
  ) {
    super(offset === null ? message : `${message} (at byte 0x${offset.toString(16)})`);
    this.name = "AnalysisError";
  }
}

/** Runs dist/analysis-worker.js: the bundle lives next to the extension's bundle. */
export class AnalysisClient {
  private readonly worker: Worker;
  private readonly pending = new PendingRequests<WorkerResponse>();
  /** Progress listeners of the requests that have one, by id, until they settle. */
  private readonly progress = new Map<number, (progress: WorkerProgress) => void>();

  /** `validateAside`: V8 validates each module on a thread of its own while the worker
   *  decodes it (v8-validator-thread.ts). Worth it while a core is free: not when two
   *  workers analyse the two sides of a comparison at once on two cores. */
  constructor(
    workerScript = path.join(__dirname, "analysis-worker.js"),
    private readonly options: { validateAside: boolean } = { validateAside: true },
  ) {
    this.worker = new Worker(workerScript);
    this.worker.on("message", (response: WorkerResponse | WorkerProgress) => {
      if ("progress" in response) this.progress.get(response.id)?.(response);
      else if (response.ok) this.pending.resolve(response.id, response);
      else this.pending.reject(response.id, new AnalysisError(response.error, response.offset));
    });
    this.worker.on("error", (error) => this.pending.rejectAll(error));
    this.worker.on("exit", (code) =>
      this.pending.rejectAll(new Error(`the analysis worker stopped (exit code ${code})`)),
    );
  }

  async analyze(
    bytes: Uint8Array,
    fileName: string,
    pageSize: number,
    denseLimit: number,
    module: number | null = null,
    onProgress?: (progress: WorkerProgress) => void,
  ): Promise<{
    summaryJson: string;
    segmentCount: number;
    exportCount: number;
    layers: StaticLayer[];
    component: ComponentView | null;
  }> {
    const response = await this.send(
      {
        kind: "analyze",
        id: 0,
        bytes,
        fileName,
        pageSize,
        denseLimit,
        module,
        validateAside: this.options.validateAside,
      },
      onProgress,
    );
    if (response.ok && response.kind === "analyze")
      return {
        summaryJson: response.summaryJson,
        segmentCount: response.segmentCount,
        exportCount: response.exportCount,
        layers: response.layers,
        component: response.component,
      };
    throw new Error("unexpected analysis response");
  }

  /** The last analysed report, indented exactly as `wasm-cow inspect --json` prints it. */
  async reportText(): Promise<string> {
    const response = await this.send({ kind: "reportText", id: 0 });
    if (response.ok && response.kind === "reportText") return response.text;
    throw new Error("unexpected analysis response");
  }

  /** The last analysed module's data segments and exports, as compact JSON. */
  async details(): Promise<ReportDetails> {
    const response = await this.send({ kind: "details", id: 0 });
    if (response.ok && response.kind === "details")
      return { segmentsJson: response.segmentsJson, exportsJson: response.exportsJson };
    throw new Error("unexpected analysis response");
  }

  /** The last analysed module's page hashes and (`withSegments`) segments: with its
   *  summary and layers, its side of a diff another worker computes. */
  async diffSide(withSegments: boolean): Promise<Pick<DiffSide, "segments" | "pageHashes">> {
    const response = await this.send({ kind: "diffSide", id: 0, withSegments });
    if (response.ok && response.kind === "diffSide")
      return { segments: response.segments, pageHashes: response.pageHashes };
    throw new Error("unexpected analysis response");
  }

  /** The layout diff of this worker's last module (left) against `right`, packed. */
  async diff(right: DiffRequest["right"]): Promise<PackedDiff> {
    const response = await this.send({ kind: "diff", id: 0, right });
    if (response.ok && response.kind === "diff") return response.diff;
    throw new Error("unexpected analysis response");
  }

  async imageBytes(memory: number, offset: number, length: number): Promise<Uint8Array> {
    const response = await this.send({ kind: "imageBytes", id: 0, memory, offset, length });
    if (response.ok && response.kind === "imageBytes") return response.bytes;
    throw new Error("unexpected analysis response");
  }

  dispose(): void {
    void this.worker.terminate();
  }

  private send(
    request: WorkerRequest,
    onProgress?: (progress: WorkerProgress) => void,
  ): Promise<WorkerResponse> {
    const { id, answer } = this.pending.open(() => this.progress.delete(id));
    if (onProgress) this.progress.set(id, onProgress);
    this.worker.postMessage({ ...request, id });
    return answer;
  }
}
