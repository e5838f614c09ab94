// The Segments table's pure parts: display texts, pages spanned, sorting, filtering and
// what the bytes pane reads, against hand-computed cases and naive recomputations.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SegmentJson } from "../../common/report-json";
import { segmentBytesPlan } from "../../webview/src/views/segments/segment-bytes";
import {
  firstPageOf,
  offsetText,
  pagesSpanned,
  segmentRows,
} from "../../webview/src/views/segments/segment-rows";
import {
  defaultMode,
  filterRows,
  knownOrder,
  nextOrder,
  SORT_KEYS,
  sortRows,
  type SortKey,
  type SortOrder,
} from "../../webview/src/views/segments/sort-filter";
import { reportJsonOf } from "../webview/segments-report";
import { manySegments } from "../webview/segments-module";

function segment(fields: Partial<SegmentJson>): SegmentJson {
  return {
    index: 0,
    mode: "active",
    memory: 0,
    offset: { kind: "const", value: 0 },
    size: 1,
    fileOffset: 0,
    name: null,
    start: 0,
    bounds: "in-bounds",
    ...fields,
  };
}

describe("display texts", () => {
  test("offsets: constant in hex, global.get, expression text, none", () => {
    assert.equal(offsetText({ kind: "const", value: 4096 }), "0x1000");
    assert.equal(offsetText({ kind: "const", value: 0 }), "0x0");
    assert.equal(offsetText({ kind: "global", global: 3 }), "global.get 3");
    const text = "(i32.add (global.get 0) (i32.const 16))";
    assert.equal(offsetText({ kind: "expr", text }), text);
    assert.equal(offsetText(null), "—");
  });

  test("start, pages and bounds cells of passive, unknown and placed segments", () => {
    const rows = segmentRows(
      [
        segment({ index: 0, start: 0x1fff, size: 2 }),
        segment({
          index: 1,
          mode: "passive",
          memory: null,
          offset: null,
          start: null,
          bounds: null,
        }),
        segment({
          index: 2,
          offset: { kind: "global", global: 0 },
          start: null,
          bounds: "unknown",
        }),
        segment({ index: 3, start: 0x3000, size: 0 }),
      ],
      4096,
    );
    assert.deepEqual(
      rows.map((r) => [r.startText, r.pagesText, r.boundsText]),
      [
        ["0x1fff", "1–2", "in-bounds"],
        ["—", "—", "—"],
        ["global.get 0", "—", "unknown"],
        ["0x3000", "—", "in-bounds"],
      ],
    );
  });
});

describe("pages spanned", () => {
  test("hand-computed boundaries", () => {
    const span = (start: number, size: number, pageSize = 4096) =>
      pagesSpanned(segment({ start, size }), pageSize);
    assert.deepEqual(span(0, 1), { first: 0, last: 0 });
    assert.deepEqual(span(4095, 1), { first: 0, last: 0 });
    assert.deepEqual(span(4095, 2), { first: 0, last: 1 });
    assert.deepEqual(span(4096, 4096), { first: 1, last: 1 });
    assert.deepEqual(span(4096, 4097), { first: 1, last: 2 });
    assert.deepEqual(span(65535, 2, 65536), { first: 0, last: 1 });
    assert.deepEqual(span(3 * 16384, 16384 * 2, 16384), { first: 3, last: 4 });
    assert.equal(span(8192, 0), null, "an empty segment spans no page");
    assert.equal(pagesSpanned(segment({ start: null }), 4096), null);
    assert.equal(firstPageOf(segment({ start: 8192, size: 0 }), 4096), 2);
    assert.equal(firstPageOf(segment({ start: null }), 4096), null);
  });

  test("equal the pages of every byte, for a real report at each page size", () => {
    for (const pageSize of [4096, 16384, 65536]) {
      const report = reportJsonOf(manySegments(400, { globalEvery: 9, exprEvery: 13 }), pageSize);
      for (const row of segmentRows(report.dataSegments, report.plan.pageSize)) {
        const { start, size } = row.segment;
        const pages = new Set<number>();
        if (start !== null)
          for (let k = 0; k < size; k++) pages.add(Math.floor((start + k) / pageSize));
        const expected = pages.size
          ? { first: Math.min(...pages), last: Math.max(...pages) }
          : null;
        assert.deepEqual(row.pages, expected, `segment ${row.segment.index} at ${pageSize}`);
      }
    }
  });
});

