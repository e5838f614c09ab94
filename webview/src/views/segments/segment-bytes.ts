// What the Segments view can show of a selected segment's bytes: a read request for the
// image bytes it occupies, or the reason there are none to read.

import type { ReportJson, SegmentJson } from "../../../../common/report-json";
import { hex } from "../../../../common/format";

/** Bytes of a segment shown at most (the first ones). */
export const SEGMENT_BYTES_SHOWN = 4096;

export type SegmentBytesPlan =
  | { kind: "read"; memory: number; offset: number; length: number; note: string | null }
  | { kind: "none"; message: string };

export function segmentBytesPlan(report: ReportJson, segment: SegmentJson): SegmentBytesPlan {
  const label = `Segment ${segment.index}`;
  if (segment.mode === "passive" || segment.memory === null) {
    return {
      kind: "none",
      message: `${label} is passive: it is not in the image (memory.init copies it at run time).`,
    };
  }
  if (segment.start === null) {
    return {
      kind: "none",
      message: `${label} starts at an address known only at instantiation (offset ${offsetWords(segment)}): it has no place in the image.`,
    };
  }
  if (segment.size === 0) return { kind: "none", message: `${label} is empty.` };
  const image = report.images[segment.memory];
  if (!image || image.sha256 === null) {
    return {
      kind: "none",
      message: `Memory ${segment.memory} has no image to read bytes from${image?.explanation ? `: ${image.explanation}` : "."}`,
    };
  }
  const length = Math.min(segment.size, SEGMENT_BYTES_SHOWN);
  if (!Number.isSafeInteger(segment.start + length)) {
    return {
      kind: "none",
      message: `${label} starts at ${hex(segment.start)}, beyond what the view can address.`,
    };
  }
  const notes: string[] = [];
  if (length < segment.size) notes.push(`the first ${length} of ${segment.size} bytes`);
  if (!image.static)
    notes.push(`Wasmtime would not use this image (${image.reason ?? "no reason"})`);
  if (segment.bounds === "out-of-bounds")
    notes.push("the segment is out of bounds: instantiation traps");
  return {
    kind: "read",
    memory: segment.memory,
    offset: segment.start,
    length,
    note: notes.length ? `Image bytes: ${notes.join("; ")}.` : null,
  };
}

function offsetWords(segment: SegmentJson): string {
  const offset = segment.offset;
  if (offset?.kind === "global") return `global.get ${offset.global}`;
  if (offset?.kind === "expr") return offset.text;
  return "unknown";
}
