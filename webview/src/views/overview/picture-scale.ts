// The Overview picture's horizontal scale: a memory's addresses onto pixels, linear where
// something is (the image, segments, regions) and log-compressed across long empty gaps,
// so 3 bytes 3 GiB into a 4 GiB memory get a visible share of the width. Every
// compressed gap is reported, so the picture can mark the break and say its size.

export interface ScalePiece {
  /** Bytes [start, end) and pixels [x0, x1). */
  start: number;
  end: number;
  x0: number;
  x1: number;
  /** Something lies here (an image, a segment, a region); else an empty gap. */
  filled: boolean;
  /** An empty gap long enough to be drawn log-compressed, not to scale. */
  compressed: boolean;
}

export interface PictureScale {
  width: number;
  pieces: ScalePiece[];
  /** The pixel of an address (linear within its piece). */
  x(address: number): number;
}

/** No span drawn much narrower than this share of the width (a 4 KiB image in 4 GiB). */
const MIN_SHARE = 0.006;

export function pictureScale(
  spans: readonly (readonly [number, number])[],
  total: number,
  width: number,
): PictureScale {
  const inside = spans
    .map(([start, end]) => [Math.max(0, start), Math.min(total, end)] as const)
    .filter(([start, end]) => end > start);
  const cuts = [...new Set([0, total, ...inside.flat()])].sort((a, b) => a - b);
  const parts = cuts.slice(1).map((end, i) => {
    const start = cuts[i]!;
    const middle = (start + end) / 2;
    const filled = inside.some(([s, e]) => s <= middle && middle < e);
    return { start, end, filled };
  });
  const filledBytes = parts.reduce((sum, p) => sum + (p.filled ? p.end - p.start : 0), 0);
  // Gaps up to this long stay to scale; longer ones grow with the logarithm of their
  // length. A quarter of what is filled, and never less than a thousandth of the memory,
  // keeps a memory that is mostly filled (or has nothing in it) linear.
  const threshold = Math.max(filledBytes / 4, total / 1000, 1);
  const weights = parts.map(({ start, end, filled }) => {
    const length = end - start;
    return filled || length <= threshold ? length : threshold * (1 + Math.log(length / threshold));
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const least = sum * MIN_SHARE;
  const widened = weights.map((w, i) => (parts[i]!.filled ? Math.max(w, least) : w));
  const widenedSum = widened.reduce((a, b) => a + b, 0) || 1;
  let x = 0;
  const pieces: ScalePiece[] = parts.map((part, i) => {
    const x0 = x;
    x += (widened[i]! / widenedSum) * width;
    const length = part.end - part.start;
    return {
      ...part,
      x0,
      x1: x,
      compressed: !part.filled && length > threshold,
    };
  });
  const at = (address: number): number => {
    // Binary search: pieces are sorted and touch.
    let low = 0;
    let high = pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (pieces[mid]!.start <= address) low = mid;
      else high = mid - 1;
    }
    const piece = pieces[low];
    if (!piece) return 0;
    const fraction = (address - piece.start) / (piece.end - piece.start || 1);
    return piece.x0 + Math.min(1, Math.max(0, fraction)) * (piece.x1 - piece.x0);
  };
  return { width, pieces, x: at };
}
