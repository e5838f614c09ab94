// The extension's settings (`wasmCow.*`) as VS Code holds them, through settings-values.ts.

import * as vscode from "vscode";
import { settingsFrom, type Settings } from "./settings-values";

export type { Settings };

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration("wasmCow");
  return settingsFrom((key, fallback) => config.get<unknown>(key, fallback));
}
