// The data segments of a module as wabt's wasm-objdump lists them: the oracle for the
// Segments tab (a decoder that is not ours).

import { spawnSync } from "node:child_process";

export interface DumpedSegment {
  index: number;
  /** null for a passive segment. */
  memory: number | null;
  size: number;
  /** The constant i32 offset, when it is one. */
  start: number | null;
  /** The global whose value is the offset, when it is `global.get N`. */
  global: number | null;
}

export function objdumpDataSegments(file: string): DumpedSegment[] {
  // -x prints every segment's bytes too: 8.7 MB of text for dense.wasm's 2 MiB.
  const run = spawnSync("wasm-objdump", ["-x", "-j", "Data", file], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`wasm-objdump failed on ${file}: ${run.error?.message ?? run.stderr}`);
  }
  const segments: DumpedSegment[] = [];
  for (const line of run.stdout.split("\n")) {
    // " - segment[0] memory=0 size=23 - init i32=1048576", " - segment[1] passive size=3",
    // with a name-section name " - segment[0] <.rodata> memory=0 size=21 - init i32=1024",
    // and " - segment[0] memory=0 size=16 - init global=0 <memory_base>"
    const match =
      /^ - segment\[(\d+)\](?: <[^>]*>)?(?: memory=(\d+))?(?: passive)? size=(\d+)(?: - init (?:i32=(-?\d+)|global=(\d+)))?/.exec(
        line,
      );
    if (!match) continue;
    segments.push({
      index: Number(match[1]),
      memory: match[2] === undefined ? null : Number(match[2]),
      size: Number(match[3]),
      start: match[4] === undefined ? null : Number(match[4]) >>> 0,
      global: match[5] === undefined ? null : Number(match[5]),
    });
  }
  return segments;
}
