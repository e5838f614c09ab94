// The Overview picture's scale (webview/src/views/overview/picture-scale.ts) and its
// page runs (picture-runs.ts): linear where the memory is filled, long empty gaps
// log-compressed and flagged, pieces that tile the width in address order, and pages
// merged into runs of pixels.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pictureScale } from "../../webview/src/views/overview/picture-scale";
import { pixelRuns } from "../../webview/src/views/overview/picture-runs";

const GIB = 2 ** 30;

describe("picture scale", () => {
  test("a filled memory is to scale: x is proportional to the address", () => {
    const scale = pictureScale(
      [
        [0x400, 0x2010],
        [0x2010, 0x12010],
        [0x12010, 0x40000],
      ],
      0x40000,
      1000,
    );
    for (const address of [0, 0x400, 0x2010, 0x12010, 0x30000, 0x40000])
      assert.ok(Math.abs(scale.x(address) - (address / 0x40000) * 1000) < 1e-6, `x(${address})`);
    assert.equal(scale.pieces.filter((p) => p.compressed).length, 0);
  });

  test("3 bytes' page 3 GiB into 4 GiB: gaps compressed, the page about 0.6% wide", () => {
    const start = 3 * GIB;
    const scale = pictureScale([[start, start + 4096]], 4 * GIB, 1000);
    assert.deepEqual(
      scale.pieces.map((p) => [p.start, p.end, p.filled, p.compressed]),
      [
        [0, start, false, true],
        [start, start + 4096, true, false],
        [start + 4096, 4 * GIB, false, true],
      ],
    );
    const page = scale.pieces[1]!;
    assert.ok(page.x1 - page.x0 >= 5.5, `${page.x1 - page.x0} px`);
    // The longer gap is drawn wider, though not three times as wide.
    const [before, , afterGap] = scale.pieces;
    const ratio = (before!.x1 - before!.x0) / (afterGap!.x1 - afterGap!.x0);
    assert.ok(ratio > 1 && ratio < 3, String(ratio));
  });

  test("pieces tile [0, width) in address order and x never goes back", () => {
    const spans: [number, number][] = [
      [10, 20],
      [15, 400],
      [5000, 5001],
      [90_000, 1_000_000],
    ];
    const scale = pictureScale(spans, 4 * GIB, 640);
    assert.equal(scale.pieces[0]!.x0, 0);
    assert.ok(Math.abs(scale.pieces.at(-1)!.x1 - 640) < 1e-6);
    scale.pieces.slice(1).forEach((p, i) => {
      assert.equal(p.start, scale.pieces[i]!.end);
      assert.ok(Math.abs(p.x0 - scale.pieces[i]!.x1) < 1e-9);
    });
    let last = -1;
    for (let address = 0; address <= 4 * GIB; address += GIB / 64) {
      const x = scale.x(address);
      assert.ok(x >= last, `x(${address})`);
      last = x;
    }
  });
});

describe("pixel runs", () => {
  test("pages of a to-scale memory merge into runs; the higher rank wins a shared pixel", () => {
    const scale = pictureScale([[0, 64 * 4096]], 64 * 4096, 16); // 4 pages per pixel
    const values = new Uint8Array(64);
    values.fill(1, 0, 16); // pixels 0-3: rank 1
    values[17] = 2; // pixel 4: rank 2 beats nothing
    values.fill(1, 20, 24); // pixel 5: rank 1
    values[23] = 2; // ... but rank 2 wins it
    const runs = pixelRuns(values, 4096, scale, (v) => v);
    assert.deepEqual(runs, [
      { x0: 0, x1: 4, value: 1 },
      { x0: 4, x1: 6, value: 2 },
    ]);
  });
});
