// The Strategies tab's lab for one editor: runs `wasm-cow lab`'s measurement in the shared
// V8 runner (module code never runs in the extension host) and publishes its state, one
// lab at a time.

import type { LabOptions, LabReport } from "../../common/lab-types";
import type { LabView } from "../../common/webview-protocol";
import type { RunnerClient } from "../runner/runner-client";

/** A lab runs several strategies, each many instances, and thread points: minutes at most. */
const LAB_TIMEOUT_MS = 10 * 60 * 1000;

export interface LabControllerOptions {
  client(): RunnerClient;
  module: { fileName: string; bytes: Uint8Array };
  /** Real Wasmtime's library, when the execution gate found it. */
  wasmtime(): { path: string; version: string } | null;
  publish(view: LabView): void;
  /** The extension's log: where a lab that never ends shows how far it got. */
  log(line: string): void;
}

export class LabController {
  private state: LabView = { running: false, report: null, error: null };

  constructor(private readonly options: LabControllerOptions) {}

  get view(): LabView {
    return this.state;
  }

  get report(): LabReport | null {
    return this.state.report;
  }

  async run(options: LabOptions): Promise<void> {
    if (this.state.running) return; // the button is disabled meanwhile; a stray click waits for nothing
    this.update({ running: true, error: null });
    const started = Date.now();
    try {
      const client = this.options.client();
      const request = client.request(
        "lab",
        { ...this.options.module, options, wasmtime: this.options.wasmtime() },
        LAB_TIMEOUT_MS,
      );
      this.options.log(`lab: asked the runner (pid ${client.pid ?? "starting"})`);
      const report = await request;
      this.options.log(`lab: the runner answered in ${Date.now() - started} ms`);
      this.update({ running: false, report });
    } catch (error) {
      this.options.log(`lab: failed after ${Date.now() - started} ms: ${(error as Error).message}`);
      this.update({ running: false, error: (error as Error).message });
    }
  }

  private update(change: Partial<LabView>): void {
    this.state = { ...this.state, ...change };
    this.options.publish(this.state);
  }
}
