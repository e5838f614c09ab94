// Segment columns (common/segment-columns.ts) give back the segments they were made of,
// 64-bit starts exactly, unknown starts and passive segments included; the analysis
// worker's columns, made from the module and its plan, equal the report's segments'.

import assert from "node:assert/strict";
import { test } from "node:test";
import { segmentColumns, segmentsOfColumns } from "../../common/segment-columns";
import type { SegmentLike } from "../../common/layout-diff";
import { DEFAULT_DENSE_LIMIT, planImages } from "../../extension/analysis/image-planner";
import { segmentColumnsOf, segmentsJsonOf } from "../../extension/analysis/inspect";
import { readModule } from "../../extension/analysis/module-reader";
import {
  activeData,
  activeDataOn,
  constExpr,
  dataSection,
  globalSection,
  globalType,
  i32Offset,
  memorySection,
  module,
  nameSection,
  op,
  passiveData,
  VALTYPE,
} from "../helpers/binary-builder";
import { EDGE_MODULES } from "../helpers/edge-modules";
import { isBinaryModule, readSpecModule, specCommands } from "../helpers/spec-suite";

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

test("columns made from the module and its plan equal the report's segments in columns", (t) => {
  const named = module(
    memorySection({ min: 1 }, { min: 1 }),
    globalSection({ type: globalType(VALTYPE.i32), init: i32Offset(64) }),
    dataSection(
      activeData(i32Offset(16), [1, 2]),
      passiveData([3]),
      activeDataOn(1, constExpr(op.globalGet(0)), [4, 5, 6]),
      activeData(i32Offset(-16), [7]),
    ),
    nameSection({ data: [[2, "on-one"]] }),
  );
  const modules = [
    named,
    ...EDGE_MODULES.map((edge) => edge.bytes),
    ...specCommands((c) => c.type === "module" && isBinaryModule(c)).map(readSpecModule),
  ];
  let compared = 0;
  for (const bytes of modules) {
    let decoded;
    try {
      decoded = readModule(bytes);
    } catch {
      continue; // an edge module made to be refused
    }
    const plan = planImages(decoded, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
    assert.deepEqual(
      segmentColumnsOf(decoded, plan),
      segmentColumns(segmentsJsonOf(decoded, plan)),
    );
    compared += decoded.dataSegments.length ? 1 : 0;
  }
  t.diagnostic(`${compared} modules with data segments compared`);
  assert.ok(compared >= 100, `only ${compared} modules with data segments`);
  const namedModule = readModule(named);
  const namedPlan = planImages(namedModule, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
  assert.deepEqual(segmentColumnsOf(namedModule, namedPlan).names, [null, null, "on-one", null]);
});
