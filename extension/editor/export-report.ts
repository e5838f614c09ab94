// Export Report: the JSON (the very text `wasm-cow inspect --json` prints for the same
// settings) or its Markdown rendering, saved where the user picks; and the strategy lab's
// report, as `wasm-cow lab --json` or `--csv` prints it.

import * as vscode from "vscode";
import { displayText } from "../../common/display-text";
import type { LabReport } from "../../common/lab-types";
import { renderLabCsv } from "../cli/lab-command";
import { renderComponentMarkdown, renderMarkdownReport } from "../cli/markdown-report";
import type { ComponentReport, InspectReport } from "../../common/report-types";

/** `reportJson`: the indented text of `wasm-cow inspect --json` (AnalysisClient.reportText). */
export async function exportReport(
  source: vscode.Uri,
  reportJson: string,
  format: "json" | "markdown",
  log: vscode.LogOutputChannel,
): Promise<void> {
  // A component's report is the whole component's, as `wasm-cow inspect --json` prints it.
  const report = JSON.parse(reportJson) as InspectReport | ComponentReport;
  const text =
    format === "json"
      ? `${reportJson}\n`
      : "kind" in report && report.kind === "component"
        ? renderComponentMarkdown(report)
        : renderMarkdownReport(report as InspectReport);
  await saveAs(source, "cow", format === "json" ? "json" : "md", text, log);
}

export async function exportLab(
  source: vscode.Uri,
  report: LabReport,
  format: "json" | "csv",
  log: vscode.LogOutputChannel,
): Promise<void> {
  const text = format === "json" ? JSON.stringify(report, null, 2) : renderLabCsv(report);
  await saveAs(source, "lab", format, `${text}\n`, log);
}

const FILTERS: Record<string, Record<string, string[]>> = {
  json: { JSON: ["json"] },
  md: { Markdown: ["md"] },
  csv: { CSV: ["csv"] },
};

/** Saves `text` where the user picks, next to the module by default (FILE.wasm.KIND.EXT). */
async function saveAs(
  source: vscode.Uri,
  kind: string,
  extension: string,
  text: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: source.with({ path: `${source.path}.${kind}.${extension}` }),
    filters: FILTERS[extension]!,
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  log.info(
    displayText(`exported the ${kind} ${extension} of ${source.fsPath} to ${target.fsPath}`),
  );
}
