// What the compare view must list for two modules, worked out naively from the two
// `wasm-cow inspect --json` outputs and the files' bytes, without the extension's diff
// (extension/analysis/layout-diff.ts): both memories are built byte by byte from their
// active segments, every page on the shared axis is classified (outside the image, zero
// page of the image, data page of the image) and compared, segments are paired by index.
//
// Scope: the sample modules (one memory each, static images, unnamed active segments);
// anything else fails loudly instead of being guessed.

import type { InspectJson } from "./cli";

export type PageKind = "outside" | "zero" | "data";

export interface ExpectedImageRow {
  field: "offset" | "length" | "pages" | "nonzeroPages" | "dataBytes";
  left: string;
  right: string;
  delta: string;
}

export interface ExpectedDifference {
  kind: "image" | "segment" | "pages";
  start: number;
  end: number;
}

export interface ExpectedCompare {
  imageRows: ExpectedImageRow[];
  /** Segment changes in address order: kind and the indices on each side ("" if none). */
  segments: { kind: string; left: string; right: string }[];
  unchangedSegments: number;
  /** Differing page runs [first, end). */
  pageRanges: { first: number; end: number }[];
  differences: ExpectedDifference[];
}

interface Side {
  json: InspectJson;
  bytes: Uint8Array;
}

const WASM_PAGE = 65536;

export function expectedCompare(left: Side, right: Side): ExpectedCompare {
  for (const side of [left, right]) checkScope(side.json);
  const pageSize = left.json.plan.pageSize;
  const [a, b] = [left.json.images[0]!, right.json.images[0]!];

  const fields = ["offset", "length", "pages", "nonzeroPages", "dataBytes"] as const;
  const imageRows = fields.map((field) => {
    const [l, r] = [a[field]!, b[field]!];
    // The cells' exact values (data-value): plain integers, the delta signed.
    return { field, left: String(l), right: String(r), delta: String(r - l) };
  });

  // Pages on one axis: page i is bytes [i × pageSize, (i + 1) × pageSize) on both sides.
  const memories = [left, right].map((side) => memoryBytes(side));
  const axisPages = Math.max(...memories.map((m) => m.length / pageSize));
  const kindOf = (side: number, page: number): PageKind => {
    const image = [a, b][side]!;
    const from = page * pageSize;
    if (from < image.offset! || from >= image.offset! + image.length) return "outside";
    const bytes = memories[side]!.subarray(from, from + pageSize);
    return bytes.some((byte) => byte !== 0) ? "data" : "zero";
  };
  const pageRanges: { first: number; end: number; key: string }[] = [];
  for (let page = 0; page < axisPages; page++) {
    const kinds = [kindOf(0, page), kindOf(1, page)];
    const differs = !samePage(memories[0]!, memories[1]!, page, pageSize);
    if (kinds[0] === kinds[1] && !differs) continue;
    const key = `${kinds[0]}/${kinds[1]}/${differs}`;
    const last = pageRanges.at(-1);
    if (last && last.end === page && last.key === key) last.end = page + 1;
    else pageRanges.push({ first: page, end: page + 1, key });
  }

  const segments: { kind: string; left: string; right: string; start: number; end: number }[] = [];
  let unchangedSegments = 0;
  const [ls, rs] = [left.json.dataSegments, right.json.dataSegments];
  for (let index = 0; index < Math.max(ls.length, rs.length); index++) {
    const [l, r] = [ls[index], rs[index]];
    const present = [l, r].filter((s) => s !== undefined);
    const start = Math.min(...present.map((s) => s.start!));
    const end = Math.max(...present.map((s) => s.start! + s.size));
    const entry = { left: l ? String(index) : "", right: r ? String(index) : "", start, end };
    if (!l) segments.push({ kind: "added", ...entry });
    else if (!r) segments.push({ kind: "removed", ...entry });
    else {
      const moved = l.start !== r.start;
      const resized = l.size !== r.size;
      if (!moved && !resized) unchangedSegments++;
      else
        segments.push({
          kind: moved && resized ? "moved-resized" : moved ? "moved" : "resized",
          ...entry,
        });
    }
  }
  segments.sort((x, y) => x.start - y.start);

  const imageChanged = a.static !== b.static || imageRows.some((row) => row.left !== row.right);
  const imageStart = Math.min(a.offset!, b.offset!);
  const imageEnd = Math.max(a.offset! + a.length, b.offset! + b.length);
  const kindOrder = { image: 0, segment: 1, pages: 2 };
  const differences: ExpectedDifference[] = [
    ...(imageChanged ? [{ kind: "image" as const, start: imageStart, end: imageEnd }] : []),
    ...segments.map((s) => ({ kind: "segment" as const, start: s.start, end: s.end })),
    ...pageRanges.map((r) => ({
      kind: "pages" as const,
      start: r.first * pageSize,
      end: r.end * pageSize,
    })),
  ].sort((x, y) => x.start - y.start || kindOrder[x.kind] - kindOrder[y.kind] || x.end - y.end);

  return {
    imageRows,
    segments: segments.map(({ kind, left, right }) => ({ kind, left, right })),
    unchangedSegments,
    pageRanges: pageRanges.map(({ first, end }) => ({ first, end })),
    differences,
  };
}

function checkScope(json: InspectJson): void {
  const problems = [
    json.memories.length !== 1 && "not exactly one memory",
    json.memories[0]?.pageSizeLog2 !== 16 && "not 64 KiB wasm pages",
    !json.images[0]?.static && "no static image",
    json.dataSegments.some((s) => s.mode !== "active" || s.memory !== 0 || s.start === null) &&
      "a segment that is not active at a known address in memory 0",
    json.dataSegments.some((s) => s.name !== null) && "named segments",
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(`expectedCompare cannot handle ${String(json.file)}: ${problems.join(", ")}`);
  }
}

/** The memory's initial bytes: zeros, then every active segment copied in, in order. */
function memoryBytes({ json, bytes }: Side): Uint8Array {
  const memory = new Uint8Array(json.memories[0]!.minPages * WASM_PAGE);
  for (const segment of json.dataSegments) {
    memory.set(
      bytes.subarray(segment.fileOffset, segment.fileOffset + segment.size),
      segment.start!,
    );
  }
  return memory;
}

/** Whether both memories hold the same bytes in `page` (bytes past a memory's end are 0). */
function samePage(left: Uint8Array, right: Uint8Array, page: number, pageSize: number): boolean {
  for (let i = page * pageSize; i < (page + 1) * pageSize; i++) {
    if ((left[i] ?? 0) !== (right[i] ?? 0)) return false;
  }
  return true;
}
