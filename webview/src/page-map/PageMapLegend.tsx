// The legend: per state a swatch with the same pattern the map draws, its name, the
// pattern's name (so it never relies on colour) and the number of pages in that state.

import { memo, useLayoutEffect, useRef, type ReactElement } from "react";
import { cellTile, markedTile, type TileColors } from "./cell-tiles";
import { paletteStates, PATTERN_NAMES, UNKNOWN_STATE, type FillPattern } from "./palettes";
import type { PageMapPalette } from "./page-map-props";
import type { MapTheme } from "./theme-colors";

const SWATCH_CSS = 14;

/** The markings drawn over the states, each with what it means on this map. */
export interface LegendMarks {
  /** Pages drawn with a corner mark, and what the mark means ("differs from the other
   *  module"); null without marks. */
  marked: { label: string; count: number } | null;
  /** What an outline means on this map ("the selected difference"); null without one. */
  outlined: string | null;
}

interface LegendProps {
  palette: PageMapPalette;
  counts: Uint32Array;
  theme: MapTheme | null;
  marks: LegendMarks;
}

export const PageMapLegend = memo(function PageMapLegend({
  palette,
  counts,
  theme,
  marks,
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
          <StateSwatch
            pattern={row.pattern}
            colors={theme?.states[palette][row.colorIndex]}
            muted={theme?.mutedCss}
          />
          <span className="page-map-legend-label">{row.label}</span>
          <span className="page-map-legend-pattern">({PATTERN_NAMES[row.pattern]})</span>
          <span className="page-map-legend-count number">{row.count.toLocaleString("en-US")}</span>
        </li>
      ))}
      {marks.marked && (
        <li
          className="page-map-legend-item"
          data-state="marked"
          data-count={marks.marked.count}
          title="A corner triangle on the page's cell (the whole cell, in a colour of its own, when cells are too small for a triangle)"
        >
          <Swatch
            tile={
              theme &&
              ((size) =>
                markedTile(
                  new Uint32Array(size * size).fill(theme.background),
                  size,
                  0,
                  theme.mark,
                  theme.background,
                ))
            }
            border={theme?.mutedCss ?? null}
          />
          <span className="page-map-legend-label">{marks.marked.label}</span>
          <span className="page-map-legend-pattern">(corner mark)</span>
          <span className="page-map-legend-count number">
            {marks.marked.count.toLocaleString("en-US")}
          </span>
        </li>
      )}
      {marks.outlined && (
        <li className="page-map-legend-item" data-state="outlined">
          <span className="page-map-swatch page-map-outline-swatch" aria-hidden="true" />
          <span className="page-map-legend-label">{marks.outlined}</span>
          <span className="page-map-legend-pattern">(outline)</span>
        </li>
      )}
    </ul>
  );
});

/** A state's swatch: its cell tile; "nothing here" is a faint fill, so a muted border
 *  keeps it visible. */
function StateSwatch({
  pattern,
  colors,
  muted,
}: {
  pattern: FillPattern;
  colors: TileColors | undefined;
  muted: string | undefined;
}): ReactElement {
  return (
    <Swatch
      tile={colors ? (size) => cellTile(pattern, colors, size, 0) : null}
      border={pattern === "empty" ? (muted ?? null) : null}
    />
  );
}

/** A swatch drawn with a map cell's own tile (`tile(size)`, pixels of size × size), with
 *  a muted border where the fill alone would not show. */
function Swatch({
  tile,
  border,
}: {
  tile: ((size: number) => Uint32Array) | null;
  border: string | null;
}): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element || !tile) return;
    const size = Math.round(SWATCH_CSS * (window.devicePixelRatio || 1));
    element.width = size;
    element.height = size;
    const context = element.getContext("2d");
    if (!context) return;
    const image = context.createImageData(size, size);
    new Uint32Array(image.data.buffer).set(tile(size));
    context.putImageData(image, 0, 0);
    if (border) {
      context.strokeStyle = border;
      context.lineWidth = 1;
      context.strokeRect(0.5, 0.5, size - 1, size - 1);
    }
  }, [tile, border]);
  return <canvas ref={canvas} className="page-map-swatch" aria-hidden="true" />;
}
