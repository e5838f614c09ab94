// The compact human report of `wasm-cow inspect` (and of the extension's text output).

import { displayLines } from "../../common/display-text";
import { formatBytes, grouped, hex, plural } from "../../common/format";
import { imageLabel, v8VerdictText, wasmtimeVerdictText } from "../../common/verdict-text";
import type { ComponentReport, ImageJson, InspectReport } from "../../common/report-types";
import { reportRegions, type MemoryRegion } from "../../common/memory-regions";

export function renderTextReport(report: InspectReport): string {
  const lines: string[] = [];
  lines.push(`${report.file}: ${grouped(report.size)} bytes, sha256 ${report.sha256}`);
  lines.push(`  Wasmtime ${report.wasmtime.version}: ${wasmtimeVerdictText(report.wasmtime)}`);
  for (const advice of report.wasmtime.advice) lines.push(`    advice: ${advice}`);
  lines.push(`  V8 ${report.v8.version}: ${v8VerdictText(report.v8)}`);
  if (report.features.length) {
    lines.push(`  features: ${report.features.map((use) => use.feature).join(", ")}`);
  }
  lines.push(
    `  ${plural(report.functions.defined, "function")} (+${grouped(report.functions.imported)} imported), ${plural(report.imports.length, "import")}, ${plural(report.exports.length, "export")}, ${plural(report.globals.defined + report.globals.imported, "global")}, ${plural(report.tables, "table")}`,
  );
  lines.push(
    `  sections: ${report.sections.map((s) => `${s.customName ? `custom "${s.customName}"` : s.name} ${formatBytes(s.size)}`).join(", ")}`,
  );
  const active = report.dataSegments.length - report.passiveSegments;
  lines.push(
    `  data: ${plural(active, "active segment")}, ${plural(report.passiveSegments, "passive segment")}`,
  );
  lines.push(
    `  plan: ${report.plan.initialization} initialisation, target page ${grouped(report.plan.pageSize)} bytes, dense limit ${formatBytes(report.plan.denseLimit)}`,
  );
  for (const memory of report.memories) {
    const image = report.images[memory.index]!;
    const limits = `${memory.minPages}${memory.maxPages === null ? "+" : `..${memory.maxPages}`} pages of ${formatBytes(2 ** memory.pageSizeLog2)}`;
    const flags = [
      memory.memory64 ? "i64" : "i32",
      memory.shared ? "shared" : null,
      memory.imported ? `imported from ${memory.import!.module}.${memory.import!.name}` : "defined",
    ].filter(Boolean);
    lines.push("");
    lines.push(
      `memory ${memory.index}${memory.name ? ` "${memory.name}"` : ""}: ${limits}, ${flags.join(", ")}`,
    );
    renderImage(image, imageLabel(report.wasmtime), lines);
    const regions = reportRegions(report, memory.index);
    if (regions.length) lines.push(`  regions: ${regions.map(regionText).join("; ")}`);
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return displayLines(lines);
}

/** A component: what it imports and exports, what its images add up to, then each core
 *  module's own report under its path. */
export function renderComponentText(report: ComponentReport): string {
  const { summary } = report;
  const lines = [
    `${report.file}: component${report.name ? ` "${report.name}"` : ""}, ${grouped(report.size)} bytes, sha256 ${report.sha256}`,
    `  ${plural(summary.modules, "core module")}${report.components.length ? ` (${plural(report.components.length, "nested component")})` : ""}; images ${formatBytes(summary.imageBytes)}, ${formatBytes(summary.nonzeroImageBytes)} of it in pages with a non-zero byte${summary.largestImage ? `; the largest in ${summary.largestImage.path}` : ""}`,
    `  imports: ${report.imports.map((i) => `${i.name} (${i.kind})`).join(", ") || "none"}`,
    `  exports: ${report.exports.map((e) => `${e.name} (${e.kind})`).join(", ") || "none"}`,
  ];
  for (const module of report.modules) {
    lines.push(
      "",
      `== ${module.path}${module.name ? ` "${module.name}"` : ""}: bytes ${hex(module.offset)}..${hex(module.offset + module.length)} of the file ==`,
    );
    // The module's report is escaped already; its lines keep their own layout.
    lines.push(...renderTextReport(module.report).split("\n"));
  }
  return displayLines(lines);
}

function regionText(region: MemoryRegion): string {
  return `${region.label} ${hex(region.start)}..${hex(region.end)} (${formatBytes(region.end - region.start)})`;
}

/** Appends to `lines` (not returned and spread: a page map has one line per page, and a
 *  spread of 131,072 arguments overflows the stack). */
function renderImage(image: ImageJson, label: string, lines: string[]): void {
  lines.push(
    image.static ? `  ${label}: yes` : `  ${label}: no (${image.reason}): ${image.explanation}`,
  );
  if (image.offset !== null && image.length !== null) {
    lines.push(
      `  image: offset ${hex(image.offset)}, ${grouped(image.length)} bytes (${formatBytes(image.length)}), ${plural(image.pages, "page")}: ${grouped(image.nonzeroPages)} non-zero, ${grouped(image.zeroPages)} zero`,
    );
    lines.push(
      image.sha256 !== null
        ? `  sha256 ${image.sha256}`
        : "  sha256 not computed: an image this large and sparse is one Wasmtime would never build",
    );
  } else if (image.length === null) {
    lines.push("  image: not computable (an offset is not a plain constant)");
  }
  lines.push(
    `  data: ${plural(image.activeSegments, "active segment")}, ${grouped(image.dataBytes)} bytes${image.span !== null ? `, spanning ${grouped(image.span)} bytes` : ""}`,
  );
  for (const advice of image.advice) lines.push(`  advice: ${advice}`);
  if (image.pageMap) {
    lines.push("  page  address       non-zero  segments");
    for (const page of image.pageMap) {
      lines.push(
        `  ${String(page.page).padStart(4)}  ${hex(page.address).padEnd(12)}  ${page.nonzero ? "yes" : "no "}       ${page.segments.join(" ") || "-"}`,
      );
    }
  }
}
