// The layout diff on hand-made reports, layers and image bytes. Every expectation is
// computed by hand in the comments (tiny page sizes keep the arithmetic short); page
// hashes are checked against the published FNV-1a test vectors.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  diffLayouts,
  diffPageHashes,
  pageHashes,
  pageHashesOfRuns,
  zeroPageHash,
  type ImageLike,
  type LayoutSide,
  type SegmentLike,
} from "../../common/layout-diff";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function image(fields: Partial<ImageLike> = {}): ImageLike {
  return {
    memory: 0,
    static: true,
    reason: null,
    offset: null,
    length: 0,
    pages: 0,
    nonzeroPages: 0,
    dataBytes: 0,
    ...fields,
  };
}

function segment(
  index: number,
  name: string | null,
  memory: number | null,
  start: number | null,
  size: number,
): SegmentLike {
  return { index, name, memory, start, size };
}

function side(
  pageSize: number,
  images: ImageLike[],
  fields: Partial<Omit<LayoutSide, "report">> & { segments?: SegmentLike[] } = {},
): LayoutSide {
  return {
    report: { plan: { pageSize }, images, dataSegments: fields.segments ?? [] },
    layers: fields.layers ?? [],
    pageHashes: fields.pageHashes,
  };
}

describe("pageHashes", () => {
  test("is FNV-1a per page (published vectors)", () => {
    assert.deepEqual([...pageHashes(bytes("foobar"), 6)], [0xbf9cf968]);
    assert.deepEqual([...pageHashes(bytes("ab"), 1)], [0xe40c292c, 0xe70c2de5]);
    assert.equal(pageHashes(new Uint8Array(0), 4096).length, 0);
  });

  test("hashes a short last page as if padded with zeros", () => {
    assert.deepEqual(pageHashes(bytes("abc"), 2), pageHashes(Uint8Array.of(97, 98, 99, 0), 2));
    assert.equal(pageHashes(bytes("abc"), 2).length, 2);
  });

  test("from runs of bytes equals the hashes of the assembled image", () => {
    // Runs that start mid-page, cross pages, touch, and leave whole pages of zeros.
    const runs: [number, number[]][] = [
      [1, [5, 6, 7, 8, 9]],
      [6, [1]],
      [7, [2, 3]],
      [20, [4, 0, 4]],
      [31, [9]],
    ];
    const image = new Uint8Array(32);
    for (const [address, values] of runs) image.set(values, address);
    for (const pageSize of [1, 4, 8, 32]) {
      const fromRuns = pageHashesOfRuns(image.length, pageSize, (visit) => {
        for (const [address, values] of runs) {
          // A source holding more than the run: only [from, to) is the run's.
          const source = Uint8Array.of(0xff, ...values, 0xff);
          visit(address, source, 1, values.length + 1);
        }
      });
      assert.deepEqual([...fromRuns], [...pageHashes(image, pageSize)], `page size ${pageSize}`);
    }
  });

  test("zeroPageHash is the hash of a page of zeros", () => {
    assert.equal(zeroPageHash(1), 0x050c5d1f); // FNV-1a of one NUL byte
    assert.equal(zeroPageHash(8), pageHashes(new Uint8Array(8), 8)[0]);
  });
});

describe("diffPageHashes", () => {
  test("aligns both images on absolute pages; zero pages outside images", () => {
    const [a, b, c, zero] = pageHashes(Uint8Array.of(1, 2, 3, 0), 1);
    // left image at page 2: [a, b, zero]; right image at page 3: [b, c]
    // page 2: a / 0 differs; page 3: b / b same; page 4: 0 / c differs.
    const runs = diffPageHashes(
      { firstPage: 2, hashes: Uint32Array.of(a!, b!, zero!) },
      { firstPage: 3, hashes: Uint32Array.of(b!, c!) },
      1,
    );
    assert.deepEqual(runs, [
      [2, 3],
      [4, 5],
    ]);
  });

  test("merges adjacent differing pages; equal or absent images give none", () => {
    const [a, b] = pageHashes(Uint8Array.of(1, 2), 1);
    const left = { firstPage: 0, hashes: Uint32Array.of(a!, a!, b!) };
    assert.deepEqual(diffPageHashes(left, { firstPage: 0, hashes: new Uint32Array(0) }, 1), [
      [0, 3],
    ]);
    assert.deepEqual(diffPageHashes(left, left, 1), []);
    const none = { firstPage: 0, hashes: new Uint32Array(0) };
    assert.deepEqual(diffPageHashes(none, none, 1), []);
  });
});

