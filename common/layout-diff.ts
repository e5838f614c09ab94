// Differences between two modules' memory layouts: per memory the image geometry and
// verdict, the data segments added/removed/moved/resized, and the pages whose image
// differs, plus one address-ordered list of differences for next/previous navigation.
//
// Pure and DOM-free: both the host and the webview import it.
// It works on the report as `inspectModule` returns it (bigints) and as the webview gets
// it from the JSON text (numbers).

import { hex } from "./format";
import type { BigintsAs } from "./bigints-as";
import type { DataSegmentJson, ImageJson } from "./report-types";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, type StaticLayer } from "./layer-values";

/** A report value: bigints in the report object, numbers once parsed. */
type Loose<T> = BigintsAs<T, number | bigint>;

export type ImageLike = Pick<
  Loose<ImageJson>,
  "memory" | "static" | "reason" | "offset" | "length" | "pages" | "nonzeroPages" | "dataBytes"
>;
export type SegmentLike = Pick<
  Loose<DataSegmentJson>,
  "index" | "memory" | "name" | "size" | "start"
>;

/** The parts of an inspect report (object or parsed JSON) the diff reads. */
export interface ReportLike {
  plan: { pageSize: number };
  images: readonly ImageLike[];
  dataSegments: readonly SegmentLike[];
}

export interface LayoutSide {
  report: ReportLike;
  /** Static page layers (memory-layers.ts), one per memory. */
  layers: readonly Pick<StaticLayer, "memory" | "pageSize" | "pages">[];
  /** Per memory, `pageHashes` of its image bytes (empty without an image); when both
   *  sides have them, pages are compared by content and not only by kind. */
  pageHashes?: readonly Uint32Array[] | null;
  /** The report's data segments as the diff reads them, when the caller has them so
   *  already (segmentsOfColumns): `report.dataSegments` is then not read, and 100,000
   *  segments are not copied once more. */
  segmentRefs?: readonly SegmentRef[];
}

// ---------------------------------------------------------------------------------------
// Page hashes

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const primePowerTables = new Map<number, Int32Array>();

/** FNV_PRIME^k mod 2^32 for k in [0, pageSize]: hashing k zero bytes multiplies the state
 *  by it (x ^ 0 = x), so a run of zeros costs one multiplication. */
function primePowers(pageSize: number): Int32Array {
  let powers = primePowerTables.get(pageSize);
  if (!powers) {
    powers = new Int32Array(pageSize + 1);
    powers[0] = 1;
    for (let k = 1; k <= pageSize; k++) powers[k] = Math.imul(powers[k - 1]!, FNV_PRIME);
    primePowerTables.set(pageSize, powers);
  }
  return powers;
}

/** The hash of an all-zero page: what every page outside an image holds. */
export function zeroPageHash(pageSize: number): number {
  return Math.imul(FNV_OFFSET, primePowers(pageSize)[pageSize]!) >>> 0;
}

/** FNV-1a (32-bit) of every `pageSize` bytes of an image; a short last page is hashed as
 *  if padded with zeros, so it equals the hash of the same page in a longer image. */
export function pageHashes(imageBytes: Uint8Array, pageSize: number): Uint32Array {
  return pageHashesOfRuns(imageBytes.length, pageSize, (visit) =>
    visit(0, imageBytes, 0, imageBytes.length),
  );
}

/** A run of an image's bytes: `source[from, to)` lies at `address`. */
export type ImageRunVisitor = (
  address: number,
  source: Uint8Array,
  from: number,
  to: number,
) => void;

/** `pageHashes` of a `length`-byte image given as runs of bytes at increasing,
 *  non-overlapping addresses, zeros elsewhere, without making the image: a 50 MB image
 *  is a 50 MB allocation, slow where every fresh page faults, and the cost here follows
 *  the data, not the span. */
