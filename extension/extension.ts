import * as path from "node:path";
import * as vscode from "vscode";
import { inspectModule } from "./analysis/inspect";
import { renderTextReport } from "./cli/text-report";

const OUTPUT_CHANNEL_NAME = "Wasm CoW";
const PAGE_SIZE = 4096;
const DENSE_LIMIT = 16 * 1024 * 1024;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("wasmCow.inspectToOutput", async (arg?: unknown) => {
      try {
        const uri = await pickWasmUri(arg);
        if (!uri) {
          return;
        }
        const bytes = await vscode.workspace.fs.readFile(uri);
        const report = await inspectModule(bytes, {
          fileName: path.basename(uri.fsPath),
          pageSize: PAGE_SIZE,
          denseLimit: DENSE_LIMIT,
        });
        output.appendLine(renderTextReport(report));
        output.show(true);
      } catch (err) {
        void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
      }
    }),
  );
}

export function deactivate(): void {
  // Nothing to clean up beyond context.subscriptions.
}

/**
 * The module to inspect: the explorer's URI argument, else the `.wasm` file shown in the active
 * tab, else one the user chooses in an open dialog (undefined if they cancel).
 */
async function pickWasmUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    return arg;
  }
  const active = activeTabUri();
  if (active && isWasm(active)) {
    return active;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: "Inspect",
    filters: { WebAssembly: ["wasm"] },
  });
  return chosen?.[0];
}

function activeTabUri(): vscode.Uri | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri) {
    return editorUri;
  }
  // A binary .wasm file usually opens in a custom or binary editor, not a text editor.
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (
    input instanceof vscode.TabInputText ||
    input instanceof vscode.TabInputCustom ||
    input instanceof vscode.TabInputNotebook
  ) {
    return input.uri;
  }
  return undefined;
}

function isWasm(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(".wasm");
}