describe("segment changes", () => {
  // Left: 0 unnamed @4100+6; 1 "cfg" @4200+4; 2 "old" @4300+2; 3 passive +5; 4 @8192+16.
  // Right: 0 "cfg" @0x3000+4; 1 unnamed @4100+8; 2 "new" @4300+2; 3 passive +7; 4 @8192+16.
  // By name: L1 ↔ R0 (moved). By index: L3 ↔ R3 (resized), L4 ↔ R4 (same).
  // L0's index partner R0 is taken → removed; L2 / R2 have different names → removed +
  // added; R1 → added.
  const left = side(4096, [image()], {
    segments: [
      segment(0, null, 0, 4100, 6),
      segment(1, "cfg", 0, 4200, 4),
      segment(2, "old", 0, 4300, 2),
      segment(3, null, null, null, 5),
      segment(4, null, 0, 8192, 16),
    ],
  });
  const right = side(4096, [image()], {
    segments: [
      segment(0, "cfg", 0, 0x3000, 4),
      segment(1, null, 0, 4100, 8),
      segment(2, "new", 0, 4300, 2),
      segment(3, null, null, null, 7),
      segment(4, null, 0, 8192, 16),
    ],
  });
  const diff = diffLayouts(left, right);

  test("pairs by unique name, then by index unless both are named", () => {
    assert.deepEqual(
      diff.segments.map((c) => [
        c.kind,
        c.matchedBy,
        c.left?.index ?? null,
        c.right?.index ?? null,
      ]),
      [
        ["removed", null, 0, null], // @4100, index 0
        ["added", null, null, 1], // @4100, index 1
        ["moved", "name", 1, 0], // @4200
        ["removed", null, 2, null], // @4300, removed before added
        ["added", null, null, 2],
        ["resized", "index", 3, 3], // passive: last
      ],
    );
    assert.equal(diff.unchangedSegments, 1);
    assert.equal(
      diff.segments[2]!.description,
      'segment 1 "cfg" (now segment 0): moved 0x1068 → 0x3000',
    );
    assert.equal(diff.segments[5]!.description, "segment 3: resized 5 → 7 bytes");
    assert.equal(diff.segments[0]!.description, "segment 0 removed (memory 0, at 0x1004, 6 bytes)");
  });

  test("addressed changes become differences in address order", () => {
    // Passive segment changes have no address: not in the list. Ties on start order by end.
    assert.deepEqual(
      diff.differences.map((d) => [d.kind, d.start, d.end, d.firstPage, d.endPage]),
      [
        ["segment", 4100n, 4106n, 1, 2],
        ["segment", 4100n, 4108n, 1, 2],
        ["segment", 4200n, 0x3004n, 1, 4], // both places: 0x1068 .. 0x3004
        ["segment", 4300n, 4302n, 1, 2],
        ["segment", 4300n, 4302n, 1, 2],
      ],
    );
    assert.match(diff.differences[3]!.description, /^memory 0: segment 2 "old" removed/);
  });

  test("moved and resized at once; a change of memory is a removal and an addition", () => {
    const a = side(4096, [image(), image({ memory: 1 })], {
      segments: [segment(0, null, 0, 16, 4), segment(1, null, 0, 64, 4)],
    });
    const b = side(4096, [image(), image({ memory: 1 })], {
      segments: [segment(0, null, 0, 32, 8), segment(1, null, 1, 64, 4)],
    });
    const changes = diffLayouts(a, b).segments;
    assert.deepEqual(
      changes.map((c) => [c.kind, c.left?.memory ?? null, c.right?.memory ?? null]),
      [
        ["moved-resized", 0, 0],
        ["removed", 0, null],
        ["added", null, 1],
      ],
    );
    assert.equal(changes[0]!.description, "segment 0: moved 0x10 → 0x20, resized 4 → 8 bytes");
  });
});

