// The read-only custom editor for .wasm files: it reads the file and gives each editor
// an InspectorPanel (inspector-panel.ts), registered so commands can find it.

import * as vscode from "vscode";
import { InspectorPanel, type EditorServices } from "./inspector-panel";
import type { PanelRegistry } from "./panel-registry";
import { readModuleUri } from "./read-module-uri";

export const VIEW_TYPE = "wasmCow.inspector";

class WasmDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly bytes: Uint8Array,
  ) {}
  dispose(): void {}
}

export class WasmEditorProvider implements vscode.CustomReadonlyEditorProvider<WasmDocument> {
  constructor(
    private readonly services: EditorServices,
    private readonly panels: PanelRegistry,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<WasmDocument> {
    return new WasmDocument(uri, await readModuleUri(uri));
  }

  resolveCustomEditor(document: WasmDocument, panel: vscode.WebviewPanel): void {
    const inspector = new InspectorPanel(this.services, panel, "inspector", [
      { side: "left", uri: document.uri, bytes: document.bytes },
    ]);
    const registration = this.panels.add(document.uri, inspector);
    panel.onDidChangeViewState(() => {
      if (panel.active) this.panels.focus(document.uri);
    });
    panel.onDidDispose(() => {
      registration.dispose();
      inspector.dispose();
    });
  }
}
