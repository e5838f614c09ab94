// Export Report: the JSON (the very text `wasm-cow inspect --json` prints for the same
// settings) or its Markdown rendering, saved where the user picks.

import * as vscode from "vscode";
import { displayText } from "../../common/display-text";
import { renderMarkdownReport } from "../cli/markdown-report";

/** `reportJson`: the indented text of `wasm-cow inspect --json` (AnalysisClient.reportText). */
export async function exportReport(
  source: vscode.Uri,
  reportJson: string,
  format: "json" | "markdown",
  log: vscode.LogOutputChannel,
): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: source.with({ path: `${source.path}.cow.${format === "json" ? "json" : "md"}` }),
    filters: format === "json" ? { JSON: ["json"] } : { Markdown: ["md"] },
  });
  if (!target) return;
  const text = format === "json" ? `${reportJson}\n` : renderMarkdownReport(JSON.parse(reportJson));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  log.info(displayText(`exported the ${format} report of ${source.fsPath} to ${target.fsPath}`));
}
