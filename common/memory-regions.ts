// Where a module's memory holds what: named data segments (`.rodata`, `.data`), and from
// the linker's landmarks (report `landmarks`) the static data, the stack and the heap.
// The Overview draws them (and `wasm-cow inspect` lists them); a run's written pages are
// attributed to them ("9 pages dirtied: 7 .data, 2 stack") on the Overview, in the stepper
// and on the page map.

import { grouped } from "./format";
import { PAGE_STATES } from "./page-states";

/** Globals wasm-ld defines, as a module may expose them (export or name section). */
export const LANDMARK_NAMES = [
  "__global_base",
  "__data_end",
  "__stack_low",
  "__stack_high",
  "__stack_pointer",
  "__heap_base",
  "__heap_end",
] as const;

export type LandmarkName = (typeof LANDMARK_NAMES)[number];

/** A landmark as the report has it (numbers in the webview's JSON, bigints in the host). */
export interface LandmarkValue {
  name: LandmarkName;
  value: number | bigint | null;
}

export type RegionKind = "segment" | "data" | "stack" | "heap";

export interface MemoryRegion {
  kind: RegionKind;
  /** ".rodata", "static data", "stack", "heap". */
  label: string;
  /** Bytes [start, end) of the memory. */
  start: number;
  end: number;
  /** How the bounds were found, for a tooltip ("__data_end … __stack_pointer"). */
  source: string;
}

export interface RegionInputs {
  /** Memory 0's landmarks: they describe memory 0 only. */
  landmarks: readonly LandmarkValue[];
  /** Active segments of this memory with a known start. */
  segments: readonly { name: string | null; start: number; size: number }[];
  /** The memory's initial size in bytes. */
  size: number;
}

/** The regions of one memory, named segments first; empty when nothing is known. */
export function memoryRegions(inputs: RegionInputs): MemoryRegion[] {
  const clip = (region: MemoryRegion): MemoryRegion[] => {
    const start = Math.max(0, region.start);
    const end = Math.min(inputs.size, region.end);
    return end > start ? [{ ...region, start, end }] : [];
  };
  return [...namedSegmentRegions(inputs), ...landmarkRegions(inputs)].flatMap(clip);
}

/** More distinct segment names than this (a module naming every string) are too fine to
 *  draw or to attribute pages to: such a module gets landmark regions only. */
const MAX_NAMED_REGIONS = 64;

/** One region per output section, spanning its segments: wasm-ld names each segment
 *  after its section, and a section split into many segments ".rodata", ".rodata.1",
 *  ".rodata.2", … (php-wasm has 77,823 of them). */
function namedSegmentRegions(inputs: RegionInputs): MemoryRegion[] {
  const spans = new Map<string, { start: number; end: number; count: number }>();
  for (const segment of inputs.segments) {
    if (segment.name === null || segment.size === 0) continue;
    const name = segment.name.replace(/\.\d+$/, "");
    const end = segment.start + segment.size;
    const span = spans.get(name);
    if (span) {
      span.start = Math.min(span.start, segment.start);
      span.end = Math.max(span.end, end);
      span.count++;
    } else spans.set(name, { start: segment.start, end, count: 1 });
  }
  if (spans.size > MAX_NAMED_REGIONS) return [];
  return [...spans].map(([name, span]) => ({
    kind: "segment" as const,
    label: name,
    start: span.start,
    end: span.end,
    source: span.count === 1 ? "a data segment's name" : `${span.count} data segments so named`,
  }));
}

function landmarkRegions(inputs: RegionInputs): MemoryRegion[] {
  const value = (name: LandmarkName): number | null => {
    const found = inputs.landmarks.find((landmark) => landmark.name === name)?.value;
    return found === undefined || found === null ? null : Number(found);
  };
  // A loop, not Math.min(...): a module can have 100,000 segments, too many arguments.
  let segmentsStart: number | null = null;
  let segmentsEnd: number | null = null;
  for (const segment of inputs.segments) {
    if (segment.size === 0) continue;
    segmentsStart = Math.min(segmentsStart ?? Infinity, segment.start);
    segmentsEnd = Math.max(segmentsEnd ?? -Infinity, segment.start + segment.size);
  }
  const dataStart = value("__global_base") ?? segmentsStart;
  const dataEnd = value("__data_end");
  const regions: MemoryRegion[] = [];
  if (dataEnd !== null && dataStart !== null && dataEnd > dataStart) {
    regions.push({
      kind: "data",
      label: "static data",
      start: dataStart,
      end: dataEnd,
      source: `${value("__global_base") !== null ? "__global_base" : "the first segment"} … __data_end`,
    });
  }
  const stack = stackSpan(value, dataStart, dataEnd ?? segmentsEnd);
  if (stack) regions.push({ kind: "stack", label: "stack", ...stack });
  const heapBase = value("__heap_base");
  if (heapBase !== null) {
    const heapEnd = value("__heap_end");
    regions.push({
      kind: "heap",
      label: "heap",
      start: heapBase,
      end: heapEnd ?? inputs.size,
      source: heapEnd !== null ? "__heap_base … __heap_end" : "__heap_base … the memory's end",
    });
  }
  return regions;
}

