// The Markdown form of the inspection report (the extension's Export Report): the same
// facts as the JSON, as tables a pull request or an issue can show.

import { markdownText } from "../../common/display-text";
import { formatBytes, grouped, hex } from "../../common/format";
import { imageLabel, v8VerdictText, wasmtimeVerdictText } from "../../common/verdict-text";
import type { ComponentReport, InspectReport } from "../../common/report-types";

/** A component's report: its summary, then each core module's report under a heading of
 *  its path (the module's own `#` title moved down two levels). */
export function renderComponentMarkdown(report: ComponentReport): string {
  const md = markdownText;
  const { summary } = report;
  const lines = [
    `# Memory images of ${md(report.file)} (a component${report.name ? ` "${md(report.name)}"` : ""})`,
    "",
    `- size: ${grouped(report.size)} bytes, sha256 \`${report.sha256}\``,
    `- ${grouped(summary.modules)} core modules; static images ${formatBytes(summary.imageBytes)}, ${formatBytes(summary.nonzeroImageBytes)} of it in pages with a non-zero byte${summary.largestImage ? `; the largest in ${md(summary.largestImage.path)}` : ""}`,
    `- imports: ${md(report.imports.map((i) => `${i.name} (${i.kind})`).join(", ") || "none")}`,
    `- exports: ${md(report.exports.map((e) => `${e.name} (${e.kind})`).join(", ") || "none")}`,
  ];
  for (const module of report.modules) {
    lines.push(
      "",
      `## ${md(module.path)}${module.name ? ` "${md(module.name)}"` : ""}: bytes ${hex(module.offset)}..${hex(module.offset + module.length)} of the file`,
      "",
      ...renderMarkdownReport(module.report)
        .split("\n")
        .map((line) => (line.startsWith("#") ? `##${line}` : line)),
    );
  }
  return `${lines.join("\n")}\n`;
}

export function renderMarkdownReport(report: InspectReport): string {
  const lines: string[] = [];
  // Names, messages and explanations can carry a module's text: each goes through
  // markdownText (no raw HTML, no table breaking `|`, no control characters).
  const md = markdownText;
  lines.push(`# Memory images of ${md(report.file)}`, "");
  lines.push(`- Wasmtime ${report.wasmtime.version}: ${md(wasmtimeVerdictText(report.wasmtime))}`);
  for (const advice of report.wasmtime.advice) lines.push(`  - ${md(advice)}`);
  lines.push(`- size: ${grouped(report.size)} bytes, sha256 \`${report.sha256}\``);
  lines.push(`- V8 ${report.v8.version}: ${md(v8VerdictText(report.v8))}`);
  if (report.features.length) {
    lines.push(`- features: ${md(report.features.map((use) => use.feature).join(", "))}`);
  }
  lines.push(
    `- plan: ${report.plan.initialization} initialisation, target page ${grouped(report.plan.pageSize)} bytes, dense limit ${grouped(report.plan.denseLimit)} bytes`,
  );
  lines.push(
    `- data segments: ${grouped(report.dataSegments.length - report.passiveSegments)} active, ${grouped(report.passiveSegments)} passive`,
    "",
  );
  lines.push(
    `| memory | limits (pages) | ${imageLabel(report.wasmtime)} | reason | offset | length (bytes) | pages | non-zero pages | data bytes | sha256 |`,
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const memory of report.memories) {
    const image = report.images[memory.index]!;
    const limits = `${memory.minPages}..${memory.maxPages ?? ""}${memory.imported ? ` (imported ${md(`${memory.import!.module}.${memory.import!.name}`)})` : ""}`;
    lines.push(
      `| ${memory.index} | ${limits} | ${image.static ? "yes" : "no"} | ${md(image.reason ?? "")} | ${image.offset === null ? "" : hex(image.offset)} | ${image.length === null ? "" : grouped(image.length)} | ${grouped(image.pages)} | ${grouped(image.nonzeroPages)} | ${grouped(image.dataBytes)} | ${image.sha256 ? `\`${image.sha256.slice(0, 16)}…\`` : ""} |`,
    );
  }
  for (const image of report.images) {
    if (!image.explanation && !image.advice.length) continue;
    lines.push("", `## Memory ${image.memory}`, "");
    if (image.explanation) lines.push(`${md(image.explanation)}.`, "");
    for (const advice of image.advice) lines.push(`- ${md(advice)}`);
    if (image.length) lines.push(`- image size: ${formatBytes(image.length)}`);
  }
  return `${lines.join("\n")}\n`;
}
