// The pixels of one cell per state: a tile of `cell × cell` colours (RGBA packed in a
// little-endian uint32, as ImageData's buffer holds them) that the painter copies row by
// row. Patterns need room: cells under PATTERN_FROM device pixels are flat colour.

import type { FillPattern } from "./palettes";

/** Cells at least this large (device pixels, gap excluded) show their pattern. */
export const PATTERN_FROM = 4;

export interface TileColors {
  /** The state's colour. */
  ink: number;
  /** The state's colour washed towards the background (between pattern lines). */
  wash: number;
  /** The map's background (gaps, hollow insides). */
  background: number;
  /** "Nothing here" states. */
  faint: number;
}

function on(pattern: FillPattern, px: number, py: number, size: number): boolean | "wash" {
  const scale = Math.max(1, Math.floor(size / 12));
  const u = Math.floor(px / scale);
  const v = Math.floor(py / scale);
  switch (pattern) {
    case "solid":
      return true;
    case "outline": {
      const border = Math.max(1, Math.floor(size / 6));
      return px < border || py < border || px >= size - border || py >= size - border;
    }
    case "hatched":
      return (u + v) % 3 === 0 || "wash";
    case "cross":
      return (u + v) % 4 === 0 || (u - v + 400) % 4 === 0 || "wash";
    case "dotted":
      return (u % 3 === 1 && v % 3 === 1) || "wash";
    case "columns":
      return u % 3 === 0 || "wash";
    case "empty":
      return false;
  }
}

/** A cell's pixels: `cell` rows of `cell` colours; the last `gap` rows and columns are
 *  background. */
export function cellTile(
  pattern: FillPattern,
  colors: TileColors,
  cell: number,
  gap: number,
): Uint32Array {
  const tile = new Uint32Array(cell * cell).fill(colors.background);
  const size = cell - gap;
  const patterned = size >= PATTERN_FROM;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let color: number;
      if (pattern === "empty") color = colors.faint;
      else if (!patterned) color = colors.ink;
      else {
        const hit = on(pattern, px, py, size);
        color = hit === true ? colors.ink : hit === "wash" ? colors.wash : colors.background;
      }
      tile[py * cell + px] = color;
    }
  }
  return tile;
}

/** The tile with a marker: a corner triangle in `mark` with a background edge, or the
 *  whole cell in `mark` when the cell is too small for a triangle. */
export function markedTile(
  tile: Uint32Array,
  cell: number,
  gap: number,
  mark: number,
  edge: number,
): Uint32Array {
  const out = tile.slice();
  const size = cell - gap;
  if (size < PATTERN_FROM) {
    for (let py = 0; py < size; py++) out.fill(mark, py * cell, py * cell + size);
    return out;
  }
  const corner = Math.max(3, Math.floor(size / 2));
  for (let py = 0; py < corner; py++) {
    for (let px = size - corner; px < size; px++) {
      const depth = size - 1 - px + py; // 0 at the corner, grows towards the diagonal
      if (depth < corner - 1) out[py * cell + px] = mark;
      else if (depth === corner - 1) out[py * cell + px] = edge;
    }
  }
  return out;
}
