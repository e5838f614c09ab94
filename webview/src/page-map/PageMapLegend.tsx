// The legend: per state a swatch with the same pattern the map draws, its name, the
// pattern's name (so it never relies on colour) and the number of pages in that state.

import { memo, useLayoutEffect, useRef, type ReactElement } from "react";
import { cellTile, type TileColors } from "./cell-tiles";
import { paletteStates, PATTERN_NAMES, UNKNOWN_STATE, type FillPattern } from "./palettes";
import type { PageMapPalette } from "./page-map-props";
import type { MapTheme } from "./theme-colors";

const SWATCH_CSS = 14;

interface LegendProps {
  palette: PageMapPalette;
  counts: Uint32Array;
  theme: MapTheme | null;
}

export const PageMapLegend = memo(function PageMapLegend({
  palette,
  counts,
  theme,
}: LegendProps): ReactElement {
  const states = paletteStates(palette);
  let unknown = 0;
  for (let value = states.length; value < counts.length; value++) unknown += counts[value]!;
  const rows = states.map((state, i) => ({ ...state, count: counts[state.value]!, colorIndex: i }));
  if (unknown)
    rows.push({ ...UNKNOWN_STATE, value: -1, count: unknown, colorIndex: states.length });
  return (
    <ul className="page-map-legend" aria-label="Legend: pages per state">
      {rows.map((row) => (
        <li
          key={row.name}
          className="page-map-legend-item"
          data-state={row.name}
          data-count={row.count}
          title={row.description}
        >
          <Swatch
            pattern={row.pattern}
            colors={theme?.states[palette][row.colorIndex]}
            muted={theme?.mutedCss}
          />
          <span className="page-map-legend-label">{row.label}</span>
          <span className="page-map-legend-pattern">({PATTERN_NAMES[row.pattern]})</span>
          <span className="page-map-legend-count number">{row.count.toLocaleString("en-US")}</span>
        </li>
      ))}
    </ul>
  );
});

function Swatch({
  pattern,
  colors,
  muted,
}: {
  pattern: FillPattern;
  colors: TileColors | undefined;
  muted: string | undefined;
}): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element || !colors) return;
    const size = Math.round(SWATCH_CSS * (window.devicePixelRatio || 1));
    element.width = size;
    element.height = size;
    const context = element.getContext("2d");
    if (!context) return;
    const image = context.createImageData(size, size);
    new Uint32Array(image.data.buffer).set(cellTile(pattern, colors, size, 0));
    context.putImageData(image, 0, 0);
    if (pattern === "empty" && muted) {
      // "Nothing here" is a faint fill; a muted border keeps its swatch visible.
      context.strokeStyle = muted;
      context.lineWidth = 1;
      context.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
  }, [pattern, colors, muted]);
  return <canvas ref={canvas} className="page-map-swatch" aria-hidden="true" />;
}
