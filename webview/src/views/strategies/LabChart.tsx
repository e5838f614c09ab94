// One chart of the lab's figures, drawn by Chart.js on a canvas (no inline styles or
// scripts: it works under the webview's strict CSP). The numbers are also in the tables
// below the charts, which are what screen readers get; the canvas is labelled as an image
// that says what it shows.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef, type ReactElement } from "react";
import { chartTheme } from "./chart-theme";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export interface ChartSeries {
  label: string;
  /** One value per label; null where there is none (a strategy that did not run). */
  data: (number | null)[];
}

export interface LabChartProps {
  /** Identifies the chart in tests and screenshots. */
  name: string;
  title: string;
  kind: "bar" | "line";
  labels: string[];
  series: ChartSeries[];
  xTitle: string;
  yTitle: string;
}

export function LabChart(props: LabChartProps): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { kind, labels, series, xTitle, yTitle } = props;
  useEffect(() => {
    const theme = chartTheme();
    const chart = new Chart(canvas.current!, {
      type: kind,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: theme.series[i % theme.series.length],
          borderColor: theme.series[i % theme.series.length],
          spanGaps: false,
        })),
      },
      options: {
        // Screenshots and tests see the final picture at once.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: theme.foreground,
        plugins: { legend: { labels: { color: theme.foreground } } },
        scales: {
          x: {
            title: { display: true, text: xTitle, color: theme.foreground },
            ticks: { color: theme.foreground },
            grid: { color: theme.grid },
          },
          y: {
            beginAtZero: true,
            title: { display: true, text: yTitle, color: theme.foreground },
            ticks: { color: theme.foreground },
            grid: { color: theme.grid },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [kind, labels, series, xTitle, yTitle]);

  return (
    <figure className="lab-chart" data-chart={props.name}>
      <figcaption>{props.title}</figcaption>
      <div className="lab-chart-canvas">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${props.title}: ${series.map((s) => s.label).join(", ")} by ${xTitle.toLowerCase()}; the numbers are in the tables below`}
        />
      </div>
    </figure>
  );
}
