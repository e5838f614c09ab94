// The compare view in Chromium with two real modules on each side (the samples tiny and
// stack-first, and two WAT variants with named segments and a same-page byte change).
// The expected differences come from the two `wasm-cow inspect --json` outputs and the
// files' bytes through a naive model in this file (memory bytes rebuilt from the
// segments' file offsets), not from layout-diff.ts; the view must list them, visit them
// in address order with Next/Previous (buttons and n/p), scroll both maps to them, and
// pass axe.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { ReportSide } from "../../common/webview-protocol";
import {
  activeDataOn,
  dataSection,
  i32Offset,
  memorySection,
  module as wasmModule,
} from "../helpers/binary-builder";
import { captureCli } from "../helpers/cli-capture";
import { wat } from "../helpers/wat";
import { exampleModules } from "./harness/fixtures";
import { DEFAULT_SETTINGS, diffMessage, reportMessage } from "./harness/messages";
import { THEMES } from "./harness/theme";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";

const PAGE_SIZE = DEFAULT_SETTINGS.pageSize;

// Same name, same place, one byte changed ("greeting": only page hashes can tell);
// "table" moved down a page; "gone" removed; "new" added past the left memory's end.
const NAMED_LEFT = `(module (memory 1)
  (data $greeting (i32.const 0) "hello")
  (data $table (i32.const 8192) "xyz")
  (data $gone (i32.const 12288) "bye"))`;
const NAMED_RIGHT = `(module (memory 2)
  (data $table (i32.const 4096) "xyz")
  (data $greeting (i32.const 0) "hellO")
  (data $new (i32.const 65536) "new!"))`;

interface CliJson {
  memories: { index: number; minPages: number; pageSizeLog2: number }[];
  dataSegments: {
    index: number;
    memory: number | null;
    size: number;
    fileOffset: number;
    name: string | null;
    start: number | null;
  }[];
  images: {
    static: boolean;
    reason: string | null;
    offset: number | null;
    length: number | null;
    pages: number;
    nonzeroPages: number;
    dataBytes: number;
  }[];
}

interface Module {
  name: string;
  path: string;
  bytes: Uint8Array;
  cli: CliJson;
}

interface ExpectedDifference {
  kind: "image" | "segment" | "pages";
  memory: number;
  start: number;
  end: number;
}

interface Expected {
  differences: ExpectedDifference[];
  /** [kind, left index, right index] of every segment change. */
  segments: [string, number | null, number | null][];
  /** [first, end) of every differing page range, memory 0. */
  ranges: [number, number][];
}

let harness: WebviewHarness;
let scratch: string;
let pairs: { left: Module; right: Module }[];

