// Whether module code may run here, and the one shared runner. Execution needs a trusted
// workspace (Restricted Mode allows static inspection only) and a working native backend;
// the reason when it is unavailable is shown in the UI instead of guessing.

import * as vscode from "vscode";
import type { Capabilities } from "../../webview/src/protocol";
import { RunnerClient } from "../runner/runner-client";
import { readSettings } from "../settings";

export class ExecutionGate implements vscode.Disposable {
  private client: RunnerClient | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions = [
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("wasmCow")) this.restart("settings changed");
      }),
    ];
  }

  async capabilities(): Promise<Capabilities> {
    if (!vscode.workspace.isTrusted) {
      return {
        execution: false,
        executionUnavailable:
          "this workspace is in Restricted Mode: inspection works, but running module code needs a trusted workspace",
      };
    }
    try {
      const status = await this.runner().status();
      return status.available
        ? { execution: true, executionUnavailable: null }
        : {
            execution: false,
            executionUnavailable: `copy-on-write execution is unavailable here: ${status.reason}`,
          };
    } catch (error) {
      return {
        execution: false,
        executionUnavailable: `the runner could not start: ${(error as Error).message}`,
      };
    }
  }

  /** The shared runner; it starts on first use and again after a time-out or crash. */
  runner(): RunnerClient {
    if (!vscode.workspace.isTrusted)
      throw new Error("running module code needs a trusted workspace");
    if (!this.client) {
      const settings = readSettings();
      this.client = new RunnerClient({
        config: {
          slots: settings.poolSize,
          maxUnusedWarmSlots: settings.maxUnusedWarmSlots,
          includePageStates: true,
        },
        timeoutMs: settings.executionTimeoutMs,
        onRestart: (reason) => this.log.warn(`runner restarted: ${reason}`),
      });
    }
    return this.client;
  }

  restart(reason: string): void {
    this.log.info(`restarting the runner: ${reason}`);
    this.client?.dispose();
    this.client = null;
    this.changed.fire();
  }

  dispose(): void {
    this.client?.dispose();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