describe("pages", () => {
  // Page size 4. Left image at page 1: [1 2 3 4 | 0 0 0 0 | 9 9 9 9], layer (8 pages)
  // 0 D Z D 0 0 0 0. Right image at page 3: [9 9 9 8 | 5 0 0 0], layer (10 pages)
  // 0 0 0 D D 0 0 0 0 0.
  const leftBytes = Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 0, 9, 9, 9, 9);
  const rightBytes = Uint8Array.of(9, 9, 9, 8, 5, 0, 0, 0);
  const leftImage = image({ offset: 4, length: 12, pages: 3, nonzeroPages: 2, dataBytes: 8 });
  const rightImage = image({ offset: 12, length: 8, pages: 2, nonzeroPages: 2, dataBytes: 5 });
  const layer = (...pages: number[]) => [
    { memory: 0, pageSize: 4, pages: Uint8Array.of(...pages) },
  ];
  const leftLayers = layer(0, 2, 1, 2, 0, 0, 0, 0);
  const rightLayers = layer(0, 0, 0, 2, 2, 0, 0, 0, 0, 0);
  const withHashes = diffLayouts(
    side(4, [leftImage], { layers: leftLayers, pageHashes: [pageHashes(leftBytes, 4)] }),
    side(4, [rightImage], { layers: rightLayers, pageHashes: [pageHashes(rightBytes, 4)] }),
  );

  test("with hashes: kind changes and content changes", () => {
    // p1 data/outside (bytes differ); p2 zero/outside (same zeros); p3 data/data, 9999 vs
    // 9998; p4 outside/data.
    const memory = withHashes.memories[0]!;
    assert.equal(memory.contentCompared, true);
    assert.equal(memory.axisPages, 10);
    assert.deepEqual(
      memory.pageRanges.map((r) => [r.firstPage, r.endPage, r.left, r.right, r.contentDiffers]),
      [
        [1, 2, "data", "outside", true],
        [2, 3, "zero", "outside", false],
        [3, 4, "data", "data", true],
        [4, 5, "outside", "data", true],
      ],
    );
    assert.deepEqual([...memory.marked], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    assert.equal(
      memory.pageRanges[1]!.description,
      "page 2 (0x8–0xb): left zero page of the image, right outside the image (same bytes: zeros)",
    );
    assert.equal(
      memory.pageRanges[2]!.description,
      "page 3 (0xc–0xf): data page of the image on both sides, bytes differ",
    );
  });

  test("without hashes on one side: only kinds are compared", () => {
    const diff = diffLayouts(
      side(4, [leftImage], { layers: leftLayers, pageHashes: [pageHashes(leftBytes, 4)] }),
      side(4, [rightImage], { layers: rightLayers }),
    );
    const memory = diff.memories[0]!;
    assert.equal(memory.contentCompared, false);
    assert.deepEqual(
      memory.pageRanges.map((r) => [r.firstPage, r.endPage, r.contentDiffers]),
      [
        [1, 2, null],
        [2, 3, null],
        [4, 5, null],
      ],
    );
  });

  test("hashes that do not cover the image are not trusted", () => {
    const short = pageHashes(leftBytes.subarray(0, 8), 4); // 2 hashes for a 3-page image
    const diff = diffLayouts(
      side(4, [leftImage], { layers: leftLayers, pageHashes: [short] }),
      side(4, [rightImage], { layers: rightLayers, pageHashes: [pageHashes(rightBytes, 4)] }),
    );
    assert.equal(diff.memories[0]!.contentCompared, false);
  });

  test("runs of equal kinds merge into one range", () => {
    const diff = diffLayouts(
      side(4, [image()], { layers: layer(2, 2, 2, 0) }),
      side(4, [image()], { layers: layer(0, 0, 0, 0) }),
    );
    assert.deepEqual(
      diff.memories[0]!.pageRanges.map((r) => [r.firstPage, r.endPage, r.description]),
      [[0, 3, "pages 0–2 (0x0–0xb): left data page of the image, right outside the image"]],
    );
  });

  test("image deltas and the ordered differences", () => {
    const memory = withHashes.memories[0]!;
    assert.deepEqual(memory.offset, { left: 4n, right: 12n, delta: 8n, changed: true });
    assert.deepEqual(memory.length, { left: 12, right: 8, delta: -4, changed: true });
    assert.deepEqual(memory.pages, { left: 3, right: 2, delta: -1, changed: true });
    assert.deepEqual(memory.nonzeroPages, { left: 2, right: 2, delta: 0, changed: false });
    assert.deepEqual(memory.dataBytes, { left: 8, right: 5, delta: -3, changed: true });
    assert.equal(memory.verdict.changed, false);
    // Image: both images' union 4..20 (pages 1..5), before the pages at the same start.
    assert.deepEqual(
      withHashes.differences.map((d) => [d.kind, d.start, d.end, d.firstPage, d.endPage]),
      [
        ["image", 4n, 20n, 1, 5],
        ["pages", 4n, 8n, 1, 2],
        ["pages", 8n, 12n, 2, 3],
        ["pages", 12n, 16n, 3, 4],
        ["pages", 16n, 20n, 4, 5],
      ],
    );
    assert.equal(
      withHashes.differences[0]!.description,
      "memory 0 image: offset 0x4 → 0xc; length 12 → 8; pages 3 → 2; data bytes 8 → 5",
    );
  });
});

