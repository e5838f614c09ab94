// Activation: the custom editor, the commands, the log, and the execution gate.

import * as path from "node:path";
import * as vscode from "vscode";
import { displayText } from "../common/display-text";
import { AnalysisClient } from "./editor/analysis-client";
import { renderTextReport } from "./cli/text-report";
import { ExecutionGate } from "./editor/execution-gate";
import { PanelRegistry } from "./editor/panel-registry";
import { InspectorPanel, type EditorServices } from "./editor/inspector-panel";
import { VIEW_TYPE, WasmEditorProvider } from "./editor/wasm-editor-provider";
import { readSettings } from "./settings";
import { readModuleUri } from "./editor/read-module-uri";
import type { InspectReport } from "../common/report-types";

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("Wasm CoW", { log: true });
  const gate = new ExecutionGate(log);
  const services: EditorServices = { context, log, gate };
  const panels = new PanelRegistry();
  context.subscriptions.push(
    log,
    gate,
    vscode.window.registerCustomEditorProvider(
      VIEW_TYPE,
      new WasmEditorProvider(services, panels),
      {
        supportsMultipleEditorsPerDocument: true,
      },
    ),
    vscode.commands.registerCommand("wasmCow.openInspector", async (uri?: vscode.Uri) => {
      const target = await pickWasm(uri, "Inspect");
      if (target) await vscode.commands.executeCommand("vscode.openWith", target, VIEW_TYPE);
    }),
    vscode.commands.registerCommand("wasmCow.stepThrough", async (uri?: vscode.Uri) => {
      const target = await pickWasm(uri, "Step through");
      if (!target) return;
      await vscode.commands.executeCommand("vscode.openWith", target, VIEW_TYPE);
      panels.show(target, "stepper");
    }),
    vscode.commands.registerCommand(
      "wasmCow.compare",
      async (uri?: vscode.Uri, selected?: vscode.Uri[]) => {
        const pair = await pickPair(uri, selected);
        if (!pair) return;
        const [left, right] = pair;
        const panel = vscode.window.createWebviewPanel(
          "wasmCow.compare",
          displayText(`${path.basename(left.fsPath)} ↔ ${path.basename(right.fsPath)}`),
          vscode.ViewColumn.Active,
          { enableScripts: true },
        );
        const compare = new InspectorPanel(services, panel, "compare", [
          { side: "left", uri: left, bytes: await readModuleUri(left) },
          { side: "right", uri: right, bytes: await readModuleUri(right) },
        ]);
        panel.onDidDispose(() => compare.dispose());
      },
    ),
    vscode.commands.registerCommand("wasmCow.exportReport", async (uri?: vscode.Uri) => {
      const format = await vscode.window.showQuickPick(
        [
          {
            label: "JSON",
            description: "identical to wasm-cow inspect --json",
            format: "json" as const,
          },
          {
            label: "Markdown",
            description: "tables for a pull request or an issue",
            format: "markdown" as const,
          },
        ],
        { title: "Export the memory-image report as" },
      );
      if (!format) return;
      const target = uri ?? panels.activeUri();
      if (!target) {
        void vscode.window.showInformationMessage(
          "Wasm CoW: open a .wasm file in the inspector first.",
        );
        return;
      }
      await panels.exportReport(target, format.format, services);
    }),
    vscode.commands.registerCommand("wasmCow.restartRunner", () => {
      gate.restart("requested from the command palette");
      void vscode.window.showInformationMessage(
        "Wasm CoW: the runner will start afresh on the next instantiation.",
      );
    }),
    vscode.commands.registerCommand("wasmCow.openSample", async () => {
      const sample = vscode.Uri.joinPath(
        context.extensionUri,
        "media",
        "samples",
        "dirty-per-call.wasm",
      );
      await vscode.commands.executeCommand("vscode.openWith", sample, VIEW_TYPE);
    }),
    vscode.commands.registerCommand("wasmCow.inspectToOutput", async (uri?: vscode.Uri) => {
      const target = await pickWasm(uri, "Inspect");
      if (!target) return;
      const settings = readSettings();
      // Decoded in the analysis worker: a large module must not stall the extension host.
      const client = new AnalysisClient();
      try {
        const bytes = await readModuleUri(target);
        await client.analyze(
          bytes,
          path.basename(target.fsPath),
          settings.pageSize,
          settings.denseLimit,
        );
        const report = JSON.parse(await client.reportText()) as InspectReport;
        log.info(`\n${renderTextReport(report)}`);
        log.show(true);
      } catch (error) {
        void vscode.window.showErrorMessage(
          displayText(`Wasm CoW: ${error instanceof Error ? error.message : String(error)}`),
        );
      } finally {
        client.dispose();
      }
    }),
  );
}

export function deactivate(): void {}

async function pickWasm(
  uri: vscode.Uri | undefined,
  openLabel: string,
): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.uri.path.endsWith(".wasm")) return input.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel,
    filters: { WebAssembly: ["wasm"] },
  });
  return chosen?.[0];
}

async function pickPair(
  uri: vscode.Uri | undefined,
  selected: vscode.Uri[] | undefined,
): Promise<[vscode.Uri, vscode.Uri] | undefined> {
  const wasm = (selected ?? []).filter((u) => u.path.endsWith(".wasm"));
  if (wasm.length === 2) return [wasm[0]!, wasm[1]!];
  const first = await pickWasm(uri, "Compare");
  if (!first) return undefined;
  const second = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: "Compare with",
    filters: { WebAssembly: ["wasm"] },
    title: `Compare ${path.basename(first.fsPath)} with…`,
  });
  return second?.[0] ? [first, second[0]] : undefined;
}