describe("sorting", () => {
  const report = reportJsonOf(manySegments(2000, { globalEvery: 11, exprEvery: 17 }));
  const rows = segmentRows(report.dataSegments, 4096);

  /** The column's value as the report has it (null = unknown). */
  function value(s: SegmentJson, key: SortKey, pageSize = 4096): number | string | null {
    switch (key) {
      case "pages":
        return s.start === null || s.size === 0 ? null : Math.floor(s.start / pageSize);
      default:
        return s[key] as number | string | null;
    }
  }

  for (const key of SORT_KEYS) {
    for (const direction of ["ascending", "descending"] as const) {
      test(`by ${key}, ${direction}: a permutation, ordered, unknowns last, ties by index`, () => {
        const sorted = sortRows(rows, { key, direction }).map((r) => r.segment);
        assert.deepEqual(
          sorted.map((s) => s.index).sort((a, b) => a - b),
          report.dataSegments.map((s) => s.index),
        );
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          const [va, vb] = [value(a, key), value(b, key)];
          const where = `rows ${i - 1}/${i}: ${a.index}=${va} ${b.index}=${vb}`;
          if (va === null) {
            assert.equal(vb, null, `unknown before known at ${where}`);
            assert.ok(a.index < b.index, where);
            continue;
          }
          if (vb === null) continue;
          let order = typeof va === "number" ? va - (vb as number) : va < vb ? -1 : va > vb ? 1 : 0;
          if (direction === "descending") order = -order;
          assert.ok(order < 0 || (order === 0 && a.index < b.index), where);
        }
      });
    }
  }

  test("sorting by size puts the empty segments first", () => {
    const sorted = sortRows(rows, { key: "size", direction: "ascending" });
    const empties = report.dataSegments.filter((s) => s.size === 0).map((s) => s.index);
    assert.ok(empties.length > 0);
    assert.deepEqual(
      sorted.slice(0, empties.length).map((r) => r.segment.index),
      empties,
    );
  });

  test("does not change its input", () => {
    const before = rows.map((r) => r.segment.index);
    sortRows(rows, { key: "size", direction: "descending" });
    assert.deepEqual(
      rows.map((r) => r.segment.index),
      before,
    );
  });

  test("a header toggles its direction; another column starts ascending", () => {
    assert.deepEqual(nextOrder({ key: "size", direction: "ascending" }, "size"), {
      key: "size",
      direction: "descending",
    });
    assert.deepEqual(nextOrder({ key: "size", direction: "descending" }, "size"), {
      key: "size",
      direction: "ascending",
    });
    assert.deepEqual(nextOrder({ key: "size", direction: "descending" }, "name"), {
      key: "name",
      direction: "ascending",
    });
  });
});

