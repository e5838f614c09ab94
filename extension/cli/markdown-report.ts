// The Markdown form of the inspection report (the extension's Export Report): the same
// facts as the JSON, as tables a pull request or an issue can show.

import { formatBytes, grouped, hex } from "../analysis/format";
import type { InspectReport } from "../analysis/inspect";

export function renderMarkdownReport(report: InspectReport): string {
  const lines: string[] = [];
  lines.push(`# Memory images of \`${report.file}\``, "");
  lines.push(`- size: ${grouped(report.size)} bytes, sha256 \`${report.sha256}\``);
  const v8 =
    report.v8.valid === true
      ? "valid"
      : report.v8.valid === false
        ? `invalid: ${report.v8.message}`
        : `not validated: ${report.v8.message}`;
  lines.push(`- V8 ${report.v8.version}: ${v8}`);
  lines.push(
    `- plan: ${report.plan.initialization} initialisation, target page ${grouped(report.plan.pageSize)} bytes, dense limit ${grouped(report.plan.denseLimit)} bytes`,
  );
  lines.push(
    `- data segments: ${grouped(report.dataSegments.length - report.passiveSegments)} active, ${grouped(report.passiveSegments)} passive`,
    "",
  );
  lines.push(
    "| memory | limits (pages) | CoW image | reason | offset | length (bytes) | pages | non-zero pages | data bytes | sha256 |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const memory of report.memories) {
    const image = report.images[memory.index]!;
    const limits = `${memory.minPages}..${memory.maxPages ?? ""}${memory.imported ? ` (imported ${memory.import!.module}.${memory.import!.name})` : ""}`;
    lines.push(
      `| ${memory.index} | ${limits} | ${image.static ? "yes" : "no"} | ${image.reason ?? ""} | ${image.offset === null ? "" : hex(image.offset)} | ${image.length === null ? "" : grouped(image.length)} | ${grouped(image.pages)} | ${grouped(image.nonzeroPages)} | ${grouped(image.dataBytes)} | ${image.sha256 ? `\`${image.sha256.slice(0, 16)}…\`` : ""} |`,
    );
  }
  for (const image of report.images) {
    if (!image.explanation && !image.advice.length) continue;
    lines.push("", `## Memory ${image.memory}`, "");
    if (image.explanation) lines.push(`${image.explanation}.`, "");
    for (const advice of image.advice) lines.push(`- ${advice}`);
    if (image.length) lines.push(`- image size: ${formatBytes(image.length)}`);
  }
  return `${lines.join("\n")}\n`;
}