/** The stack's span: given by __stack_low/__stack_high, or from where __stack_pointer
 *  starts. The stack grows down, so it starts at its top: after the static data it
 *  spans [data end, top) (wasm-ld's default layout), before it [0, top) (--stack-first). */
function stackSpan(
  value: (name: LandmarkName) => number | null,
  dataStart: number | null,
  dataEnd: number | null,
): { start: number; end: number; source: string } | null {
  const low = value("__stack_low");
  const high = value("__stack_high");
  if (low !== null && high !== null)
    return { start: low, end: high, source: "__stack_low … __stack_high" };
  const top = value("__stack_pointer");
  if (top === null) return null;
  if (dataStart !== null && top <= dataStart)
    return { start: 0, end: top, source: "0 … __stack_pointer (the stack comes first)" };
  if (dataEnd !== null && top > dataEnd)
    return { start: dataEnd, end: top, source: "the data's end … __stack_pointer" };
  return null;
}

/** Page states that mean "written by the instance" (swapped pages were written first),
 *  least telling first (the Overview's picture ranks them so). */
export const DIRTIED_STATES = ["swapped", "imageDirty", "anonDirty"] as const;
const DIRTIED = new Set(DIRTIED_STATES.map((state) => PAGE_STATES.indexOf(state)));

/** A page two regions share goes to the one ranked higher: a named segment, the static
 *  data, the stack, the heap. The data's last page is the stack's first, and a write
 *  there is more likely data's (the stack grows down, away from it); the stack's top
 *  page is the heap's first, and the stack's top frame is written on every call. */
const RANK: Record<RegionKind, number> = { segment: 4, data: 3, stack: 2, heap: 1 };

/** The region a page belongs to, or null. */
export function regionOfPage(
  regions: readonly MemoryRegion[],
  page: number,
  pageSize: number,
): MemoryRegion | null {
  const start = page * pageSize;
  const end = start + pageSize;
  let best: MemoryRegion | null = null;
  for (const region of regions) {
    if (region.start >= end || region.end <= start) continue;
    if (best === null || RANK[region.kind] > RANK[best.kind]) best = region;
  }
  return best;
}

/** "in .data" for a page's description; empty outside every region. */
export function pageRegionText(
  regions: readonly MemoryRegion[],
  page: number,
  pageSize: number,
): string {
  const region = regionOfPage(regions, page, pageSize);
  return region ? `in ${region.label}` : "";
}

export interface DirtiedPages {
  /** Pages written (private copies or anonymous pages, swapped ones included). */
  total: number;
  /** Per region label, most pages first; pages in no region under "elsewhere"; empty
   *  when no region is known. */
  byRegion: { label: string; pages: number }[];
}

export function attributeDirtied(
  regions: readonly MemoryRegion[],
  states: Uint8Array,
  pageSize: number,
): DirtiedPages {
  const tally = new Map<string, number>();
  let total = 0;
  for (let page = 0; page < states.length; page++) {
    if (!DIRTIED.has(states[page]!)) continue;
    total++;
    const label = regionOfPage(regions, page, pageSize)?.label ?? "elsewhere";
    tally.set(label, (tally.get(label) ?? 0) + 1);
  }
  if (regions.length === 0) return { total, byRegion: [] };
  const byRegion = [...tally]
    .map(([label, pages]) => ({ label, pages }))
    .sort((a, b) => b.pages - a.pages || a.label.localeCompare(b.label));
  return { total, byRegion };
}

/** "9 pages dirtied: 7 .data, 2 stack"; without regions, "9 pages dirtied". */
export function dirtiedText(dirtied: DirtiedPages): string {
  const head = `${grouped(dirtied.total)} ${dirtied.total === 1 ? "page" : "pages"} dirtied`;
  if (dirtied.total === 0 || dirtied.byRegion.length === 0) return head;
  const parts = dirtied.byRegion.map((part) => `${grouped(part.pages)} ${part.label}`);
  return `${head}: ${parts.join(", ")}`;
}

/** What reportRegions reads of a report (bigints in the host's, numbers in the JSON). */
export interface RegionReport {
  landmarks: readonly LandmarkValue[];
  dataSegments: readonly {
    mode: "active" | "passive";
    memory: number | null;
    name: string | null;
    start: number | bigint | null;
    size: number;
  }[];
  memories: readonly { index: number; minPages: number | bigint; pageSizeLog2: number }[];
}

/** The regions of a report's memory (its initial size; landmarks for memory 0 only). */
export function reportRegions(report: RegionReport, memory: number): MemoryRegion[] {
  const definition = report.memories[memory];
  if (!definition) return [];
  return memoryRegions({
    landmarks: memory === 0 ? report.landmarks : [],
    segments: report.dataSegments.flatMap((segment) =>
      segment.mode === "active" && segment.memory === memory && segment.start !== null
        ? [{ name: segment.name, start: Number(segment.start), size: segment.size }]
        : [],
    ),
    size: Number(definition.minPages) * 2 ** definition.pageSizeLog2,
  });
}
