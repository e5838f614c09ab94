// Segment columns (common/segment-columns.ts) give back the segments they were made of,
// 64-bit starts exactly, unknown starts and passive segments included.

import assert from "node:assert/strict";
import { test } from "node:test";
import { segmentColumns, segmentsOfColumns } from "../../common/segment-columns";
import type { SegmentLike } from "../../common/layout-diff";

test("columns round-trip segments, with exact 64-bit starts", () => {
  const segments: SegmentLike[] = [
    { index: 0, memory: 0, name: "a", size: 4, start: 16n },
    { index: 1, memory: null, name: null, size: 0, start: null },
    { index: 2, memory: 1, name: "c", size: 8, start: (1n << 64n) - 9n },
    { index: 3, memory: 0, name: null, size: 1, start: null },
  ];
  const columns = structuredClone(segmentColumns(segments));
  assert.deepEqual(segmentsOfColumns(columns), segments);
});

test("columns of unnamed segments carry no names; numbers become bigints", () => {
  const columns = segmentColumns([{ index: 5, memory: 0, name: null, size: 2, start: 9 }]);
  assert.equal(columns.names, null);
  assert.deepEqual(segmentsOfColumns(columns), [
    { index: 5, memory: 0, name: null, size: 2, start: 9n },
  ]);
});
