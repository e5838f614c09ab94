// Whether module code may run here, and the one shared runner. Execution needs a trusted
// workspace (Restricted Mode allows static inspection only) and a working native backend;
// the reason when it is unavailable is shown in the UI instead of guessing.

import * as vscode from "vscode";
import { displayText } from "../../common/display-text";
import type { Capabilities } from "../../common/webview-protocol";
import { RunnerClient } from "../runner/runner-client";
import { readSettings } from "../settings";

/** A trusted workspace whose runner has not answered yet. */
const STARTING: Capabilities = {
  execution: false,
  executionUnavailable: null,
  pending: true,
  hostPageSize: null,
};

const RESTRICTED: Capabilities = {
  execution: false,
  executionUnavailable:
    "this workspace is in Restricted Mode: inspection works, but running module code needs a trusted workspace",
  pending: false,
  hostPageSize: null,
};

export class ExecutionGate implements vscode.Disposable {
  private client: RunnerClient | null = null;
  /** The runner's answer, once it came (forgotten when the runner restarts). */
  private probed: Capabilities | null = null;
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

  /** What is known now, without waiting for the runner. */
  knownCapabilities(): Capabilities {
    if (!vscode.workspace.isTrusted) return RESTRICTED;
    return this.probed ?? STARTING;
  }

  /** What the runner's backend offers (it starts the runner if needed). */
  async capabilities(): Promise<Capabilities> {
    if (!vscode.workspace.isTrusted) return RESTRICTED;
    const client = this.runner();
    let probed: Capabilities;
    try {
      const status = await client.status();
      probed = status.available
        ? {
            execution: true,
            executionUnavailable: null,
            pending: false,
            hostPageSize: status.probe.hostPageSize,
          }
        : {
            execution: false,
            executionUnavailable: `copy-on-write execution is unavailable here: ${status.reason}`,
            pending: false,
            hostPageSize: null,
          };
    } catch (error) {
      probed = {
        execution: false,
        executionUnavailable: `the runner could not start: ${(error as Error).message}`,
        pending: false,
        hostPageSize: null,
      };
    }
    if (this.client === client) this.probed = probed; // not an answer from a runner since replaced
    return probed;
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
        onRestart: (reason) => this.log.warn(displayText(`runner restarted: ${reason}`)),
      });
    }
    return this.client;
  }

  restart(reason: string): void {
    this.log.info(displayText(`restarting the runner: ${reason}`));
    this.client?.dispose();
    this.client = null;
    this.probed = null;
    this.changed.fire();
  }

  dispose(): void {
    this.client?.dispose();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