export function pageHashesOfRuns(
  length: number,
  pageSize: number,
  forEachRun: (visit: ImageRunVisitor) => void,
): Uint32Array {
  const hashes = new Uint32Array(Math.ceil(length / pageSize)).fill(zeroPageHash(pageSize));
  const powers = primePowers(pageSize);
  // The page being hashed, its state, and how many of its bytes the state covers.
  let page = -1;
  let hash = 0;
  let covered = 0;
  const finishPage = (): void => {
    if (page >= 0) hashes[page] = Math.imul(hash, powers[pageSize - covered]!) >>> 0;
  };
  forEachRun((address, source, from, to) => {
    for (let i = from; i < to;) {
      const at = address + (i - from);
      if (Math.floor(at / pageSize) !== page) {
        finishPage();
        page = Math.floor(at / pageSize);
        hash = FNV_OFFSET;
        covered = 0;
      }
      const within = at - page * pageSize;
      const end = Math.min(to, i + pageSize - within);
      // A local in the hot loop: `hash` itself lives in the closure's context.
      let h = Math.imul(hash, powers[within - covered]!);
      covered = within + (end - i);
      for (; i < end; i++) h = Math.imul(h ^ source[i]!, FNV_PRIME);
      hash = h;
    }
  });
  finishPage();
  return hashes;
}

/** A memory's page hashes placed on the absolute page axis: the image starts at page
 *  `firstPage`; every other page is zero. */
export interface AlignedHashes {
  firstPage: number;
  hashes: Uint32Array;
}

/** Pages [first, end) on the shared axis (page i = address i × pageSize on both sides)
 *  whose contents differ, as maximal runs. */
