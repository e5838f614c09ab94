// visiblePieces against the naive model of instantiation: every segment's bytes written
// in index order into a byte array, the last writer of each byte winning. Both of its
// ways are checked: segments in address order without overlaps (taken whole) and any
// other placement (swept).

import assert from "node:assert/strict";
import { test } from "node:test";
import { visiblePieces } from "../../extension/analysis/segment-layout";
import type { DataSegment } from "../../extension/analysis/module-types";

/** A segment at a relative address. */
interface PlacedSegment {
  segment: DataSegment;
  address: number;
}

function segment(index: number, length: number): DataSegment {
  return {
    index,
    entryOffset: 0,
    mode: "active",
    memory: 0,
    offsetExpr: null,
    i32Offset: -1,
    lengthOffset: 0,
    data: new Uint8Array(length),
    size: length,
    dataOffset: 0,
  };
}

/** Which segment (and which of its bytes) each address shows: [segment, byte] or null. */
function writerMap(placed: PlacedSegment[], span: number): ([number, number] | null)[] {
  const map: ([number, number] | null)[] = new Array(span).fill(null);
  for (const { segment, address } of placed) {
    for (let i = 0; i < segment.data.length; i++) map[address + i] = [segment.index, i];
  }
  return map;
}

function piecesMap(placed: PlacedSegment[], span: number): ([number, number] | null)[] {
  const map: ([number, number] | null)[] = new Array(span).fill(null);
  let end = -1;
  const pieces = visiblePieces({
    segments: placed.map((p) => p.segment),
    addresses: placed.map((p) => p.address),
  });
  for (let p = 0; p < pieces.count; p++) {
    const address = pieces.address[p]!;
    assert.ok(address >= end, "pieces are in address order and do not overlap");
    for (let i = 0; i < pieces.length[p]!; i++) {
      map[address + i] = [pieces.segment[p]!, pieces.sourceOffset[p]! + i];
    }
    end = address + pieces.length[p]!;
  }
  return map;
}

test("visible pieces show each byte's last writer, for ordered and overlapping placements", () => {
  let seed = 11;
  const random = (below: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % below;
  };
  let ordered = 0;
  for (let round = 0; round < 2_000; round++) {
    const count = 1 + random(8);
    const placed: PlacedSegment[] = [];
    let cursor = 0;
    const inOrder = round % 2 === 0;
    for (let index = 0; index < count; index++) {
      const length = random(6);
      const address = inOrder ? cursor + random(3) : random(24);
      placed.push({ segment: segment(index, length), address });
      cursor = address + length;
    }
    if (inOrder) ordered++;
    assert.deepEqual(piecesMap(placed, 40), writerMap(placed, 40), JSON.stringify(placed));
  }
  assert.equal(ordered, 1_000);
});