before(async () => {
  harness = await startHarness();
  scratch = mkdtempSync(path.join(tmpdir(), "wasm-cow-compare-"));
  const examples = await exampleModules();
  const example = (name: string) => examples.find((e) => e.name === name)!;
  const named = async (name: string, source: string) => {
    const file = path.join(scratch, name);
    const bytes = await wat(source);
    writeFileSync(file, bytes);
    return { name, path: file, bytes };
  };
  const withCli = async (module: { name: string; path: string; bytes: Uint8Array }) => {
    const run = await captureCli(["inspect", module.path, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    return { ...module, cli: JSON.parse(run.stdout) as CliJson };
  };
  pairs = [
    {
      left: await withCli(example("tiny.wasm")),
      right: await withCli(example("stack-first.wasm")),
    },
    {
      left: await withCli(await named("named-left.wasm", NAMED_LEFT)),
      right: await withCli(await named("named-right.wasm", NAMED_RIGHT)),
    },
  ];
});

after(async () => {
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// The naive model: memory bytes from the JSON's segments and the file, page by page.

type PageKind = "outside" | "zero" | "data";

function memoryBytes(module: Module, memory: number): Uint8Array {
  const type = module.cli.memories[memory]!;
  const bytes = new Uint8Array(type.minPages * 2 ** type.pageSizeLog2);
  for (const s of module.cli.dataSegments) {
    if (s.memory !== memory || s.start === null) continue;
    bytes.set(module.bytes.subarray(s.fileOffset, s.fileOffset + s.size), s.start);
  }
  return bytes;
}

function pageOf(bytes: Uint8Array, page: number): Uint8Array {
  const out = new Uint8Array(PAGE_SIZE);
  out.set(bytes.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
  return out;
}

function pageKind(module: Module, bytes: Uint8Array, page: number): PageKind {
  const image = module.cli.images[0]!;
  if (image.offset === null) return "outside";
  const first = image.offset / PAGE_SIZE;
  if (page < first || page >= first + image.pages) return "outside";
  return pageOf(bytes, page).some((b) => b !== 0) ? "data" : "zero";
}

/** Memory 0's differing page ranges: kinds differ or bytes differ, runs of one kind. */
function expectedRanges(left: Module, right: Module): [number, number][] {
  const [a, b] = [memoryBytes(left, 0), memoryBytes(right, 0)];
  const pages = Math.max(a.length, b.length) / PAGE_SIZE;
  const ranges: { first: number; end: number; key: string }[] = [];
  for (let page = 0; page < pages; page++) {
    const kinds = [pageKind(left, a, page), pageKind(right, b, page)];
    const [pa, pb] = [pageOf(a, page), pageOf(b, page)];
    const bytesDiffer = pa.some((byte, i) => byte !== pb[i]);
    if (kinds[0] === kinds[1] && !bytesDiffer) continue;
    const key = `${kinds.join("/")}/${bytesDiffer}`;
    const last = ranges.at(-1);
    if (last && last.end === page && last.key === key) last.end++;
    else ranges.push({ first: page, end: page + 1, key });
  }
  return ranges.map((r) => [r.first, r.end]);
}

type Segment = CliJson["dataSegments"][number];

/** By name when both are named, else by index; the fixtures have unique names. */
function expectedSegments(left: Module, right: Module): [Segment | null, Segment | null][] {
  const rights = right.cli.dataSegments;
  const pairs: [Segment | null, Segment | null][] = [];
  const used = new Set<Segment>();
  for (const l of left.cli.dataSegments) {
    const r =
      l.name !== null
        ? rights.find((s) => s.name === l.name)
        : rights.find((s) => s.index === l.index && s.name === null);
    if (r) used.add(r);
    pairs.push([l, r ?? null]);
  }
  for (const r of rights) if (!used.has(r)) pairs.push([null, r]);
  return pairs.filter(([l, r]) => !l || !r || l.start !== r.start || l.size !== r.size);
}

function segmentKind([l, r]: [Segment | null, Segment | null]): string {
  if (!l) return "added";
  if (!r) return "removed";
  const moved = l.start !== r.start;
  const resized = l.size !== r.size;
  return moved && resized ? "moved-resized" : moved ? "moved" : "resized";
}

function expected(left: Module, right: Module): Expected {
  const differences: ExpectedDifference[] = [];
  const [a, b] = [left.cli.images[0]!, right.cli.images[0]!];
  const fields = ["static", "reason", "offset", "length", "pages", "nonzeroPages", "dataBytes"];
  if (fields.some((f) => a[f as keyof typeof a] !== b[f as keyof typeof b])) {
    const spans = [a, b].filter((i) => i.offset !== null);
    differences.push({
      kind: "image",
      memory: 0,
      start: Math.min(...spans.map((i) => i.offset!)),
      end: Math.max(...spans.map((i) => i.offset! + i.length!)),
    });
  }
  const changes = expectedSegments(left, right);
  for (const [l, r] of changes) {
    const sides = [l, r].filter((s): s is Segment => s !== null && s.start !== null);
    differences.push({
      kind: "segment",
      memory: 0,
      start: Math.min(...sides.map((s) => s.start!)),
      end: Math.max(...sides.map((s) => s.start! + s.size)),
    });
  }
  const ranges = expectedRanges(left, right);
  for (const [first, end] of ranges) {
    differences.push({ kind: "pages", memory: 0, start: first * PAGE_SIZE, end: end * PAGE_SIZE });
  }
  const order = { image: 0, segment: 1, pages: 2 };
  differences.sort((x, y) => x.start - y.start || order[x.kind] - order[y.kind] || x.end - y.end);
  return {
    differences,
    segments: changes.map((c) => [segmentKind(c), c[0]?.index ?? null, c[1]?.index ?? null]),
    ranges,
  };
}

// ---------------------------------------------------------------------------------------
// The page

/** What the host sends a compare panel: both reports, then the left worker's diff. */
function compareStart(pair: { left: Module; right: Module }) {
  return {
    view: "compare" as const,
    report: reportMessage(pair.left.bytes, { fileName: pair.left.name, side: "left" }),
    then: [
      reportMessage(pair.right.bytes, { fileName: pair.right.name, side: "right" }),
      diffMessage(pair.left.bytes, pair.right.bytes),
    ],
  };
}

async function openCompare(
  pair: { left: Module; right: Module },
  theme: (typeof THEMES)[number] = "dark",
): Promise<WebviewPage> {
  const view = await harness.openWebview({ theme });
  await view.start(compareStart(pair));
  await view.page.locator(".compare-nav-status").waitFor();
  await view.page.locator(".page-map-frame").nth(1).waitFor();
  return view;
}

async function status(view: WebviewPage): Promise<ExpectedDifference & { index: number }> {
  const attrs = await view.page
    .locator(".compare-nav-status")
    .evaluate((e) => ({ ...(e as HTMLElement).dataset }));
  return {
    index: Number(attrs.index),
    kind: attrs.kind as ExpectedDifference["kind"],
    memory: Number(attrs.memory),
    start: Number(attrs.start),
    end: Number(attrs.end),
  };
}

/** Each map: its pages, focused page, and whether a page's row is inside the view. */
async function maps(view: WebviewPage, page: number) {
  return view.page.locator(".compare-map .page-map-frame").evaluateAll(
    (frames, wanted) =>
      frames.map((frame) => {
        const d = (frame as HTMLElement).dataset;
        const [cell, columns, scroll, dpr] = [d.cell, d.columns, d.scroll, d.dpr].map(Number);
        const height = frame.querySelector(".page-map-area")!.clientHeight * dpr!;
        const top = Math.floor(wanted / columns!) * cell!;
        return {
          pages: Number(d.pages),
          focus: d.focus === "" ? null : Number(d.focus),
          cell: cell!,
          scroll: scroll!,
          visible: top >= scroll! && top + cell! <= scroll! + height,
        };
      }),
    page,
  );
}

/** `maps`, once every map that has `page` focuses it and shows it (or after 5 s, when
 *  the assertions that follow say what is wrong). */
async function settledMaps(view: WebviewPage, page: number): ReturnType<typeof maps> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const shown = await maps(view, page);
    const settled = shown.filter((m) => page < m.pages).every((m) => m.focus === page && m.visible);
    if (settled || Date.now() > deadline) return shown;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function assertClean(view: WebviewPage): void {
  assert.deepEqual(view.cspViolations(), []);
  assert.deepEqual(view.collectConsoleErrors(), []);
}

// ---------------------------------------------------------------------------------------

test("the lists and the figures equal what the two inspect --json outputs imply", async (t) => {
  for (const pair of pairs) {
    await t.test(`${pair.left.name} ↔ ${pair.right.name}`, async () => {
      const want = expected(pair.left, pair.right);
      const view = await openCompare(pair);
      const page = view.page;
      const rows = await page
        .locator(".compare-segment-table [role=row][data-kind]")
        .evaluateAll((trs) =>
          trs.map((tr) => {
            const d = (tr as HTMLElement).dataset;
            return [d.kind!, d.left ? Number(d.left) : null, d.right ? Number(d.right) : null] as [
              string,
              number | null,
              number | null,
            ];
          }),
        );
      assert.deepEqual(
        rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [...want.segments].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      );
      const ranges = await page
        .locator(".compare-range-list li")
        .evaluateAll((lis) =>
          lis.map((li) => [
            Number(li.getAttribute("data-first-page")),
            Number(li.getAttribute("data-end-page")),
          ]),
        );
      assert.deepEqual(ranges, want.ranges);
      assert.match(await page.locator("[data-field='pages.count']").innerText(), /by content/);
      // Each map's legend counts its marked pages: the differing ones it has.
      const marked = await page
        .locator(".compare-map .page-map-legend [data-state='marked']")
        .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-count"))));
      const sidePages = [pair.left, pair.right].map(
        (m) => (m.cli.memories[0]!.minPages * 2 ** m.cli.memories[0]!.pageSizeLog2) / PAGE_SIZE,
      );
      assert.deepEqual(
        marked,
        sidePages.map((pages) =>
          want.ranges.reduce(
            (sum, [first, end]) => sum + Math.max(0, Math.min(end, pages) - first),
            0,
          ),
        ),
      );

      const [a, b] = [pair.left.cli.images[0]!, pair.right.cli.images[0]!];
      for (const field of ["offset", "length", "pages", "nonzeroPages", "dataBytes"] as const) {
        const cell = page.locator(`[data-field='images.0.${field}']`);
        const exact = (side: string) => cell.and(page.locator(`[data-side='${side}']`));
        const show = (v: number | null) => (v === null ? "" : String(v));
        assert.equal(await exact("left").getAttribute("data-value"), show(a[field]), field);
        assert.equal(await exact("right").getAttribute("data-value"), show(b[field]), field);
        const delta = a[field] === null || b[field] === null ? null : b[field]! - a[field]!;
        assert.equal(await exact("delta").getAttribute("data-value"), show(delta), field);
        // The text: grouped, byte counts with their size, the delta with its sign.
        const text = await exact("delta").innerText();
        if (delta === null) assert.match(text, /^(—|changed)$/);
        else if (delta === 0) assert.equal(text, "0");
        else {
          assert.equal(text[0], delta > 0 ? "+" : "−", `${field} delta sign`);
          assert.equal(text.slice(1).split(" ")[0]!.replaceAll(",", ""), String(Math.abs(delta)));
        }
      }
      assertClean(view);
      await view.close();
    });
  }
});

test("Next/Previous visit every difference in address order and scroll both maps", async (t) => {
  for (const pair of pairs) {
    await t.test(`${pair.left.name} ↔ ${pair.right.name}`, async () => {
      const want = expected(pair.left, pair.right).differences;
      const view = await openCompare(pair);
      const page = view.page;
      // Zoomed in (one zoom for both maps) so that the maps must scroll.
      const zoomIn = page.locator(".compare-map").first().getByRole("button", { name: "Zoom in" });
      for (let i = 0; i < 12 && (await zoomIn.getAttribute("disabled")) === null; i++) {
        await zoomIn.click();
      }
      const next = page.getByRole("button", { name: /^Next difference/ });
      const seen: ExpectedDifference[] = [];
      let scrolled = false;
      for (let i = 0; i < want.length; i++) {
        if (i % 2 === 0) await page.keyboard.press("n");
        else await next.click();
        const now = await status(view);
        assert.equal(now.index, i);
        seen.push({ kind: now.kind, memory: now.memory, start: now.start, end: now.end });
        const firstPage = Math.floor(now.start / PAGE_SIZE);
        // The maps follow the status in a later render (focus, then the scroll that reveals
        // it): wait for them to settle, then check what they show.
        const shown = await settledMaps(view, firstPage);
        assert.equal(shown[0]!.cell, shown[1]!.cell, "both maps at one scale");
        for (const map of shown.filter((m) => firstPage < m.pages)) {
          assert.equal(map.focus, firstPage);
          assert.ok(map.visible, `page ${firstPage} scrolled into view`);
          scrolled ||= map.scroll > 0;
        }
      }
      assert.deepEqual(seen, want);
      // stack-first's data at 1 MiB is far down a zoomed-in map of 512 pages.
      if (pair.right.name === "stack-first.wasm") assert.ok(scrolled, "a map had to scroll");
      assert.notEqual(await next.getAttribute("disabled"), null);
      await page.keyboard.press("n"); // at the end: stays
      assert.equal((await status(view)).index, want.length - 1);
      for (let i = want.length - 2; i >= 0; i--) {
        await page.keyboard.press("p");
        assert.equal((await status(view)).index, i);
      }
      assert.notEqual(
        await page.getByRole("button", { name: /^Previous difference/ }).getAttribute("disabled"),
        null,
      );
      assertClean(view);
      await view.close();
    });
  }
});

test("a list entry selects its difference", async () => {
  const pair = pairs[1]!;
  const want = expected(pair.left, pair.right).differences;
  const view = await openCompare(pair);
  const removed = view.page.locator(".compare-segment-table [data-kind='removed'] button");
  await removed.click();
  const now = await status(view);
  assert.equal(now.kind, "segment");
  assert.equal(
    now.index,
    want.findIndex((d) => d.kind === "segment" && d.start === 12288),
  );
  assert.equal(
    await view.page
      .locator(".compare-segment-table [data-kind='removed']")
      .getAttribute("aria-current"),
    "true",
  );
  await view.page.locator(".compare-range-list li").last().locator("button").click();
  assert.equal((await status(view)).index, want.length - 1);
  assertClean(view);
  await view.close();
});

test("the selected difference survives a reload, and another pair starts over", async () => {
  const pair = pairs[1]!;
  const want = expected(pair.left, pair.right).differences;
  assert.ok(want.length >= 2, "the pair has at least two differences");
  const view = await openCompare(pair);
  await view.page.locator(".compare-range-list li").last().locator("button").click();
  assert.equal((await status(view)).index, want.length - 1);
  await view.waitForState<{ views?: Record<string, unknown> }>(
    (state) => state?.views?.["compare.difference"] === want.length - 1,
  );

  await view.reload();
  await view.start(compareStart(pair));
  await view.page.locator(".compare-nav-status").waitFor();
  await view.page.waitForFunction(
    (index) =>
      document.querySelector<HTMLElement>(".compare-nav-status")?.dataset.index === String(index),
    want.length - 1,
  );

  // The same page, now comparing another pair: nothing is selected.
  const other = pairs[0]!;
  await view.reload();
  await view.start(compareStart(other));
  await view.page.locator(".compare-nav-status").waitFor();
  await view.waitForState<{ views?: Record<string, unknown> }>(
    (state) => state?.views?.["compare.difference"] === null,
  );
  assertClean(view);
  await view.close();
});

test("a difference in another memory switches the view to that memory", async () => {
  // Two memories (by hand: V8 11.3 has no multi-memory, wabt encodes memory 1 wrongly);
  // only memory 1's segment moves, from 0 to 0x2000: its image spans 0x0–0x2fff.
  const twoMemories = (second: number) =>
    wasmModule(
      memorySection({ min: 1 }, { min: 1 }),
      dataSection(activeDataOn(0, i32Offset(0), [7]), activeDataOn(1, i32Offset(second), [9])),
    );
  const side = (name: string, bytes: Uint8Array, s: ReportSide) =>
    reportMessage(bytes, { fileName: name, side: s });
  const view = await harness.openWebview();
  await view.start({
    view: "compare",
    report: side("a.wasm", twoMemories(0), "left"),
    then: [
      side("b.wasm", twoMemories(0x2000), "right"),
      diffMessage(twoMemories(0), twoMemories(0x2000)),
    ],
  });
  await view.page.locator(".compare-nav-status").waitFor();
  await view.page.keyboard.press("n");
  const now = await status(view);
  assert.deepEqual([now.kind, now.memory, now.start, now.end], ["image", 1, 0, 0x3000]);
  assert.match(await view.page.locator(".compare-summary caption").innerText(), /^Memory 1:/);
  assert.equal(
    await view.page.locator(".compare-memory").evaluate((e) => (e as HTMLInputElement).value),
    "1",
  );
  assert.equal(
    await view.page.locator("[data-field='images.1.offset'][data-side='delta']").innerText(),
    "+8,192 (8 KiB)",
  );
  const labels = await view.page
    .locator(".compare-map .page-map-frame")
    .evaluateAll((frames) => frames.map((f) => f.getAttribute("aria-label")));
  assert.ok(
    labels.every((label) => label?.startsWith("Memory 1 of ")),
    String(labels),
  );
  const violations = await view.checkAxe();
  assert.deepEqual(violations, [], formatAxe(violations));
  assertClean(view);
  await view.close();
});

test("a side that failed to decode shows its error", async () => {
  const view = await harness.openWebview();
  await view.start({
    view: "compare",
    report: compareStart(pairs[0]!).report,
    then: [
      {
        type: "reportError",
        side: "right",
        fileName: "broken.wasm",
        message: "bad magic (at byte 0x0)",
      },
    ],
  });
  const alert = view.page.getByRole("alert");
  await alert.waitFor();
  assert.match(
    await alert.innerText(),
    /broken\.wasm.*could not be read: bad magic \(at byte 0x0\)/s,
  );
  assert.deepEqual(await view.checkAxe(), []);
  assertClean(view);
  await view.close();
});

test("axe finds no violations in light, dark and high-contrast", async (t) => {
  for (const theme of THEMES) {
    await t.test(theme, async () => {
      const view = await openCompare(pairs[1]!, theme);
      await view.page.keyboard.press("n"); // with a selected difference as well
      const violations = await view.checkAxe();
      assert.deepEqual(violations, [], formatAxe(violations));
      assertClean(view);
      await view.close();
    });
  }
});
