// The virtualised tables' window arithmetic: which rows are rendered and where, checked
// against the plain geometry of "row r occupies [r*h, (r+1)*h)" over many positions,
// with and without the capped (scaled) body.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  scrollTopForRow,
  visibleWindow,
  type WindowInput,
} from "../../webview/src/virtual/virtual-window";

/** Where row `r` appears relative to the viewport top, per the window. */
function screenTop(input: WindowInput, row: number): number {
  const w = visibleWindow(input);
  return w.offset + (row - w.first) * input.rowHeight - input.scrollTop;
}

describe("unscaled bodies", () => {
  const base = { rowCount: 100_000, rowHeight: 22.5, viewportHeight: 400, overscan: 3 };

  test("renders exactly the rows intersecting the viewport, plus the overscan", () => {
    for (const scrollTop of [0, 1, 22.4, 22.5, 1000, 123_456.7, 100_000 * 22.5 - 400]) {
      const w = visibleWindow({ ...base, scrollTop });
      const firstVisible = Math.floor(scrollTop / base.rowHeight);
      const lastVisible = Math.ceil((scrollTop + base.viewportHeight) / base.rowHeight) - 1;
      assert.equal(w.first, Math.max(0, firstVisible - 3), `first at ${scrollTop}`);
      assert.equal(w.end, Math.min(base.rowCount, lastVisible + 1 + 3), `end at ${scrollTop}`);
      assert.equal(w.offset, w.first * base.rowHeight, `offset at ${scrollTop}`);
      assert.equal(w.totalHeight, base.rowCount * base.rowHeight);
    }
  });

  test("few rows: all of them, none for an empty list", () => {
    assert.deepEqual(visibleWindow({ ...base, rowCount: 5, scrollTop: 0 }), {
      first: 0,
      end: 5,
      offset: 0,
      totalHeight: 5 * 22.5,
    });
    assert.deepEqual(visibleWindow({ ...base, rowCount: 0, scrollTop: 50 }), {
      first: 0,
      end: 0,
      offset: 0,
      totalHeight: 0,
    });
  });

  test("a scroll position past the end (a list that shrank) clamps", () => {
    const w = visibleWindow({ ...base, rowCount: 30, scrollTop: 1e6 });
    assert.equal(w.end, 30);
    assert.ok(w.first <= 30 - Math.floor(400 / 22.5));
  });

  test("scrollTopForRow: nothing when visible, the least scroll otherwise", () => {
    const at = { ...base, scrollTop: 2250 }; // rows 100..117 visible (117 partly)
    assert.equal(scrollTopForRow(100, at), null);
    assert.equal(scrollTopForRow(116, at), null);
    assert.equal(scrollTopForRow(99, at), 99 * 22.5);
    assert.equal(scrollTopForRow(117, at), 118 * 22.5 - 400);
    assert.equal(scrollTopForRow(5000, at), 5001 * 22.5 - 400);
  });
});

describe("scaled bodies (more rows than a browser can make tall)", () => {
  const base = {
    rowCount: 2_000_000,
    rowHeight: 24,
    viewportHeight: 600,
    overscan: 2,
    maxHeight: 1_000_000,
  };

  test("the body is capped and rows stay evenly spaced on screen", () => {
    for (const scrollTop of [0, 7, 123_456, 999_400 / 2, 999_400]) {
      const input = { ...base, scrollTop };
      const w = visibleWindow(input);
      assert.equal(w.totalHeight, 1_000_000);
      for (let r = w.first; r + 1 < w.end; r++) {
        assert.ok(Math.abs(screenTop(input, r + 1) - screenTop(input, r) - 24) < 1e-6);
      }
      // The rows covering the viewport are all rendered.
      const topRow = w.first + 2;
      assert.ok(screenTop(input, Math.min(topRow, w.end - 1)) <= 0 || w.first === 0);
      assert.ok(screenTop(input, w.end - 1) + 24 >= base.viewportHeight);
    }
  });

  test("the ends map to the first and the last rows", () => {
    const top = visibleWindow({ ...base, scrollTop: 0 });
    assert.equal(top.first, 0);
    assert.equal(screenTop({ ...base, scrollTop: 0 }, 0), 0);
    const maxScroll = 1_000_000 - 600;
    const bottom = visibleWindow({ ...base, scrollTop: maxScroll });
    assert.equal(bottom.end, base.rowCount);
    const last = screenTop({ ...base, scrollTop: maxScroll }, base.rowCount - 1);
    assert.ok(Math.abs(last - (600 - 24)) < 1e-6, `last row at ${last}`);
  });

  test("scrollTopForRow brings any row fully into view", () => {
    for (const row of [0, 1, 999_999, 1_500_000, 1_999_999]) {
      const scrollTop = scrollTopForRow(row, { ...base, scrollTop: 300_000 }) ?? 300_000;
      const top = screenTop({ ...base, scrollTop }, row);
      assert.ok(top >= -1e-6 && top + 24 <= 600 + 1e-6, `row ${row} at ${top}`);
    }
  });
});
