// The open inspector panels by document, so commands (Step Through, Export Report) can
// reach the panel of a file.

import * as vscode from "vscode";
import * as path from "node:path";
import { readSettings } from "../settings";
import { AnalysisClient } from "./analysis-client";
import { exportReport } from "./export-report";
import type { EditorServices, InspectorPanel } from "./inspector-panel";
import { readModuleUri } from "./read-module-uri";

export class PanelRegistry {
  private readonly panels = new Map<string, InspectorPanel>();
  private active: vscode.Uri | null = null;

  add(uri: vscode.Uri, panel: InspectorPanel): vscode.Disposable {
    this.panels.set(uri.toString(), panel);
    this.active = uri;
    return { dispose: () => this.panels.delete(uri.toString()) };
  }

  focus(uri: vscode.Uri): void {
    this.active = uri;
  }

  activeUri(): vscode.Uri | null {
    return this.active;
  }

  show(uri: vscode.Uri, tab: "stepper"): void {
    this.panels.get(uri.toString())?.show(tab);
  }

  /** Exports from the open panel, or analyses the file afresh (off the host's event
   *  loop, in the analysis worker) when none is open. */
  async exportReport(
    uri: vscode.Uri,
    format: "json" | "markdown",
    services: EditorServices,
  ): Promise<void> {
    const panel = this.panels.get(uri.toString());
    if (panel) return panel.exportReport(format);
    const settings = readSettings();
    const client = new AnalysisClient();
    try {
      const bytes = await readModuleUri(uri);
      await client.analyze(
        bytes,
        path.basename(uri.fsPath),
        settings.pageSize,
        settings.denseLimit,
      );
      await exportReport(uri, await client.reportText(), format, services.log);
    } finally {
      client.dispose();
    }
  }
}
