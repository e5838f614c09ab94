// The module V8 validates in place of the file: the same bytes with every data segment's
// payload left out (each segment's length becomes 0). Validation never looks inside a
// payload: a data segment is valid when its memory exists and its offset expression is a
// constant of the memory's address type, and a payload is any `vec(byte)`. So the two
// modules are valid or invalid together, and the copy V8 makes of shared bytes shrinks to
// the headers (the 51 MB, 100,000-segment bench module on the CI-kind VM: 141 ms to
// validate, 10 ms without its payloads, the stripping included). Only a valid answer is
// taken from it: a rejection is asked of the real bytes again, whose message names the
// real offsets.

import { encodeSection } from "./binary-writer";
import type { WasmModule } from "./module-types";

/** The module's bytes without data payloads; the bytes themselves when they have none. */
export function withoutDataPayloads(module: WasmModule): Uint8Array {
  const section = module.sections.find((s) => s.id === 11);
  const segments = module.dataSegments;
  if (!section || !segments.some((s) => s.size > 0)) return module.bytes;
  const bytes = module.bytes;
  const firstEntry = segments.length ? segments[0]!.entryOffset : section.end;
  // The segment count as written, then each segment's header up to its length, and a 0.
  let size = firstEntry - section.start;
  for (const segment of segments) size += segment.lengthOffset - segment.entryOffset + 1;
  const payload = new Uint8Array(size);
  payload.set(bytes.subarray(section.start, firstEntry));
  let at = firstEntry - section.start;
  for (const segment of segments) {
    const header = bytes.subarray(segment.entryOffset, segment.lengthOffset);
    payload.set(header, at);
    at += header.length + 1; // the new length, 0, is already there
  }
  const data = encodeSection(11, payload);
  const out = new Uint8Array(section.headerOffset + data.length + bytes.length - section.end);
  out.set(bytes.subarray(0, section.headerOffset));
  out.set(data, section.headerOffset);
  out.set(bytes.subarray(section.end), section.headerOffset + data.length);
  return out;
}
