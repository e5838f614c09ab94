// The whole memory to scale in one strip above the grid: each pixel column an equal share
// of the pages, showing the most telling one (data, written, differing), the selected
// segment's pages underlined, and a frame around the part the grid shows. A click or a
// drag jumps the grid there, so a page 3 GiB into a 4 GiB memory is one click away.

import { useLayoutEffect, useMemo, useRef, type PointerEvent, type ReactElement } from "react";
import { formatBytes } from "../../../common/format";
import { columnFirstPage, minimapColumns, pageColumn, standsOut } from "./minimap-columns";
import type { PageMapPalette } from "./page-map-props";
import { packedCss, type MapTheme } from "./theme-colors";
import { useElementSize } from "./use-element-size";

export interface MinimapProps {
  pages: Uint8Array;
  pageSize: number;
  palette: PageMapPalette;
  marked: Uint8Array | null;
  highlight: readonly (readonly [number, number])[] | undefined;
  theme: MapTheme | null;
  /** The pages the grid shows now: [first, end). */
  shown: readonly [number, number];
  onJump(page: number): void;
}

/** Heights in CSS pixels: the strip, and the bands for marks (top) and highlights (bottom). */
const HEIGHT = 20;
const BAND = 4;

export function Minimap(props: MinimapProps): ReactElement {
  const { pages, palette, marked, highlight, theme, shown, onJump } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(boxRef);
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(size.width * dpr));
  const height = Math.round(HEIGHT * dpr);
  const columns = useMemo(
    () => minimapColumns(pages, marked, palette, width),
    [pages, marked, palette, width],
  );

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d", { alpha: false });
    if (!canvas || !context || !theme || size.width === 0) return;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    context.fillStyle = theme.backgroundCss;
    context.fillRect(0, 0, width, height);
    const band = Math.round(BAND * dpr);
    const image = context.getImageData(0, band, width, height - 2 * band);
    const pixels = new Uint32Array(image.data.buffer);
    const tiles = theme.states[palette];
    for (let x = 0; x < width; x++) {
      const color = tiles[Math.min(columns.values[x]!, tiles.length - 1)]!.ink;
      for (let y = 0; y < image.height; y++) pixels[y * width + x] = color;
    }
    context.putImageData(image, 0, band);
    // Telling columns again, three pixels wide (by the colour of the rest of the band).
    const wide = Math.max(1, Math.round(dpr));
    for (let x = 0; x < width; x++) {
      const value = columns.values[x]!;
      if (!standsOut(palette, value)) continue;
      context.fillStyle = packedCss(tiles[Math.min(value, tiles.length - 1)]!.ink);
      context.fillRect(x - wide, band, 2 * wide + 1, height - 2 * band);
    }
    context.fillStyle = theme.foregroundCss;
    for (let x = 0; x < width; x++) if (columns.marked[x]) context.fillRect(x, 0, 1, band);
    context.fillStyle = theme.highlightCss;
    for (const [first, end] of highlight ?? []) {
      if (end <= first || first >= pages.length) continue;
      const left = pageColumn(first, width, pages.length);
      const right = pageColumn(Math.min(end, pages.length) - 1, width, pages.length);
      context.fillRect(left, height - band, right - left + 1, band);
    }
    if (pages.length > 0 && shown[1] > shown[0]) {
      const left = pageColumn(shown[0], width, pages.length);
      const right = pageColumn(Math.min(shown[1], pages.length) - 1, width, pages.length);
      const line = Math.max(1, Math.round(dpr));
      context.strokeStyle = theme.focusCss;
      context.lineWidth = line;
      // At least a few pixels wide, so a view of a few pages in a huge memory still shows.
      const frameWidth = Math.max(right - left + 1, 3 * line);
      context.strokeRect(left + line / 2, line / 2, frameWidth - line, height - line);
    }
  }, [columns, theme, width, height, dpr, palette, highlight, shown, pages.length, size.width]);

  const jumpTo = (event: PointerEvent<HTMLCanvasElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.floor((event.clientX - box.left) * dpr);
    if (pages.length === 0 || x < 0 || x >= width) return;
    // The middle of the column's share of pages.
    const first = columnFirstPage(x, width, pages.length);
    const end = Math.max(first + 1, columnFirstPage(x + 1, width, pages.length));
    onJump(Math.min(pages.length - 1, Math.floor((first + end - 1) / 2)));
  };

  const total = pages.length * props.pageSize;
  return (
    <div ref={boxRef} className="page-map-minimap" data-width={width}>
      <canvas
        ref={canvasRef}
        className="page-map-minimap-canvas"
        role="img"
        aria-label={`All ${formatBytes(total)} of the memory to scale; click to show a part of it in the map`}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          jumpTo(event);
        }}
        onPointerMove={(event) => {
          if (event.buttons & 1) jumpTo(event);
        }}
      />
      <div className="page-map-minimap-scale" aria-hidden="true">
        <span>0</span>
        <span>{formatBytes(total)}</span>
      </div>
    </div>
  );
}
