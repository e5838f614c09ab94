// The minimap's columns against a plain reading of "column c stands for pages
// [⌊c·n/w⌋, ⌊(c+1)·n/w⌋)": every page is in the column pageColumn names, a column shows
// the most telling page it covers, marks survive any squeeze, and fewer pages than
// columns stretch each page over several columns.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, LAYER_OUTSIDE } from "../../common/layer-values";
import { PAGE_STATES } from "../../common/page-states";
import {
  columnFirstPage,
  minimapColumns,
  pageColumn,
} from "../../webview/src/page-map/minimap-columns";

const state = (name: (typeof PAGE_STATES)[number]): number => PAGE_STATES.indexOf(name);

describe("minimap columns", () => {
  test("every page lies in the column pageColumn names, for squeezed and stretched maps", () => {
    for (const [pages, width] of [
      [1_048_576, 1000],
      [1000, 1000],
      [7, 640],
      [641, 640],
      [1, 3],
    ] as const) {
      for (let column = 0; column < width; column++) {
        const first = columnFirstPage(column, width, pages);
        const end = columnFirstPage(column + 1, width, pages);
        for (let page = first; page < end; page++)
          assert.equal(pageColumn(page, width, pages), column, `page ${page} of ${pages}`);
      }
      assert.equal(pageColumn(pages - 1, width, pages), width - 1, "the last page is at the end");
    }
  });

  test("one data page among a million outside pages still shows, in its own column", () => {
    const pages = new Uint8Array(1_048_576).fill(LAYER_OUTSIDE);
    const dataPage = 786_432 + 5; // 3 GiB + 20 KiB
    pages[dataPage] = LAYER_IMAGE_DATA;
    pages[dataPage + 1] = LAYER_IMAGE_ZERO;
    const { values, marked } = minimapColumns(pages, null, "layer", 800);
    const column = Math.floor((dataPage * 800) / pages.length);
    assert.equal(values[column], LAYER_IMAGE_DATA, "data outranks the zero page beside it");
    values.forEach((value, c) => {
      if (c !== column) assert.equal(value, LAYER_OUTSIDE, `column ${c}`);
    });
    assert.equal(
      marked.reduce((a, b) => a + b, 0),
      0,
    );
  });

  test("page states: written pages outrank shared and untouched ones; marks are kept", () => {
    const pages = new Uint8Array(64).fill(state("notPresent"));
    pages.fill(state("imageClean"), 0, 16);
    pages[3] = state("imageDirty");
    pages[20] = state("zero");
    pages[40] = state("anonDirty");
    pages[41] = state("imageDirty");
    const marked = new Uint8Array(64);
    marked[63] = 1;
    const { values, marked: marks } = minimapColumns(pages, marked, "runtime", 8); // 8 per column
    assert.deepEqual(
      [...values].map((v) => PAGE_STATES[v]),
      [
        "imageDirty",
        "imageClean",
        "zero",
        "notPresent",
        "notPresent",
        "anonDirty",
        "notPresent",
        "notPresent",
      ],
    );
    assert.deepEqual([...marks], [0, 0, 0, 0, 0, 0, 0, 1]);
  });

  test("fewer pages than columns: each page fills its share; unknown values win a column", () => {
    const pages = Uint8Array.from([LAYER_OUTSIDE, 200, LAYER_IMAGE_DATA]);
    const O = LAYER_OUTSIDE;
    const D = LAYER_IMAGE_DATA;
    assert.deepEqual(
      [...minimapColumns(pages, null, "layer", 9).values],
      [O, O, O, 200, 200, 200, D, D, D],
    );
    assert.deepEqual([...minimapColumns(pages, null, "layer", 1).values], [200]);
  });

  test("an empty memory gives empty columns", () => {
    const { values } = minimapColumns(new Uint8Array(0), null, "layer", 4);
    assert.deepEqual([...values], [0, 0, 0, 0]);
  });
});
