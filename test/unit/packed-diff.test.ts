// The packed diff the compare view gets: for every pair of sample modules (and a pair with
// named, moved, resized, added and removed segments), every row rebuilt from the packed
// columns equals the row of the diff as diffLayouts returns it, the links between
// differences and rows point both ways, and the message carries no bigint (VS Code's
// webview messages are JSON plus typed arrays).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { diffLayouts, type LayoutSide } from "../../common/layout-diff";
import {
  differenceAt,
  memoryAt,
  packDiff,
  pageRangeAt,
  pageRangeHolding,
  segmentChangeAt,
} from "../../common/packed-diff";
import { inspectModule } from "../../extension/analysis/inspect";
import { planImages } from "../../extension/analysis/image-planner";
import { moduleLayout } from "../../extension/analysis/module-layout";
import { readModule } from "../../extension/analysis/module-reader";
import { buildExamples } from "../../scripts/build-examples";
import { wat } from "../helpers/wat";

const sides = new Map<Uint8Array, LayoutSide>();

function layoutSide(bytes: Uint8Array): LayoutSide {
  const known = sides.get(bytes);
  if (known) return known;
  const options = { pageSize: 4096, denseLimit: 16 << 20, fileName: "m.wasm" };
  const module = readModule(bytes);
  const plan = planImages(module, options);
  const layout = moduleLayout(module, plan);
  const side = { report: inspectModule(bytes, options), ...layout };
  sides.set(bytes, side);
  return side;
}

const NAMED_LEFT = `(module (memory 2)
  (data $greeting (i32.const 0) "hello")
  (data $table (i32.const 8192) "xyz")
  (data $grow (i32.const 20000) "ab")
  (data $gone (i32.const 12288) "bye")
  (data $lazy "passive"))`;
const NAMED_RIGHT = `(module (memory 3)
  (data $table (i32.const 4096) "xyz")
  (data $greeting (i32.const 0) "hellO")
  (data $grow (i32.const 20000) "abcd")
  (data $new (i32.const 65536) "new!")
  (data $lazy "passive, longer"))`;

async function pairs(): Promise<[string, Uint8Array, Uint8Array][]> {
  const samples = (await buildExamples()).map((file) => ({
    name: path.basename(file),
    bytes: new Uint8Array(readFileSync(file)),
  }));
  const result: [string, Uint8Array, Uint8Array][] = [
    ["named", await wat(NAMED_LEFT), await wat(NAMED_RIGHT)],
  ];
  for (const a of samples)
    for (const b of samples) if (a !== b) result.push([`${a.name} ↔ ${b.name}`, a.bytes, b.bytes]);
  return result;
}

test("every row rebuilt from the packed diff equals the diff's own", async () => {
  let differences = 0;
  const kinds = new Set<string>();
  for (const [name, leftBytes, rightBytes] of await pairs()) {
    const diff = diffLayouts(layoutSide(leftBytes), layoutSide(rightBytes));
    // Through JSON's eyes: throws on a bigint.
    const packed = packDiff(diff);
    assert.doesNotThrow(() => JSON.stringify(packed), name);

    assert.equal(packed.differences.count, diff.differences.length, name);
    diff.differences.forEach((expected, i) => {
      assert.deepEqual(differenceAt(packed, i), expected, `${name}: difference ${i}`);
      kinds.add(expected.kind);
    });
    differences += diff.differences.length;

    assert.equal(packed.segments.count, diff.segments.length, name);
    diff.segments.forEach((expected, row) => {
      assert.deepEqual(segmentChangeAt(packed, row), expected, `${name}: change ${row}`);
      const link = packed.segments.difference[row]!;
      if (link >= 0) assert.equal(diff.differences[link]!.segmentChange, expected);
      else assert.ok(!diff.differences.some((d) => d.segmentChange === expected));
    });

    diff.memories.forEach((memory, m) => {
      const { pageRanges, ...rest } = memory;
      assert.deepEqual(memoryAt(packed, m), rest, `${name}: memory ${m}`);
      pageRanges.forEach((expected, row) => {
        assert.deepEqual(pageRangeAt(packed, m, row), expected, `${name}: range ${row}`);
        const link = packed.memories[m]!.pageRanges.difference[row]!;
        assert.equal(diff.differences[link]!.pageRange, expected);
      });
      // Every range's edges and the axis's ends (the axis can be a million pages).
      const probes = new Set([0, memory.axisPages - 1]);
      for (const r of pageRanges)
        for (const p of [-1, 0]) {
          probes.add(r.firstPage + p);
          probes.add(r.endPage + p);
        }
      for (const page of probes) {
        const holding = pageRanges.findIndex((r) => r.firstPage <= page && page < r.endPage);
        assert.equal(pageRangeHolding(packed, m, page), holding < 0 ? null : holding);
      }
      assert.equal(
        packed.memories[m]!.pageRanges.pages,
        pageRanges.reduce((sum, r) => sum + r.endPage - r.firstPage, 0),
      );
    });
  }
  // The pairs exercise every kind of difference.
  assert.deepEqual([...kinds].sort(), ["image", "pages", "segment"]);
  assert.ok(differences > 20, `${differences} differences in all`);
});

test("the named pair's changes: matched by name, moved, resized, added, removed, passive", async () => {
  const packed = packDiff(
    diffLayouts(layoutSide(await wat(NAMED_LEFT)), layoutSide(await wat(NAMED_RIGHT))),
  );
  const rows = Array.from({ length: packed.segments.count }, (_, row) =>
    segmentChangeAt(packed, row),
  );
  const byName = (name: string) => rows.find((c) => (c.right ?? c.left)!.name === name)!;
  assert.equal(byName("table").kind, "moved");
  assert.equal(byName("table").matchedBy, "name");
  assert.equal(byName("grow").kind, "resized");
  assert.equal(byName("new").kind, "added");
  assert.equal(byName("gone").kind, "removed");
  // A passive segment has no address: a change, but not a difference.
  assert.equal(byName("lazy").kind, "resized");
  assert.equal(packed.segments.difference[rows.indexOf(byName("lazy"))], -1);
});
