// The host's side of the analysis worker: one worker per open module, requests as
// promises, and the worker ended with the editor.

import path from "node:path";
import { Worker } from "node:worker_threads";
import type { StaticLayer } from "../analysis/layer-values";
import type { WorkerRequest, WorkerResponse } from "./analysis-protocol";

type Pending = { resolve(response: WorkerResponse): void; reject(error: Error): void };

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
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(workerScript = path.join(__dirname, "analysis-worker.js")) {
    this.worker = new Worker(workerScript);
    this.worker.on("message", (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (!pending) return;
      if (response.ok) pending.resolve(response);
      else pending.reject(new AnalysisError(response.error, response.offset));
    });
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) =>
      this.failAll(new Error(`the analysis worker stopped (exit code ${code})`)),
    );
  }

  async analyze(
    bytes: Uint8Array,
    fileName: string,
    pageSize: number,
    denseLimit: number,
  ): Promise<{ reportJson: string; layers: StaticLayer[]; pageHashes: Uint32Array[] }> {
    const response = await this.send({
      kind: "analyze",
      id: 0,
      bytes,
      fileName,
      pageSize,
      denseLimit,
    });
    if (response.ok && response.kind === "analyze")
      return {
        reportJson: response.reportJson,
        layers: response.layers,
        pageHashes: response.pageHashes,
      };
    throw new Error("unexpected analysis response");
  }

  /** The last analysed report, indented exactly as `wasm-cow inspect --json` prints it. */
  async reportText(): Promise<string> {
    const response = await this.send({ kind: "reportText", id: 0 });
    if (response.ok && response.kind === "reportText") return response.text;
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

  private send(request: WorkerRequest): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