describe("memories and verdicts", () => {
  const leftImages = [image({ offset: 0, length: 4096, pages: 1, nonzeroPages: 1, dataBytes: 34 })];
  const rightImages = [
    image({
      static: false,
      reason: "too-sparse",
      offset: 0x100000,
      length: 4096,
      pages: 1,
      nonzeroPages: 1,
      dataBytes: 31,
    }),
    image({ memory: 1 }),
  ];

  test("a verdict change, and a memory only on the right", () => {
    const diff = diffLayouts(side(4096, leftImages), side(4096, rightImages));
    const [m0, m1] = diff.memories;
    assert.deepEqual(m0!.offset, { left: 0n, right: 0x100000n, delta: 0x100000n, changed: true });
    assert.equal(m0!.length.changed, false);
    assert.deepEqual(m0!.verdict, {
      left: { static: true, reason: null },
      right: { static: false, reason: "too-sparse" },
      changed: true,
    });
    assert.equal(m1!.inLeft, false);
    assert.equal(m1!.inRight, true);
    assert.deepEqual(m1!.length, { left: null, right: 0, delta: null, changed: true });
    assert.deepEqual(m1!.offset, { left: null, right: null, delta: null, changed: false });
    assert.deepEqual(
      diff.differences.map((d) => [d.memory, d.kind, d.start, d.end, d.firstPage, d.endPage]),
      [
        [0, "image", 0n, 0x101000n, 0, 257],
        [1, "image", 0n, 0n, 0, 1], // no image on either side: memory-wide, at 0
      ],
    );
    assert.equal(
      diff.differences[0]!.description,
      "memory 0 image: static image → no static image (too-sparse); offset 0x0 → 0x100000; data bytes 34 → 31",
    );
    assert.equal(
      diff.differences[1]!.description,
      "memory 1 image: no memory → static image; length none → 0; pages none → 0; " +
        "non-zero pages none → 0; data bytes none → 0",
    );
  });

  test("bigint reports (inspectModule) and parsed JSON give the same diff", () => {
    const asBig = leftImages.map((i) => ({
      ...i,
      offset: i.offset === null ? null : BigInt(i.offset),
    }));
    const segments = [segment(0, null, 0, 1024, 34)];
    const bigSegments = segments.map((s) => ({ ...s, start: BigInt(s.start!) }));
    assert.deepEqual(
      diffLayouts(side(4096, asBig, { segments: bigSegments }), side(4096, rightImages)),
      diffLayouts(side(4096, leftImages, { segments }), side(4096, rightImages)),
    );
  });

  test("different page sizes cannot share an axis", () => {
    assert.throws(
      () => diffLayouts(side(4096, leftImages), side(16384, rightImages)),
      /different page sizes \(4096 and 16384\)/,
    );
  });

  test("identical sides have no differences", () => {
    const same = side(4096, leftImages, {
      segments: [segment(0, "a", 0, 1024, 34)],
      layers: [{ memory: 0, pageSize: 4096, pages: Uint8Array.of(2, 0) }],
      pageHashes: [pageHashes(bytes("x"), 4096)],
    });
    const diff = diffLayouts(same, same);
    assert.deepEqual(diff.differences, []);
    assert.deepEqual(diff.segments, []);
    assert.equal(diff.unchangedSegments, 1);
  });
});
