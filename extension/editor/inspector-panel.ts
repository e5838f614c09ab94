// One open inspector or compare panel. The host owns the data: it has the analysis
// worker decode and plan each module (off the extension host's event loop), sends the
// report and page layers to the webview, answers its byte requests, and drives
// instances through the shared runner. Every webview message is validated.

import * as path from "node:path";
import * as vscode from "vscode";
import { displayText } from "../../common/display-text";
import { isComponent } from "../analysis/component-reader";
import {
  parseWebviewMessage,
  type Capabilities,
  type RunView,
  type HostMessage,
  type ReportSide,
  type WebviewMessage,
} from "../../common/webview-protocol";
import type { EngineKind } from "../../common/run-types";
import { readSettings } from "../settings";
import { AnalysisClient } from "./analysis-client";
import type { StaticLayer } from "../../common/layer-values";
import { answerReadBytes } from "./byte-requests";
import type { ExecutionGate } from "./execution-gate";
import { exportLab, exportReport } from "./export-report";
import { LabController } from "./lab-controller";
import { moduleForEngine, RunController } from "./run-controller";
import { webviewHtml } from "./webview-html";

export interface EditorServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  gate: ExecutionGate;
}

/** One side's analysis worker and what it gave. */
interface SideAnalysis {
  client: AnalysisClient;
  uri: vscode.Uri;
  decoded: boolean;
  /** Compare panels: the summary and layers, once analysed, and the rest of its side of
   *  the diff, asked for at once. */
  summary: { summaryJson: string; layers: StaticLayer[] } | null;
  diffSide: ReturnType<AnalysisClient["diffSide"]> | null;
}