describe("filtering", () => {
  const report = reportJsonOf(manySegments(3000, { globalEvery: 11, exprEvery: 17 }));
  const rows = segmentRows(report.dataSegments, 4096);
  const indexes = (list: { segment: SegmentJson }[]) => list.map((r) => r.segment.index);

  test("nothing to filter: every row", () => {
    assert.equal(filterRows(rows, { text: "  ", mode: "all" }).length, rows.length);
  });

  test("by name, case-insensitively", () => {
    // Names are seg_<i> on every 7th index: "SEG_7" matches seg_7, seg_70…, seg_7xx….
    const expected = report.dataSegments
      .filter((s) => s.name !== null && s.name.startsWith("seg_7"))
      .map((s) => s.index);
    assert.deepEqual(indexes(filterRows(rows, { text: "SEG_7", mode: "all" })), expected);
  });

  test("by index digits, name and offset text together", () => {
    const text = "1234";
    const expected = report.dataSegments
      .filter((s) => {
        const hex = s.offset?.kind === "const" ? `0x${s.offset.value.toString(16)}` : "";
        const expr = s.offset?.kind === "expr" ? s.offset.text : "";
        return [String(s.index), s.name ?? "", hex, expr].some((t) => t.includes(text));
      })
      .map((s) => s.index);
    assert.ok(expected.includes(1234));
    assert.deepEqual(indexes(filterRows(rows, { text, mode: "all" })), expected);
  });

  test("by offset kind: global.get", () => {
    const expected = report.dataSegments
      .filter((s) => s.offset?.kind === "global")
      .map((s) => s.index);
    assert.ok(expected.length > 100);
    assert.deepEqual(indexes(filterRows(rows, { text: "global.get", mode: "all" })), expected);
  });

  test("by mode, alone and with text", () => {
    for (const mode of ["active", "passive"] as const) {
      const expected = report.dataSegments.filter((s) => s.mode === mode).map((s) => s.index);
      assert.deepEqual(indexes(filterRows(rows, { text: "", mode })), expected);
    }
    // "data": the segments that make the image, active with bytes.
    const data = report.dataSegments.filter((s) => s.mode === "active" && s.size > 0);
    assert.ok(data.length > 0 && data.length < report.dataSegments.length);
    assert.deepEqual(
      indexes(filterRows(rows, { text: "", mode: "data" })),
      data.map((s) => s.index),
    );
    const passiveNamed = report.dataSegments
      .filter((s) => s.mode === "passive" && s.name?.includes("seg_2"))
      .map((s) => s.index);
    assert.ok(passiveNamed.length > 0);
    assert.deepEqual(indexes(filterRows(rows, { text: "seg_2", mode: "passive" })), passiveNamed);
  });

  test("a table opens on the active segments with bytes, or on all when there are none", () => {
    assert.equal(defaultMode(rows), "data");
    const passiveOnly = rows.filter((r) => r.segment.mode === "passive" || r.segment.size === 0);
    assert.ok(passiveOnly.length > 0);
    assert.equal(defaultMode(passiveOnly), "all");
    assert.equal(defaultMode([]), "all");
  });

  test("a stored order of a column that is gone falls back to the index", () => {
    const stale = { key: "offset", direction: "descending" } as unknown as SortOrder;
    assert.deepEqual(knownOrder(stale), { key: "index", direction: "ascending" });
    const size: SortOrder = { key: "size", direction: "descending" };
    assert.equal(knownOrder(size), size);
  });

  test("keeps the sorted order", () => {
    const sorted = sortRows(rows, { key: "size", direction: "descending" });
    const filtered = filterRows(sorted, { text: "", mode: "active" });
    assert.deepEqual(
      indexes(filtered),
      indexes(sorted).filter((i) => report.dataSegments[i]!.mode === "active"),
    );
  });
});

describe("bytes of the selected segment", () => {
  const report = reportJsonOf(manySegments(30));
  const mixed = reportJsonOf(
    manySegments(30, { globalEvery: 6, exprEvery: 9, importedGlobal: true }),
  );

  test("an active segment with a known start in an image: read its image bytes", () => {
    const s = report.dataSegments.find((x) => x.mode === "active" && x.size > 0)!;
    assert.deepEqual(segmentBytesPlan(report, s), {
      kind: "read",
      memory: 0,
      offset: s.start,
      length: s.size,
      note: null,
    });
  });

  test("at most 4096 bytes, said so", () => {
    const s = { ...report.dataSegments[0]!, size: 10000 };
    const plan = segmentBytesPlan(report, s);
    assert.equal(plan.kind, "read");
    assert.equal(plan.kind === "read" && plan.length, 4096);
    assert.match(plan.kind === "read" ? (plan.note ?? "") : "", /first 4096 of 10000 bytes/);
  });

  test("passive, unknown start, empty and imageless segments are explained", () => {
    const passive = report.dataSegments.find((x) => x.mode === "passive")!;
    const empty = { ...report.dataSegments[0]!, size: 0 };
    const unknown = mixed.dataSegments.find((x) => x.offset?.kind === "global")!;
    assert.equal(unknown.start, null, "global 0 is imported");
    const constant = mixed.dataSegments.find((x) => x.offset?.kind === "const")!;
    assert.equal(mixed.images[0]!.sha256, null, "an i32.add offset denies the image");
    const message = (s: SegmentJson, r = report) => {
      const plan = segmentBytesPlan(r, s);
      assert.equal(plan.kind, "none");
      return plan.kind === "none" ? plan.message : "";
    };
    assert.match(message(passive), /passive: it is not in the image/);
    assert.match(message(empty), /is empty/);
    assert.match(message(unknown, mixed), /known only at instantiation \(offset global\.get 0\)/);
    assert.match(message(constant, mixed), /no image.*non-constant offset/);
  });
});
