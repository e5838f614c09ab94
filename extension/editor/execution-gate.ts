// Whether module code may run here, and the shared runners: one for the V8 engine (one
// pool, as one Wasmtime engine would have) and, when Wasmtime's library is found, one per
// keep-resident value for real Wasmtime (its reset is fixed when its engine is made).
// Execution needs a trusted workspace (Restricted Mode allows static inspection only) and
// a working native backend; the reason when it is unavailable is shown in the UI instead
// of guessing.

import * as vscode from "vscode";
import { displayText } from "../../common/display-text";
import type { EngineKind } from "../../common/run-types";
import type { Capabilities, WasmtimeAvailability } from "../../common/webview-protocol";
import type { SessionConfig } from "../runner/protocol";
import { RunnerClient } from "../runner/runner-client";
import { findWasmtimeAsync, type WasmtimeSearch } from "../runner/wasmtime-discovery";
import { readSettings } from "../settings";

const RESTRICTED_REASON =
  "this workspace is in Restricted Mode: inspection works, but running module code needs a trusted workspace";

const RESTRICTED: Capabilities = {
  execution: false,
  executionUnavailable: RESTRICTED_REASON,
  pending: false,
  hostPageSize: null,
  wasmtime: { available: false, reason: RESTRICTED_REASON },
  restricted: true,
};

export class ExecutionGate implements vscode.Disposable {
  private client: RunnerClient | null = null;
  /** The imaged variants' V8 runner: a pool of their own, so "what CoW would have saved"
   *  starts from the same empty pool as the module's own run did. */
  private imagedClient: RunnerClient | null = null;
  /** Wasmtime runners by the keep-resident bytes their engine was made with. */
  private readonly wasmtimeClients = new Map<number, RunnerClient>();
  /** Where Wasmtime's library is: the search, started once per settings (it asks
   *  python3, which takes about 0.3 s), and its answer once it came. */
  private wasmtimeSearch: Promise<WasmtimeSearch> | null = null;
  private wasmtimeFound: WasmtimeSearch | null = null;
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
    return (
      this.probed ?? {
        execution: false,
        executionUnavailable: null,
        pending: true,
        hostPageSize: null,
        // Not shown while pending: the runner's answer brings the search's.
        wasmtime: this.wasmtimeFound
          ? availability(this.wasmtimeFound)
          : { available: false, reason: "looking for Wasmtime's library" },
      }
    );
  }

  /** Wasmtime's library: the setting, else the `wasmtime` Python package, looked for
   *  without blocking the extension host; once per settings. */
  private wasmtimeLibrary(): Promise<WasmtimeSearch> {
    if (!this.wasmtimeSearch) {
      const library = readSettings().wasmtimeLibrary;
      const search = findWasmtimeAsync(library ? { given: library } : {});
      this.wasmtimeSearch = search;
      void search.then((found) => {
        if (this.wasmtimeSearch === search) this.wasmtimeFound = found;
      });
    }
    return this.wasmtimeSearch;
  }

  /** What the runner's backend offers (it starts the runner if needed). */
  async capabilities(): Promise<Capabilities> {
    if (!vscode.workspace.isTrusted) return RESTRICTED;
    const client = this.runner();
    const wasmtime = availability(await this.wasmtimeLibrary());
    let probed: Capabilities;
    try {
      const status = await client.status();
      probed = status.available
        ? {
            execution: true,
            executionUnavailable: null,
            pending: false,
            hostPageSize: status.probe.hostPageSize,
            wasmtime,
          }
        : {
            execution: false,
            executionUnavailable: `copy-on-write execution is unavailable here: ${status.reason}`,
            pending: false,
            hostPageSize: null,
            wasmtime,
          };
    } catch (error) {
      probed = {
        execution: false,
        executionUnavailable: `the runner could not start: ${(error as Error).message}`,
        pending: false,
        hostPageSize: null,
        wasmtime,
      };
    }
    if (this.client === client) this.probed = probed; // not an answer from a runner since replaced
    return probed;
  }

  /** A shared runner of `engine`; it starts on first use and again after a time-out or
   *  crash. Wasmtime's gets the emulation's pool size and warm slots, so both pick alike,
   *  and resets keeping `keepResident` bytes (0: madvise). */
  runner(engine: EngineKind = "v8", keepResident = 0): RunnerClient {
    if (!vscode.workspace.isTrusted)
      throw new Error("running module code needs a trusted workspace");
    const settings = readSettings();
    const client = (config: SessionConfig, name: string): RunnerClient =>
      new RunnerClient({
        config,
        timeoutMs: settings.executionTimeoutMs,
        onRestart: (reason) => this.log.warn(displayText(`${name} runner restarted: ${reason}`)),
      });
    const pool = {
      slots: settings.poolSize,
      maxUnusedWarmSlots: settings.maxUnusedWarmSlots,
      includePageStates: true,
    };
    if (engine === "v8") {
      this.client ??= client(pool, "V8");
      return this.client;
    }
    if (engine === "imaged") {
      this.imagedClient ??= client(pool, "V8 (imaged variants)");
      return this.imagedClient;
    }
    const existing = this.wasmtimeClients.get(keepResident);
    if (existing) return existing;
    // Asked for only after capabilities() has answered, which waited for the search.
    const search = this.wasmtimeFound;
    if (!search) throw new Error("Wasmtime's library is still being looked for");
    if (!("found" in search)) throw new Error(`real Wasmtime is unavailable: ${search.missing}`);
    const made = client(
      {
        ...pool,
        engine: {
          kind: "wasmtime",
          library: search.found,
          pooling: {
            totalMemories: settings.poolSize,
            maxUnusedWarmSlots: settings.maxUnusedWarmSlots,
            keepResident,
          },
        },
      },
      "Wasmtime",
    );
    this.wasmtimeClients.set(keepResident, made);
    return made;
  }

  restart(reason: string): void {
    this.log.info(displayText(`restarting the runners: ${reason}`));
    this.client?.dispose();
    this.client = null;
    this.imagedClient?.dispose();
    this.imagedClient = null;
    for (const made of this.wasmtimeClients.values()) made.dispose();
    this.wasmtimeClients.clear();
    this.wasmtimeSearch = null;
    this.wasmtimeFound = null;
    this.probed = null;
    this.changed.fire();
  }

  dispose(): void {
    for (const made of this.wasmtimeClients.values()) made.dispose();
    this.client?.dispose();
    this.imagedClient?.dispose();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Whether real Wasmtime can run, and if not why not and how to get it. */
function availability(search: WasmtimeSearch): WasmtimeAvailability {
  return "found" in search
    ? { available: true, version: search.found.version, library: search.found.path }
    : {
        available: false,
        reason: `${search.missing}; then set wasmCow.wasmtime.library if it is not found by itself`,
      };
}
