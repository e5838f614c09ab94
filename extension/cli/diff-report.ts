// The report of `wasm-cow diff`: per memory the image's geometry before and after, the
// differences in address order (the compare view's list, segment changes among them), and
// the `--fail-if` verdicts. One model, written as text, Markdown (a CI job summary) or JSON.

import { displayText, markdownText } from "../../common/display-text";
import { grouped, hex } from "../../common/format";
import type { Delta, LayoutDiff, MemoryDiff } from "../../common/layout-diff";
import { formatVerdict } from "../../common/layout-diff-text";
import { toJsonText } from "../analysis/json-text";
import type { ThresholdResult } from "./diff-thresholds";

/** Differences listed in text and Markdown; JSON has them all. */
export const LISTED_DIFFERENCES = 50;

export interface DiffReportInput {
  left: string;
  right: string;
  diff: LayoutDiff;
  thresholds: ThresholdResult[];
}

interface Table {
  header: string[];
  rows: string[][];
}

function signed(value: number): string {
  return value > 0 ? `+${grouped(value)}` : value < 0 ? `−${grouped(-value)}` : "0";
}

/** "+1,024 (+25.0%)", "0", or "—" when a side has none. */
function change(delta: Delta<number>): string {
  if (delta.delta === null) return delta.changed ? "changed" : "—";
  if (delta.delta === 0 || !delta.left) return signed(delta.delta);
  const percent = (delta.delta / delta.left) * 100;
  return `${signed(delta.delta)} (${percent > 0 ? "+" : "−"}${Math.abs(percent).toFixed(1)}%)`;
}

function value(value: number | bigint | null): string {
  return value === null ? "—" : grouped(value);
}

function memoryTable(memory: MemoryDiff): Table {
  const metric = (label: string, delta: Delta<number>): string[] => [
    label,
    value(delta.left),
    value(delta.right),
    change(delta),
  ];
  const offset = memory.offset;
  return {
    header: ["", "before", "after", "change"],
    rows: [
      [
        "static image",
        formatVerdict(memory.verdict.left),
        formatVerdict(memory.verdict.right),
        memory.verdict.changed ? "changed" : "same",
      ],
      [
        "image offset",
        offset.left === null ? "—" : hex(offset.left),
        offset.right === null ? "—" : hex(offset.right),
        offset.changed ? "moved" : "same",
      ],
      metric("image bytes", memory.length),
      metric("image pages", memory.pages),
      metric("non-zero pages", memory.nonzeroPages),
      metric("data bytes", memory.dataBytes),
    ],
  };
}

function differenceLines(diff: LayoutDiff): string[] {
  const listed = diff.differences.slice(0, LISTED_DIFFERENCES).map((d) => d.description);
  const more = diff.differences.length - listed.length;
  return more > 0 ? [...listed, `… and ${grouped(more)} more (--json lists them all)`] : listed;
}

function thresholdLines(results: ThresholdResult[]): string[] {
  return results.map((r) => `${r.exceeded ? "FAILED" : "passed"} ${r.threshold}: ${r.detail}`);
}

export function renderDiffText(input: DiffReportInput): string {
  const { diff } = input;
  const lines = [
    `${displayText(input.left)} → ${displayText(input.right)} (target page ${grouped(diff.pageSize)} bytes)`,
  ];
  for (const memory of diff.memories) {
    const table = memoryTable(memory);
    const widths = table.header.map((_, i) =>
      Math.max(...[table.header, ...table.rows].map((row) => row[i]!.length)),
    );
    lines.push("", `memory ${memory.memory}:`);
    for (const row of [table.header, ...table.rows]) {
      lines.push(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
    }
  }
  lines.push(
    "",
    `data segments: ${grouped(diff.segments.length)} changed, ${grouped(diff.unchangedSegments)} unchanged`,
    `differences: ${grouped(diff.differences.length)}`,
  );
  for (const line of differenceLines(diff)) lines.push(`  ${displayText(line)}`);
  if (input.thresholds.length) {
    lines.push("", "thresholds:");
    for (const line of thresholdLines(input.thresholds)) lines.push(`  ${displayText(line)}`);
  }
  return lines.join("\n");
}

export function renderDiffMarkdown(input: DiffReportInput): string {
  const { diff } = input;
  const md = markdownText;
  const lines = [
    `# Memory layout: ${md(input.left)} → ${md(input.right)}`,
    "",
    `Target page ${grouped(diff.pageSize)} bytes; ${grouped(diff.differences.length)} differences, ${grouped(diff.segments.length)} data segments changed, ${grouped(diff.unchangedSegments)} unchanged.`,
  ];
  if (input.thresholds.length) {
    lines.push("");
    for (const line of thresholdLines(input.thresholds)) lines.push(`- ${md(line)}`);
  }
  for (const memory of diff.memories) {
    const table = memoryTable(memory);
    lines.push("", `## Memory ${memory.memory}`, "");
    lines.push(`| ${table.header.join(" | ")} |`, `|${" --- |".repeat(table.header.length)}`);
    for (const row of table.rows) lines.push(`| ${row.map(md).join(" | ")} |`);
  }
  const differences = differenceLines(diff);
  if (differences.length) {
    lines.push("", "## Differences", "");
    for (const line of differences) lines.push(`- ${md(line)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The diff as JSON: every difference, without the page maps' per-page markers. */
export function renderDiffJson(input: DiffReportInput): string {
  const { diff } = input;
  return toJsonText({
    left: input.left,
    right: input.right,
    pageSize: diff.pageSize,
    memories: diff.memories.map(({ marked: _marked, ...memory }) => memory),
    segments: diff.segments,
    unchangedSegments: diff.unchangedSegments,
    differences: diff.differences.map(
      ({ segmentChange: _change, pageRange: _range, ...difference }) => difference,
    ),
    thresholds: input.thresholds,
  });
}