/** One open inspector or compare panel: its webview, analysis workers and runs. */
export class InspectorPanel implements vscode.Disposable {
  private readonly analyses = new Map<ReportSide, SideAnalysis>();
  /** Counts diff requests: only the latest one's answer is shown. */
  private diffGeneration = 0;
  /** One controller per engine the user ran this module in. */
  private readonly runs = new Map<EngineKind, RunController>();
  private lab: LabController | null = null;
  /** The reset chosen in the webview, for every engine (the settings' until then). */
  private reset: RunView["reset"] | null = null;
  private ready = false;
  /** The run views last sent, per engine: VS Code discards a hidden webview, and the new
   *  one must get them again (the live instances live on in the runners). */
  private readonly lastRuns = new Map<EngineKind, RunView>();
  private pendingTab: "stepper" | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: EditorServices,
    private readonly panel: vscode.WebviewPanel,
    private readonly view: "inspector" | "compare",
    private readonly sources: { side: ReportSide; uri: vscode.Uri; bytes: Uint8Array }[],
  ) {
    const webview = panel.webview;
    const root = services.context.extensionUri;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, "dist"), vscode.Uri.joinPath(root, "media")],
    };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview.js")).toString(),
      styleUris: [
        webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview.css")).toString(),
      ],
      title: displayText(sources.map((s) => path.basename(s.uri.fsPath)).join(" ↔ ")),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          services.log.warn(
            displayText(
              `ignored a malformed message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`,
            ),
          );
          return;
        }
        void this.handle(message).catch((error: unknown) => this.fail(error));
      }),
      services.gate.onDidChange(() => void this.sendInit()),
    );
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case "ready":
        this.ready = true;
        // Static analysis never waits for the runner (forking it and loading the addon
        // takes a while): the webview starts with what is known now, and the runner's
        // answer follows in a second init.
        this.postInit(this.services.gate.knownCapabilities());
        void this.sendInit();
        if (this.pendingTab) this.post({ type: "show", tab: this.pendingTab });
        this.pendingTab = null;
        await Promise.all(
          this.sources.map((source) => this.analyze(source.side, source.uri, source.bytes)),
        );
        for (const run of this.lastRuns.values()) this.post({ type: "run", run });
        if (this.lab) this.post({ type: "lab", lab: this.lab.view });
        return;
      case "readBytes": {
        // The live memory of the engine that has a live instance, V8's first.
        const run = [...this.runs.values()].find((r) => r.hasLiveInstance) ?? null;
        const answer = await answerReadBytes(message, {
          image: (side) => {
            const client = this.analyses.get(side)?.client;
            return client ? (...range) => client.imageBytes(...range) : null;
          },
          live: run?.hasLiveInstance ? (...range) => run.readLive(...range) : null,
        });
        this.post(answer);
        return;
      }
      case "run": {
        // Side by side, each action runs in each engine in turn (V8 first), so the two
        // step lists stay in step.
        for (const engine of message.engines) {
          const run = await this.runController(engine);
          if (!run) return;
          await run.perform(message);
        }
        return;
      }
      case "setReset": {
        // Every engine's next reset; a controller made later starts with it too.
        this.reset = { strategy: message.strategy, keepResidentBytes: message.keepResidentBytes };
        if (this.runs.size === 0) await this.runController(this.isComponent() ? "wasmtime" : "v8");
        for (const run of this.runs.values())
          run.setReset(this.reset.strategy, this.reset.keepResidentBytes);
        return;
      }
      case "exportReport":
        await this.exportReport(message.format);
        return;
      case "runLab": {
        const lab = await this.labController();
        if (lab) await lab.run(message.options);
        return;
      }
      case "exportLab": {
        const report = this.lab?.report;
        if (!report) throw new Error("there is no lab report to export yet");
        await exportLab(this.sources[0]!.uri, report, message.format, this.services.log);
        return;
      }
      case "chooseModule": {
        const source = this.sources.find((s) => s.side === message.side);
        if (source) await this.analyze(source.side, source.uri, source.bytes, message.module);
        return;
      }
      case "manageTrust":
        await vscode.commands.executeCommand("workbench.trust.manage");
        return;
      case "compareWith":
        await vscode.commands.executeCommand("wasmCow.compare", this.sources[0]!.uri);
        return;
      case "error":
        this.services.log.error(displayText(`webview: ${message.message}`));
        return;
    }
  }

  private async sendInit(): Promise<void> {
    this.postInit(await this.services.gate.capabilities());
  }

  /** What may run for this editor's file: a component runs in the Wasmtime engine only
   *  (V8's JS API has no component model), so without Wasmtime's library it does not run. */
  private forThisFile(capabilities: Capabilities): Capabilities {
    if (!this.isComponent() || !capabilities.execution || capabilities.wasmtime.available)
      return capabilities;
    return {
      execution: false,
      pending: false,
      hostPageSize: null,
      wasmtime: capabilities.wasmtime,
      executionUnavailable: `this is a component, and a component runs in the Wasmtime engine only (V8 has no component model): ${capabilities.wasmtime.reason}`,
    };
  }

  private isComponent(): boolean {
    return isComponent(this.sources[0]!.bytes);
  }

  private postInit(known: Capabilities): void {
    const settings = readSettings();
    const capabilities = this.forThisFile(known);
    this.post({
      type: "init",
      view: this.view,
      capabilities,
      settings: {
        pageSize: settings.pageSize,
        denseLimit: settings.denseLimit,
        resetStrategy: settings.resetStrategy,
        keepResidentBytes: settings.keepResidentBytes,
      },
    });
  }

  private async analyze(
    side: ReportSide,
    uri: vscode.Uri,
    bytes: Uint8Array,
    module: number | null = null,
  ): Promise<void> {
    const settings = readSettings();
    const fileName = path.basename(uri.fsPath);
    this.analyses.get(side)?.client.dispose();
    const client = new AnalysisClient(undefined, { validateAside: this.view !== "compare" });
    const analysis: SideAnalysis = {
      client,
      uri,
      decoded: false,
      summary: null,
      diffSide: null,
    };
    this.analyses.set(side, analysis);
    // A diff under way compares the side this analysis replaces: its answer is stale.
    this.diffGeneration++;
    this.post({ type: "busy", what: `Analysing ${fileName}…` });
    try {
      const started = Date.now();
      // Progress in the status bar too: a 50 MB module takes a moment to decode.
      const analysed = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Wasm CoW: analysing ${fileName}` },
        () =>
          client.analyze(bytes, fileName, settings.pageSize, settings.denseLimit, module, (p) =>
            this.post({
              type: "busy",
              what: `Analysing ${fileName}: ${p.what}…`,
              progress: { step: p.step, of: p.of },
            }),
          ),
      );
      analysis.decoded = true;
      this.services.log.info(
        `analysed ${fileName} (${bytes.length} bytes) in ${Date.now() - started} ms`,
      );
      const { summaryJson, segmentCount, exportCount, layers, component } = analysed;
      // The summary first: the Overview paints before the segments' JSON is even made.
      this.post({
        type: "report",
        side,
        fileName,
        summaryJson,
        segmentCount,
        exportCount,
        layers,
        component,
      });
      if (this.view === "compare") {
        analysis.summary = { summaryJson, layers };
        // Both workers make their side at once, in parallel: the right one's goes to the
        // left worker, whose own hashes are then ready for the diff.
        analysis.diffSide = client.diffSide(side === "right");
        void this.postDiff();
      } else {
        this.post({ type: "busy", what: null });
        this.post({ type: "details", side, ...(await client.details()) });
      }
    } catch (error) {
      this.post({
        type: "reportError",
        side,
        fileName,
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.post({ type: "busy", what: null });
    }
  }

  /** The compare view's diff, by the left side's worker, once both sides are analysed. */
  private async postDiff(): Promise<void> {
    const left = this.analyses.get("left");
    const right = this.analyses.get("right");
    if (!left?.summary || !right?.summary || !right.diffSide) return;
    const generation = ++this.diffGeneration;
    const started = Date.now();
    try {
      const diff = await left.client.diff({ ...right.summary, ...(await right.diffSide) });
      if (generation !== this.diffGeneration) return;
      this.services.log.info(`compared the layouts in ${Date.now() - started} ms`);
      this.post({ type: "diff", diff });
    } catch (error) {
      if (generation !== this.diffGeneration) return;
      this.post({
        type: "diffError",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async runController(engine: EngineKind): Promise<RunController | null> {
    const capabilities = await this.executionCapabilities();
    if (!capabilities) return null;
    if (engine === "wasmtime" && !capabilities.wasmtime.available) {
      void vscode.window.showWarningMessage(
        `Wasm CoW: real Wasmtime is unavailable: ${capabilities.wasmtime.reason}`,
      );
      return null;
    }
    const existing = this.runs.get(engine);
    if (existing) return existing;
    const source = this.sources[0]!;
    const settings = readSettings();
    const gate = this.services.gate;
    const module = moduleForEngine(engine, {
      moduleId: source.uri.toString(),
      bytes: source.bytes,
      // Images are mapped with the host's pages: the size the backend probed.
      pageSize: capabilities.hostPageSize,
      denseLimit: settings.denseLimit,
    });
    if ("refusal" in module) {
      void vscode.window.showWarningMessage(
        displayText(`Wasm CoW: no variant of this module gets an image: ${module.refusal}`),
      );
      return null;
    }
    const run = new RunController({
      engine,
      clientFor: (keepResident) => gate.runner(engine, keepResident),
      fileName: path.basename(source.uri.fsPath),
      pageSize: capabilities.hostPageSize,
      ...module,
      callInitialize: settings.callInitialize,
      wasi: settings.wasi,
      reset: this.reset ?? {
        strategy: settings.resetStrategy,
        keepResidentBytes: settings.keepResidentBytes,
      },
      publish: (view) => {
        this.lastRuns.set(engine, view);
        this.post({ type: "run", run: view });
      },
    });
    this.runs.set(engine, run);
    return run;
  }

  /** What the runner offers when module code may run here; else null, the user told why. */
  private async executionCapabilities(): Promise<(Capabilities & { execution: true }) | null> {
    const capabilities = this.forThisFile(await this.services.gate.capabilities());
    if (capabilities.execution) return capabilities;
    void vscode.window.showWarningMessage(
      `Wasm CoW: execution is disabled: ${capabilities.executionUnavailable}`,
    );
    return null;
  }

  /** The lab runs in the shared V8 runner: execution must be allowed (a trusted workspace
   *  and a working backend), as for any module code. */
  private async labController(): Promise<LabController | null> {
    const capabilities = await this.executionCapabilities();
    if (!capabilities) return null;
    const source = this.sources[0]!;
    this.lab ??= new LabController({
      client: () => this.services.gate.runner("v8"),
      module: { fileName: path.basename(source.uri.fsPath), bytes: source.bytes },
      wasmtime: () => {
        const found = this.services.gate.knownCapabilities().wasmtime;
        return found.available ? { path: found.library, version: found.version } : null;
      },
      publish: (lab) => this.post({ type: "lab", lab }),
      // A failure's message can quote the module (an export's name): through the sanitiser.
      log: (line) => this.services.log.info(displayText(line)),
    });
    return this.lab;
  }

  /** Brings a tab of the webview to the front (Step Through Instantiation). */
  show(tab: "stepper"): void {
    if (this.ready) this.post({ type: "show", tab });
    else this.pendingTab = tab; // sent once the webview says it is ready
  }

  async exportReport(format: "json" | "markdown"): Promise<void> {
    const analysis = this.analyses.get("left");
    if (!analysis?.decoded)
      throw new Error("the module has no report to export (it did not decode)");
    await exportReport(analysis.uri, await analysis.client.reportText(), format, this.services.log);
  }

  private fail(error: unknown): void {
    // A runner's error can carry a module's text (a trap, an exception's message).
    const message = displayText(error instanceof Error ? error.message : String(error));
    this.services.log.error(message);
    void vscode.window.showErrorMessage(`Wasm CoW: ${message}`);
  }

  dispose(): void {
    for (const analysis of this.analyses.values()) analysis.client.dispose();
    for (const run of this.runs.values()) run.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