export function diffPageHashes(
  left: AlignedHashes,
  right: AlignedHashes,
  pageSize: number,
): [number, number][] {
  const zero = zeroPageHash(pageSize);
  const hashAt = (side: AlignedHashes, page: number): number =>
    side.hashes[page - side.firstPage] ?? zero;
  // Outside both images both pages are zero: only the images' union can differ.
  const images = [left, right].filter((side) => side.hashes.length > 0);
  const first = Math.min(...images.map((side) => side.firstPage));
  const end = Math.max(0, ...images.map((side) => side.firstPage + side.hashes.length));
  const runs: [number, number][] = [];
  for (let page = images.length ? first : end; page < end; page++) {
    if (hashAt(left, page) === hashAt(right, page)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === page) last[1] = page + 1;
    else runs.push([page, page + 1]);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------
// The diff

export interface Delta<T> {
  left: T | null;
  right: T | null;
  /** right − left, when both are known. */
  delta: T | null;
  changed: boolean;
}

export interface Verdict {
  static: boolean;
  reason: string | null;
}

export type PageKind = "outside" | "zero" | "data";

export interface PageRangeDiff {
  firstPage: number;
  endPage: number;
  left: PageKind;
  right: PageKind;
  /** Whether the bytes differ; null when the contents were not compared. */
  contentDiffers: boolean | null;
  description: string;
}

export interface MemoryDiff {
  memory: number;
  inLeft: boolean;
  inRight: boolean;
  offset: Delta<bigint>;
  length: Delta<number>;
  pages: Delta<number>;
  nonzeroPages: Delta<number>;
  dataBytes: Delta<number>;
  verdict: { left: Verdict | null; right: Verdict | null; changed: boolean };
  /** Pages on the shared axis: max of both layers' page counts. */
  axisPages: number;
  /** Whether page contents were compared by hash (both sides had usable hashes). */
  contentCompared: boolean;
  pageRanges: PageRangeDiff[];
  /** 1 for every differing page of the axis (the page maps' markers). */
  marked: Uint8Array;
}

export interface SegmentRef {
  index: number;
  name: string | null;
  memory: number | null;
  start: bigint | null;
  size: number;
}

export type SegmentChangeKind = "added" | "removed" | "moved" | "resized" | "moved-resized";

export interface SegmentChange {
  kind: SegmentChangeKind;
  /** How the two sides were paired (null for added/removed). */
  matchedBy: "name" | "index" | null;
  left: SegmentRef | null;
  right: SegmentRef | null;
  description: string;
}

export type DifferenceKind = "image" | "segment" | "pages";

export interface Difference {
  memory: number;
  kind: DifferenceKind;
  /** Address range [start, end) covering both sides' part of the difference. */
  start: bigint;
  end: bigint;
  /** The same range in pages (at least one page, for selection). */
  firstPage: number;
  endPage: number;
  description: string;
  /** What the difference comes from, for linking it to the lists. */
  segmentChange?: SegmentChange;
  pageRange?: PageRangeDiff;
}

export interface LayoutDiff {
  pageSize: number;
  memories: MemoryDiff[];
  segments: SegmentChange[];
  /** Pairs of segments that match and did not change. */
  unchangedSegments: number;
  /** Ordered by memory, then address, then kind (image, segment, pages). */
  differences: Difference[];
}

export interface DiffOptions {
  /** False: every description left empty. For packing (packed-diff.ts), whose rows are
   *  rebuilt with theirs when shown: 100,000 descriptions are a third of the diff's time. */
  describe?: boolean;
}

export function diffLayouts(
  left: LayoutSide,
  right: LayoutSide,
  { describe = true }: DiffOptions = {},
): LayoutDiff {
  const pageSize = left.report.plan.pageSize;
  if (right.report.plan.pageSize !== pageSize) {
    throw new Error(
      `the reports use different page sizes (${pageSize} and ${right.report.plan.pageSize})`,
    );
  }
  const memoryCount = Math.max(left.report.images.length, right.report.images.length);
  const memories = Array.from({ length: memoryCount }, (_, memory) =>
    diffMemory(left, right, memory, pageSize, describe),
  );
  const refs = (side: LayoutSide) => side.segmentRefs ?? side.report.dataSegments.map(segmentRef);
  const { changes, unchanged } = diffSegments(refs(left), refs(right), describe);
  // Pushed one by one: spreading 100,000 rows into a new array costs more than the rows.
  const differences: Difference[] = [];
  for (const m of memories) differences.push(...imageDifference(m, pageSize));
  for (const change of changes) {
    const difference = segmentDifference(change, pageSize, describe);
    if (difference) differences.push(difference);
  }
  for (const m of memories) {
    for (const range of m.pageRanges)
      differences.push(pagesDifference(m.memory, range, pageSize, describe));
  }
  return {
    pageSize,
    memories,
    segments: changes,
    unchangedSegments: unchanged,
    differences: orderDifferences(differences),
  };
}

function big(value: number | bigint): bigint {
  return typeof value === "bigint" ? value : BigInt(value);
}

function delta(left: number | null, right: number | null): Delta<number>;
function delta(left: bigint | null, right: bigint | null): Delta<bigint>;
function delta(
  left: number | bigint | null,
  right: number | bigint | null,
): Delta<number | bigint> {
  return {
    left,
    right,
    delta: left === null || right === null ? null : (right as number) - (left as number),
    changed: left !== right,
  };
}

const minBig = (values: bigint[]): bigint => values.reduce((x, y) => (y < x ? y : x));
const maxBig = (values: bigint[]): bigint => values.reduce((x, y) => (y > x ? y : x));

function diffMemory(
  left: LayoutSide,
  right: LayoutSide,
  memory: number,
  pageSize: number,
  describe: boolean,
): MemoryDiff {
  const a = left.report.images[memory] ?? null;
  const b = right.report.images[memory] ?? null;
  const verdict = (image: ImageLike | null): Verdict | null =>
    image && { static: image.static, reason: image.reason };
  const offset = (image: ImageLike | null): bigint | null =>
    image?.offset == null ? null : big(image.offset);
  const count = (field: "pages" | "nonzeroPages" | "dataBytes") => (image: ImageLike | null) =>
    image ? image[field] : null;
  const [va, vb] = [verdict(a), verdict(b)];
  const pages = diffPages(left, right, memory, pageSize, describe);
  return {
    memory,
    inLeft: a !== null,
    inRight: b !== null,
    offset: delta(offset(a), offset(b)),
    length: delta(a?.length ?? null, b?.length ?? null),
    pages: delta(count("pages")(a), count("pages")(b)),
    nonzeroPages: delta(count("nonzeroPages")(a), count("nonzeroPages")(b)),
    dataBytes: delta(count("dataBytes")(a), count("dataBytes")(b)),
    verdict: {
      left: va,
      right: vb,
      changed: va?.static !== vb?.static || va?.reason !== vb?.reason,
    },
    ...pages,
  };
}

const KIND_OF_LAYER: Record<number, PageKind> = {
  [LAYER_IMAGE_ZERO]: "zero",
  [LAYER_IMAGE_DATA]: "data",
};
const KIND_TEXT: Record<PageKind, string> = {
  outside: "outside the image",
  zero: "zero page of the image",
  data: "data page of the image",
};

/** Hashes of a side's memory on the absolute axis, or null when they cannot be trusted
 *  to describe the whole image (none given, or not one per image page). */
function alignedHashes(side: LayoutSide, memory: number, pageSize: number): AlignedHashes | null {
  const hashes = side.pageHashes?.[memory];
  const image = side.report.images[memory];
  if (!hashes) return null;
  if (!image || image.offset == null || image.length === 0) {
    return hashes.length === 0 ? { firstPage: 0, hashes } : null;
  }
  if (hashes.length !== image.pages) return null;
  return { firstPage: Number(big(image.offset) / BigInt(pageSize)), hashes };
}

function diffPages(
  left: LayoutSide,
  right: LayoutSide,
  memory: number,
  pageSize: number,
  describe: boolean,
): Pick<MemoryDiff, "axisPages" | "contentCompared" | "pageRanges" | "marked"> {
  const layerOf = (side: LayoutSide): Uint8Array => {
    const layer = side.layers.find((l) => l.memory === memory);
    if (layer && layer.pageSize !== pageSize) {
      throw new Error(`memory ${memory}'s layer has page size ${layer.pageSize}, not ${pageSize}`);
    }
    return layer?.pages ?? new Uint8Array(0);
  };
  const [la, lb] = [layerOf(left), layerOf(right)];
  const axisPages = Math.max(la.length, lb.length);
  const ha = alignedHashes(left, memory, pageSize);
  const hb = alignedHashes(right, memory, pageSize);
  const contentDiffers = new Uint8Array(axisPages);
  if (ha && hb) {
    for (const [first, end] of diffPageHashes(ha, hb, pageSize)) {
      contentDiffers.fill(1, Math.min(first, axisPages), Math.min(end, axisPages));
    }
  }
  const compared = ha !== null && hb !== null;
  const marked = new Uint8Array(axisPages);
  const pageRanges: PageRangeDiff[] = [];
  for (let page = 0; page < axisPages; page++) {
    const kinds: [PageKind, PageKind] = [
      KIND_OF_LAYER[la[page] ?? 0] ?? "outside",
      KIND_OF_LAYER[lb[page] ?? 0] ?? "outside",
    ];
    const content = compared ? contentDiffers[page] === 1 : null;
    if (kinds[0] === kinds[1] && content !== true) continue;
    marked[page] = 1;
    const last = pageRanges[pageRanges.length - 1];
    if (
      last &&
      last.endPage === page &&
      last.left === kinds[0] &&
      last.right === kinds[1] &&
      last.contentDiffers === content
    ) {
      last.endPage = page + 1;
    } else {
      pageRanges.push({
        firstPage: page,
        endPage: page + 1,
        left: kinds[0],
        right: kinds[1],
        contentDiffers: content,
        description: "",
      });
    }
  }
  if (describe) for (const range of pageRanges) range.description = describePages(range, pageSize);
  return { axisPages, contentCompared: compared, pageRanges, marked };
}

export function describePages(range: PageRangeDiff, pageSize: number): string {
  const count = range.endPage - range.firstPage;
  const where =
    `${count === 1 ? `page ${range.firstPage}` : `pages ${range.firstPage}–${range.endPage - 1}`}` +
    ` (${hex(range.firstPage * pageSize)}–${hex(range.endPage * pageSize - 1)})`;
  const what =
    range.left === range.right
      ? `${KIND_TEXT[range.left]} on both sides, bytes differ`
      : `left ${KIND_TEXT[range.left]}, right ${KIND_TEXT[range.right]}` +
        (range.contentDiffers === false ? " (same bytes: zeros)" : "");
  return `${where}: ${what}`;
}

function segmentRef(segment: SegmentLike): SegmentRef {
  return {
    index: segment.index,
    name: segment.name,
    memory: segment.memory,
    start: segment.start === null ? null : big(segment.start),
    size: segment.size,
  };
}

/** Pairs segments by name when both sides name them (names unique on each side),
 *  otherwise by index; a pair in different memories (or active ↔ passive) is a removal
 *  plus an addition, since its addresses are not comparable. Right segments are tracked
 *  by their position in `right` (typed arrays, not sets of objects: 100,000 segments). */
function diffSegments(
  left: readonly SegmentRef[],
  right: readonly SegmentRef[],
  describe: boolean,
): { changes: SegmentChange[]; unchanged: number } {
  // Each side's names → the one position holding it, or -1 where a name is not unique.
  // Loops, not callbacks, here and below: this runs once per comparison, cold, over
  // 100,000 segments, and a loop is optimised while it runs.
  const namesOf = (segments: readonly SegmentRef[]): Map<string, number> => {
    const byName = new Map<string, number>();
    for (let at = 0; at < segments.length; at++) {
      const name = segments[at]!.name;
      if (name !== null) byName.set(name, byName.has(name) ? -1 : at);
    }
    return byName;
  };
  const [leftNames, rightNames] = [namesOf(left), namesOf(right)];
  const byNames = leftNames.size > 0 && rightNames.size > 0;
  // A segment's index is its position in a module: looked up there first, and in a map
  // (made once, when first needed) for sides where it is not.
  let byIndex: Map<number, number> | null = null;
  const rightAt = (index: number): number | undefined => {
    if (right[index]?.index === index) return index;
    byIndex ??= new Map(right.map((r, at) => [r.index, at]));
    return byIndex.get(index);
  };
  const pairedRight = new Uint8Array(right.length);
  const changes: SegmentChange[] = [];
  let unchanged = 0;
  const unpairedLeft: SegmentRef[] = [];
  const pair = (l: SegmentRef, at: number, by: "name" | "index"): void => {
    const r = right[at]!;
    pairedRight[at] = 1;
    if (l.memory !== r.memory) {
      changes.push(
        segmentChange("removed", null, l, null, describe),
        segmentChange("added", null, null, r, describe),
      );
      return;
    }
    const moved = l.start !== r.start;
    const resized = l.size !== r.size;
    if (!moved && !resized) unchanged++;
    else {
      const kind = moved && resized ? "moved-resized" : moved ? "moved" : "resized";
      changes.push(segmentChange(kind, by, l, r, describe));
    }
  };
  for (let at = 0; at < left.length; at++) {
    const l = left[at]!;
    const byName =
      byNames && l.name !== null && leftNames.get(l.name) === at ? rightNames.get(l.name) : -1;
    if (byName !== undefined && byName >= 0) pair(l, byName, "name");
    else unpairedLeft.push(l);
  }
  for (const l of unpairedLeft) {
    const at = rightAt(l.index);
    // Two different names are two different segments, whatever their indices.
    if (at !== undefined && !pairedRight[at] && (l.name === null || right[at]!.name === null))
      pair(l, at, "index");
    else changes.push(segmentChange("removed", null, l, null, describe));
  }
  for (let at = 0; at < right.length; at++) {
    if (!pairedRight[at]) changes.push(segmentChange("added", null, null, right[at]!, describe));
  }
  return { changes: sortChanges(changes), unchanged };
}

function segmentLabel(s: SegmentRef): string {
  return `segment ${s.index}${s.name === null ? "" : ` "${s.name}"`}`;
}

function placement(s: SegmentRef): string {
  const where = s.memory === null ? "passive" : `memory ${s.memory}`;
  const at = s.start === null ? "start unknown" : `at ${hex(s.start)}`;
  return `${where}, ${s.memory === null ? "" : `${at}, `}${s.size} bytes`;
}

/** A segment change with its description (also for rebuilding one from packed-diff.ts). */
export function segmentChange(
  kind: SegmentChangeKind,
  matchedBy: "name" | "index" | null,
  left: SegmentRef | null,
  right: SegmentRef | null,
  describe = true,
): SegmentChange {
  if (!describe) return { kind, matchedBy, left, right, description: "" };
  let description: string;
  if (!right) description = `${segmentLabel(left!)} removed (${placement(left!)})`;
  else if (!left) description = `${segmentLabel(right)} added (${placement(right)})`;
  else {
    const parts: string[] = [];
    const start = (s: SegmentRef): string => (s.start === null ? "unknown" : hex(s.start));
    if (left.start !== right.start) parts.push(`moved ${start(left)} → ${start(right)}`);
    if (left.size !== right.size) parts.push(`resized ${left.size} → ${right.size} bytes`);
    const names =
      left.index === right.index
        ? segmentLabel(right)
        : `${segmentLabel(left)} (now segment ${right.index})`;
    description = `${names}: ${parts.join(", ")}`;
  }
  return { kind, matchedBy, left, right, description };
}

const CHANGE_ORDER: Record<SegmentChangeKind, number> = {
  removed: 0,
  added: 1,
  moved: 2,
  resized: 2,
  "moved-resized": 2,
};

/** The lower of two starts, either unknown (null). */
function lowerStart(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  return b === null || a <= b ? a : b;
}

/** Memory (passive last), then the lowest known start (unknown last), then index, then
 *  kind; the keys made once, in columns, and an order of positions sorted (a key object
 *  per change, or a comparison of objects, would make 100,000 changes slow). */
function sortChanges(changes: SegmentChange[]): SegmentChange[] {
  const n = changes.length;
  const memory = new Float64Array(n);
  const start: (bigint | null)[] = new Array(n);
  const index = new Float64Array(n);
  const kind = new Uint8Array(n);
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = changes[i]!;
    const first = (c.left ?? c.right)!;
    memory[i] = first.memory ?? Infinity;
    start[i] = lowerStart(c.left?.start ?? null, c.right?.start ?? null);
    index[i] = first.index;
    kind[i] = CHANGE_ORDER[c.kind];
    order[i] = i;
  }
  order.sort((a, b) => {
    if (memory[a] !== memory[b]) return memory[a]! - memory[b]!;
    const sa = start[a]!;
    const sb = start[b]!;
    if (sa !== sb) {
      if (sa === null) return 1;
      if (sb === null) return -1;
      return sa < sb ? -1 : 1;
    }
    return index[a]! - index[b]! || kind[a]! - kind[b]!;
  });
  const sorted: SegmentChange[] = new Array(n);
  for (let i = 0; i < n; i++) sorted[i] = changes[order[i]!]!;
  return sorted;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Pages in doubles where exact (a page size is a power of two): no bigint and no object
// made per difference, of which there are 100,000.

/** The page holding `address`. */
function pageOf(address: bigint, pageSize: number): number {
  return address <= MAX_SAFE
    ? Math.floor(Number(address) / pageSize)
    : Number(address / BigInt(pageSize));
}

/** The page after [.., end)'s last one; at least one past `firstPage`: a difference covers
 *  at least one page, for selection. */
function endPageOf(end: bigint, firstPage: number, pageSize: number): number {
  const size = BigInt(pageSize);
  const endPage =
    end <= MAX_SAFE ? Math.ceil(Number(end) / pageSize) : Number((end + size - 1n) / size);
  return Math.max(firstPage + 1, endPage);
}

/** One difference per memory whose image geometry or verdict changed, over both images. */
export function imageDifference(m: Omit<MemoryDiff, "pageRanges">, pageSize: number): Difference[] {
  const fields: string[] = [];
  const verdictText = (v: Verdict | null): string =>
    v === null ? "no memory" : v.static ? "static image" : `no static image (${v.reason})`;
  if (m.verdict.changed)
    fields.push(`${verdictText(m.verdict.left)} → ${verdictText(m.verdict.right)}`);
  const show = (v: bigint | number | null, asHex: boolean): string =>
    v === null ? "none" : asHex ? hex(v) : String(v);
  const field = (name: string, d: Delta<bigint> | Delta<number>, asHex = false): void => {
    if (d.changed) fields.push(`${name} ${show(d.left, asHex)} → ${show(d.right, asHex)}`);
  };
  field("offset", m.offset, true);
  field("length", m.length);
  field("pages", m.pages);
  field("non-zero pages", m.nonzeroPages);
  field("data bytes", m.dataBytes);
  if (fields.length === 0) return [];
  const ranges: [bigint, bigint][] = [];
  for (const [offset, length] of [
    [m.offset.left, m.length.left],
    [m.offset.right, m.length.right],
  ] as const) {
    if (offset !== null) ranges.push([offset, offset + BigInt(length ?? 0)]);
  }
  // Without an image on either side the difference is memory-wide: shown at address 0.
  const start = ranges.length ? minBig(ranges.map((r) => r[0])) : 0n;
  const end = ranges.length ? maxBig(ranges.map((r) => r[1])) : 0n;
  const firstPage = pageOf(start, pageSize);
  return [
    {
      memory: m.memory,
      kind: "image",
      start,
      end,
      firstPage,
      endPage: endPageOf(end, firstPage, pageSize),
      description: `memory ${m.memory} image: ${fields.join("; ")}`,
    },
  ];
}

/** The side's segment when it has an address in some memory. */
function placed(s: SegmentRef | null): (SegmentRef & { start: bigint; memory: number }) | null {
  return s !== null && s.start !== null && s.memory !== null
    ? (s as SegmentRef & { start: bigint; memory: number })
    : null;
}

/** Starts below this plus a segment's size (< 2^32) stay exact in doubles. */
const SAFE_START = 1n << 52n;

/** Whether placed segment `a` ends at or after `b`: compared in doubles where exact, since
 *  bigint sums are an allocation each. */
function endsLater(a: { start: bigint; size: number }, b: { start: bigint; size: number }) {
  if (a.start < SAFE_START && b.start < SAFE_START)
    return Number(a.start) + a.size >= Number(b.start) + b.size;
  return a.start + BigInt(a.size) >= b.start + BigInt(b.size);
}

/** A segment change as a difference, when it has an address in some memory. */
export function segmentDifference(
  c: SegmentChange,
  pageSize: number,
  describe = true,
): Difference | null {
  const l = placed(c.left);
  const r = placed(c.right);
  const first = l ?? r;
  if (!first) return null;
  const start = lowerStart(l?.start ?? null, r?.start ?? null)!;
  const last = l && r ? (endsLater(l, r) ? l : r) : first;
  const end = last.start + BigInt(last.size);
  const firstPage = pageOf(start, pageSize);
  return {
    memory: first.memory,
    kind: "segment",
    start,
    end,
    firstPage,
    endPage: endPageOf(end, firstPage, pageSize),
    description: describe ? `memory ${first.memory}: ${c.description}` : "",
    segmentChange: c,
  };
}

/** A range of differing pages as a difference. */
export function pagesDifference(
  memory: number,
  range: PageRangeDiff,
  pageSize: number,
  describe = true,
): Difference {
  return {
    memory,
    kind: "pages",
    start: BigInt(range.firstPage) * BigInt(pageSize),
    end: BigInt(range.endPage) * BigInt(pageSize),
    firstPage: range.firstPage,
    endPage: range.endPage,
    description: describe ? `memory ${memory}: ${range.description}` : "",
    pageRange: range,
  };
}

const KIND_ORDER: Record<DifferenceKind, number> = { image: 0, segment: 1, pages: 2 };

function orderDifferences(differences: Difference[]): Difference[] {
  return differences.sort(
    (a, b) =>
      a.memory - b.memory ||
      (a.start === b.start ? 0 : a.start < b.start ? -1 : 1) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.end === b.end ? 0 : a.end < b.end ? -1 : 1),
  );
}
