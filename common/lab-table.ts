// The strategy lab's figures as rows of named cells: one source for the CLI's text table,
// its CSV, and the editor's accessible table beside the charts.

import { formatBytes, grouped } from "./format";
import type { LabReport, MadviseRow, StrategyFigures } from "./lab-types";

export interface LabCell {
  /** Column name, as the text table heads it. */
  column: string;
  /** The figure, as text ("—" where there is none, and why in the strategy's note). */
  text: string;
  /** The figure as a number in `unit`, for CSV and charts; null where there is none. */
  value: number | null;
  unit: string;
}

function micros(ns: number | null | undefined): LabCell["text"] {
  return ns === null || ns === undefined ? "—" : (ns / 1000).toFixed(1);
}

function cell(column: string, value: number | null, unit: string, text?: string): LabCell {
  return { column, value, unit, text: text ?? (value === null ? "—" : grouped(value)) };
}

function microsCell(column: string, ns: number | null | undefined): LabCell {
  const value = ns === null || ns === undefined ? null : ns / 1000;
  return { column, value, unit: "µs", text: micros(ns) };
}

/** One row per strategy: medians of the instances run one after another, and the
 *  instances live at once. */
export function strategyCells(figures: StrategyFigures): LabCell[] {
  const live = figures.live;
  return [
    microsCell("instantiate µs", figures.instantiate?.median),
    microsCell("workload µs", figures.workload?.median),
    microsCell("reset µs", figures.reset?.median),
    microsCell("1st read µs/page", figures.firstTouch?.readNsPerPage),
    microsCell("1st write µs/page", figures.firstTouch?.writeNsPerPage),
    cell("faults/instance", figures.faults?.perInstance ?? null, "faults"),
    microsCell("handler µs/fault", figures.faults?.serviceNsPerFault),
    cell("VMAs +", figures.vmas?.added ?? null, "mappings"),
    cell("VMAs −", figures.vmas?.removed ?? null, "mappings"),
    cell("live RSS", live?.rssBytes ?? null, "bytes", live ? formatBytes(live.rssBytes) : "—"),
    cell("live PSS", live?.pssBytes ?? null, "bytes", live ? formatBytes(live.pssBytes) : "—"),
    cell("image pages", live?.imagePagesPresent ?? null, "pages"),
    cell("private", live?.imagePagesPrivate ?? null, "pages"),
    cell("shared frames", live?.imageFramesShared ?? null, "pages"),
  ];
}

export function scalingCells(report: LabReport): { threads: number; cells: LabCell[] }[] {
  return report.options.threads.map((threads) => ({
    threads,
    cells: report.strategies.map((figures) => {
      const point = figures.scaling.find((p) => p.threads === threads);
      const value = point ? Math.round(point.instancesPerSecond) : null;
      return cell(figures.strategy, value, "instances/s");
    }),
  }));
}

export function madviseCells(row: MadviseRow): LabCell[] {
  return [
    cell("accessible", row.accessibleBytes, "bytes", formatBytes(row.accessibleBytes)),
    cell("PROT_NONE", row.protNoneBytes, "bytes", formatBytes(row.protNoneBytes)),
    cell("dirty pages", row.dirtyPages, "pages"),
    microsCell("madvise accessible µs", row.accessibleNs),
    microsCell("madvise both µs", row.wholeNs),
    microsCell("madvise PROT_NONE µs", row.protNoneNs),
    microsCell("mprotect ×2 µs", row.mprotectNs),
  ];
}
