// The lab's figures as charts: per-instance times and first-touch costs by strategy
// (bars), instances per second as threads grow and madvise against range size (lines).

import { useMemo, type ReactElement } from "react";
import { formatBytes } from "../../../../common/format";
import type { LabReport } from "../../../../common/lab-types";
import { LabChart, type ChartSeries, type LabChartProps } from "./LabChart";

const micros = (ns: number | null | undefined): number | null =>
  ns === null || ns === undefined ? null : ns / 1000;

export function LabCharts({ report }: { report: LabReport }): ReactElement {
  const charts = useMemo(() => {
    const strategies = report.strategies.map((s) => s.strategy);
    const perStrategy = (pick: (s: LabReport["strategies"][number]) => number | null) =>
      report.strategies.map(pick);
    const times: ChartSeries[] = [
      { label: "instantiate", data: perStrategy((s) => micros(s.instantiate?.median)) },
      { label: "workload", data: perStrategy((s) => micros(s.workload?.median)) },
      { label: "reset", data: perStrategy((s) => micros(s.reset?.median)) },
    ];
    const touches: ChartSeries[] = [
      { label: "first read", data: perStrategy((s) => micros(s.firstTouch?.readNsPerPage)) },
      { label: "first write", data: perStrategy((s) => micros(s.firstTouch?.writeNsPerPage)) },
    ];
    const threads = report.options.threads;
    const scaling: ChartSeries[] = report.strategies.map((s) => ({
      label: s.strategy,
      data: threads.map(
        (t) => s.scaling.find((point) => point.threads === t)?.instancesPerSecond ?? null,
      ),
    }));
    const rows = report.madvise ?? [];
    const sizes = [...new Set(rows.map((r) => r.accessibleBytes))];
    const dirtyCounts = [...new Set(rows.map((r) => Math.min(r.dirtyPages, 1000)))];
    // Each size's own dirty counts (a 64 KiB part has 16 pages, not 1,000).
    const madvise: ChartSeries[] = [
      ...dirtyCounts.map((dirty) => ({
        label: `accessible part, ${dirty} dirty`,
        data: sizes.map((size) => {
          const row = rows.find(
            (r) => r.accessibleBytes === size && Math.min(r.dirtyPages, 1000) === dirty,
          );
          return micros(row?.accessibleNs);
        }),
      })),
      {
        label: "PROT_NONE part alone",
        data: sizes.map((size) => micros(rows.find((r) => r.accessibleBytes === size)?.protNoneNs)),
      },
    ];
    const charts: LabChartProps[] = [
      {
        name: "times",
        title: "Per instance (medians)",
        kind: "bar",
        labels: strategies,
        series: times,
        xTitle: "Strategy",
        yTitle: "µs",
      },
      {
        name: "first-touch",
        title: "First touch of an image page",
        kind: "bar",
        labels: strategies,
        series: touches,
        xTitle: "Strategy",
        yTitle: "µs per page",
      },
      {
        name: "scaling",
        title: "Instances per second as threads grow",
        kind: "line",
        labels: threads.map(String),
        series: scaling,
        xTitle: "Threads",
        yTitle: "instances/s",
      },
      {
        name: "madvise",
        title: "madvise(MADV_DONTNEED) against the range",
        kind: "line",
        labels: sizes.map((size) => formatBytes(size)),
        series: madvise,
        xTitle: "Accessible part (then PROT_NONE to 4 GiB and a 2 GiB guard)",
        yTitle: "µs",
      },
    ];
    // A chart with nothing along its axis (no thread counts, no madvise sizes) is left out.
    return charts.filter((chart) => chart.labels.length > 0);
  }, [report]);

  return (
    <div className="lab-charts">
      {charts.map((chart) => (
        <LabChart key={chart.name} {...chart} />
      ))}
    </div>
  );
}
