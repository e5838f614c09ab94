// Pages onto the picture's pixels: each pixel column takes the highest-ranked value of
// the pages drawn on it (data over zero pages; any dirtied page over none), and equal
// neighbouring columns merge into one run, so a 25 MiB image becomes at most one
// rectangle per pixel, never one per page.

import type { PictureScale } from "./picture-scale";

export interface PixelRun {
  x0: number;
  x1: number;
  value: number;
}

/** `rank(value)` orders values; 0 means "not drawn". */
export function pixelRuns(
  values: Uint8Array,
  pageSize: number,
  scale: PictureScale,
  rank: (value: number) => number,
): PixelRun[] {
  const width = Math.max(1, Math.ceil(scale.width));
  const best = new Uint8Array(width);
  const bestRank = new Uint8Array(width);
  for (let page = 0; page < values.length; page++) {
    const value = values[page]!;
    const r = rank(value);
    if (r === 0) continue;
    const x0 = Math.min(width - 1, Math.floor(scale.x(page * pageSize)));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.ceil(scale.x((page + 1) * pageSize))));
    for (let x = x0; x < x1; x++) {
      if (r > bestRank[x]!) {
        bestRank[x] = r;
        best[x] = value;
      }
    }
  }
  const runs: PixelRun[] = [];
  for (let x = 0; x < width; x++) {
    if (bestRank[x] === 0) continue;
    const last = runs.at(-1);
    if (last && last.x1 === x && last.value === best[x]) last.x1 = x + 1;
    else runs.push({ x0: x, x1: x + 1, value: best[x]! });
  }
  return runs;
}
