// The page map in Chromium, fed with real analysis output (the sample modules, built
// from WAT) and a real runner's page states: the legend's counts equal an independent
// tally of the pages (and the runner's own counts), keyboard and mouse move, announce
// and select pages, selecting asks the host for the page's image and live bytes, the
// selected segment is outlined, theme changes repaint, and axe finds nothing. Plus the
// segment lookup behind the descriptions against a naive scan, on 100,000 segments.

import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { after, before, describe, test } from "node:test";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, LAYER_OUTSIDE } from "../../common/layer-values";
import { SegmentIndex } from "../../webview/src/page-map/segment-index";
import type { HostMessage, RunView, WebviewMessage } from "../../common/webview-protocol";
import type { SegmentJson } from "../../common/report-json";
import {
  activeData,
  activeDataOn,
  dataSection,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
} from "../helpers/binary-builder";
import { exampleModules, type ExampleModule } from "./harness/fixtures";
import { reportMessage, type ReportMessage } from "./harness/messages";
import { THEMES, type Theme } from "./harness/theme";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";
import { newRecorder, STATE_NAMES, type Recorder } from "./stepper-run-view";

const HOST_PAGE = 4096;
/** The legend's state names of the static layer, by LAYER_* value. */
const LAYER_NAMES: Record<number, string> = {
  [LAYER_OUTSIDE]: "outside",
  [LAYER_IMAGE_ZERO]: "imageZero",
  [LAYER_IMAGE_DATA]: "imageData",
};

type ReadRequest = Extract<WebviewMessage, { type: "readBytes" }>;

let harness: WebviewHarness;
let examples: ExampleModule[];
let recorder: Recorder;
/** dirty-per-call.wasm after instantiate, touch, touch: a live instance, page states. */
let run: RunView;

before(async () => {
  [harness, examples] = await Promise.all([startHarness(), exampleModules()]);
  recorder = newRecorder();
  const views = await recorder.record(example("dirty-per-call.wasm"), [
    { action: "instantiate" },
    { action: "invoke", export: "touch", args: [] },
    { action: "invoke", export: "touch", args: [] },
  ]);
  run = views.at(-1)!;
});

after(async () => {
  await recorder?.dispose();
  await harness?.close();
});

function example(name: string): ExampleModule {
  const found = examples.find((e) => e.name === name);
  assert.ok(found, `example ${name}`);
  return found;
}

function reportOf(name: string): ReportMessage {
  return reportMessage(example(name).bytes, { fileName: name });
}

interface OpenOptions {
  theme?: Theme;
  run?: RunView;
  /** View state restored into the page (selection included). */
  state?: { memory: number; page: number | null; segment: number | null };
}

async function openPageMap(report: ReportMessage, options: OpenOptions = {}): Promise<WebviewPage> {
  const view = await harness.openWebview({
    theme: options.theme ?? "dark",
    ...(options.state ? { state: { tab: "pages", zoom: 1, ...options.state } } : {}),
  });
  const then: HostMessage[] = options.run ? [{ type: "run", run: options.run }] : [];
  await view.start({ report, then });
  await view.page.getByRole("tab", { name: "Page map" }).click();
  await view.page.waitForSelector(".page-map-frame[data-painted]");
  return view;
}

/** Pages per state name, counted here. */
function tally(pages: Uint8Array, names: Record<number, string>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(
    Object.values(names).map((name) => [name, 0]),
  );
  for (const value of pages) {
    const name = names[value] ?? `value ${value}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

interface LegendRow {
  count: number;
  text: number;
  pattern: string;
}

async function legend(view: WebviewPage): Promise<Record<string, LegendRow>> {
  const rows = await view.page.$$eval(".page-map-legend-item", (items) =>
    items.map((item) => [
      (item as HTMLElement).dataset.state!,
      {
        count: Number((item as HTMLElement).dataset.count),
        text: Number(item.querySelector(".page-map-legend-count")!.textContent!.replace(/,/g, "")),
        pattern: item.querySelector(".page-map-legend-pattern")!.textContent!,
      },
    ]),
  );
  return Object.fromEntries(rows);
}

function assertLegend(rows: Record<string, LegendRow>, expected: Record<string, number>): void {
  assert.deepEqual(
    Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, row.count])),
    expected,
  );
  for (const [name, row] of Object.entries(rows)) assert.equal(row.text, row.count, `${name} text`);
  const patterns = Object.values(rows).map((row) => row.pattern);
  assert.equal(new Set(patterns).size, patterns.length, `distinct patterns: ${patterns}`);
}

interface Grid {
  pages: number;
  columns: number;
  cell: number;
  gutter: number;
  scroll: number;
  dpr: number;
  focus: number | null;
  painted: number;
  /** Rows that fit the canvas. */
  rowsPerView: number;
}

async function grid(view: WebviewPage): Promise<Grid> {
  return view.page.locator(".page-map-frame").evaluate((element) => {
    const data = (element as HTMLElement).dataset;
    const area = element.querySelector(".page-map-area")!;
    const cell = Number(data.cell);
    return {
      pages: Number(data.pages),
      columns: Number(data.columns),
      cell,
      gutter: Number(data.gutter),
      scroll: Number(data.scroll),
      dpr: Number(data.dpr),
      focus: data.focus === "" ? null : Number(data.focus),
      painted: Number(data.painted),
      rowsPerView: Math.floor((area.clientHeight * Number(data.dpr)) / cell),
    };
  });
}

/** The middle of a page's cell, in page coordinates. */
async function pagePoint(view: WebviewPage, page: number): Promise<{ x: number; y: number }> {
  const g = await grid(view);
  const box = (await view.page.locator(".page-map-overlay").boundingBox())!;
  const row = Math.floor(page / g.columns);
  return {
    x: box.x + (g.gutter + (page % g.columns) * g.cell + g.cell / 2) / g.dpr,
    y: box.y + (row * g.cell - g.scroll + g.cell / 2) / g.dpr,
  };
}

/** "0x00001000–0x00001fff" for a 4 KiB page, computed here. */
function range(page: number, pageSize: number, totalBytes: number): string {
  const digits = Math.max(8, (totalBytes - 1).toString(16).length);
  const hex = (n: number): string => `0x${n.toString(16).padStart(digits, "0")}`;
  return `${hex(page * pageSize)}–${hex((page + 1) * pageSize - 1)}`;
}

/** Indexes of the active segments on a page, by a plain scan of the report. */
function segmentsOn(segments: SegmentJson[], memory: number, from: number, to: number): number[] {
  return segments
    .filter((s) => s.memory === memory && s.start !== null && s.size > 0)
    .filter((s) => s.start! < to && s.start! + s.size > from)
    .map((s) => s.index);
}

const liveRegion = (view: WebviewPage) => view.page.locator('.page-map [aria-live="polite"]');
const infoLine = (view: WebviewPage) => view.page.locator(".page-map-info");

async function reads(view: WebviewPage): Promise<ReadRequest[]> {
  return (await view.posted()).filter((m): m is ReadRequest => m.type === "readBytes");
}

async function assertAccessible(view: WebviewPage, where: string): Promise<void> {
  const violations = await view.checkAxe();
  assert.deepEqual(violations, [], `${where}:\n${formatAxe(violations)}`);
  assert.deepEqual(view.collectConsoleErrors(), [], where);
}

describe("legend", () => {
  test("counts equal the static layer's page values of every sample module", async () => {
    for (const { name, bytes } of examples) {
      const report = reportMessage(bytes, { fileName: name });
      const view = await openPageMap(report);
      const layer = report.layers.find((l) => l.memory === 0)!;
      assertLegend(await legend(view), tally(layer.pages, LAYER_NAMES));
      assert.equal((await grid(view)).pages, layer.pages.length, name);
      await view.close();
    }
  });

  test("runtime counts equal a tally of the runner's page states and its own counts", async () => {
    const view = await openPageMap(reportOf("dirty-per-call.wasm"), { run });
    const step = run.steps.at(-1)!;
    const memory = step.memories.find((m) => m.memory === 0)!;
    assert.ok(memory.states, "the recorder asks for page states");
    await view.page.locator("vscode-checkbox", { hasText: "runtime page states" }).click();
    await view.page
      .getByRole("img", {
        name: new RegExp(`^Memory 0 pages after step ${run.steps.length} \\(invoke`),
      })
      .waitFor();
    const rows = await legend(view);
    const names = Object.fromEntries(STATE_NAMES.map((n, i) => [i, n]));
    assertLegend(rows, tally(memory.states, names));
    for (const name of STATE_NAMES) {
      assert.equal(rows[name]!.count, memory.pages[name], `runner's count of ${name}`);
    }
    // Two touches, two private copies of image pages.
    assert.equal(rows.imageDirty!.count, 2);
    await view.close();
  });

  test("the memory picker shows each memory's own layer", async () => {
    const bytes = module(
      importSection(importEntry("env", "heap", importDesc.memory({ min: 2, max: 5 }))),
      memorySection({ min: 1, max: 3, memory64: true }),
      dataSection(activeData(i32Offset(8), [1, 2, 3]), activeDataOn(1, i64Offset(0x5000n), [4, 5])),
    );
    const report = reportMessage(bytes, { fileName: "two-memories.wasm" });
    const view = await openPageMap(report);
    const layers = report.layers;
    assertLegend(await legend(view), tally(layers[0]!.pages, LAYER_NAMES));
    await view.page.locator("#page-map-memory").click();
    await view.page.getByRole("option", { name: "Memory 1" }).click();
    await view.page.waitForSelector(`.page-map-frame[data-pages="${layers[1]!.pages.length}"]`);
    assertLegend(await legend(view), tally(layers[1]!.pages, LAYER_NAMES));
    await view.page.getByRole("img", { name: /^Memory 1 pages/ }).waitFor();
    await view.close();
  });
});

/** A 4 GiB memory whose only data (3 bytes) lies 3 GiB in. */
const IMAGE_ADDRESS = 0xc000_0000;
function farModule(): ReportMessage {
  const bytes = module(
    memorySection({ min: 65536 }),
    // 3 GiB as an i32 constant is negative.
    dataSection(activeData(i32Offset(IMAGE_ADDRESS | 0), [1, 2, 3])),
  );
  return reportMessage(bytes, { fileName: "far.wasm" });
}

describe("opening", () => {
  test("with nothing selected, the map opens on the image, 3 GiB into a 4 GiB memory", async () => {
    const view = await openPageMap(farModule());
    await view.page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.scroll) > 0,
    );
    const g = await grid(view);
    assert.equal(g.pages, 2 ** 32 / HOST_PAGE);
    const top = Math.floor(IMAGE_ADDRESS / HOST_PAGE / g.columns) * g.cell - g.scroll;
    assert.ok(top >= 0 && top < g.rowsPerView * g.cell, `the image's row is in view (${top})`);
    await view.close();
  });

  test("an image at the start of the same memory stays at the top", async () => {
    const bytes = module(memorySection({ min: 65536 }), dataSection(activeData(i32Offset(0), [1])));
    const view = await openPageMap(reportMessage(bytes, { fileName: "near.wasm" }));
    const g = await grid(view);
    assert.ok(Math.ceil(g.pages / g.columns) > g.rowsPerView, "the map is taller than the view");
    assert.equal(g.scroll, 0);
    await view.close();
  });
});

describe("minimap", () => {
  /** The colour of each pixel column across the middle of the strip. */
  async function stripColumns(view: WebviewPage): Promise<number[]> {
    return view.page.locator(".page-map-minimap-canvas").evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const row = c.getContext("2d")!.getImageData(0, Math.floor(c.height / 2), c.width, 1).data;
      return Array.from({ length: c.width }, (_, x) => new DataView(row.buffer).getUint32(x * 4));
    });
  }

  test("the whole memory to scale: the one data page 3 GiB in shows in its column; a click goes anywhere", async () => {
    const view = await openPageMap(farModule());
    const pages = 2 ** 32 / HOST_PAGE;
    // A click a tenth of the way along focuses a page a tenth of the way in and scrolls
    // the grid to it.
    const box = (await view.page.locator(".page-map-minimap-canvas").boundingBox())!;
    await view.page.mouse.click(box.x + box.width / 10, box.y + box.height / 2);
    await view.page.waitForFunction(
      () => document.querySelector<HTMLElement>(".page-map-frame")!.dataset.focus !== "",
    );
    const after = await grid(view);
    const expected = pages / 10;
    const share = pages / box.width; // pages per CSS pixel
    assert.ok(
      Math.abs(after.focus! - expected) <= 2 * share,
      `focus ${after.focus} near page ${expected}`,
    );
    const top = Math.floor(after.focus! / after.columns) * after.cell - after.scroll;
    assert.ok(top >= 0 && top < after.rowsPerView * after.cell, "the grid shows it");
    assert.match(
      (await view.page.locator('.page-map [aria-live="polite"]').textContent()) ?? "",
      new RegExp(`^Page ${after.focus} of `),
      "and says which page it is",
    );
    const colours = await stripColumns(view);
    // Column x stands for pages [x·n/w, (x+1)·n/w): the image's page is in this one.
    const imageColumn = Math.floor(((IMAGE_ADDRESS / HOST_PAGE) * colours.length) / pages);
    // Untouched memory is most of the strip.
    const tally = new Map<number, number>();
    for (const colour of colours) tally.set(colour, (tally.get(colour) ?? 0) + 1);
    const outside = [...tally].sort((a, b) => b[1] - a[1])[0]![0];
    const differing = colours.flatMap((colour, x) => (colour === outside ? [] : [x]));
    // The frame around what the grid shows crosses the band at its two ends: those columns
    // (±2 for rounding) do not count.
    const g = await grid(view);
    const shownFirst = Math.floor(g.scroll / g.cell) * g.columns;
    const shownEnd = Math.ceil((g.scroll + g.rowsPerView * g.cell) / g.cell) * g.columns;
    const edges = [shownFirst, shownEnd].map((page) => (page * colours.length) / pages);
    const framed = (x: number): boolean => edges.some((edge) => Math.abs(x - edge) <= 2);
    assert.deepEqual(
      differing.filter((x) => !framed(x)),
      // Drawn three device pixels wide, so one page in a million is seen.
      [imageColumn - g.dpr, imageColumn, imageColumn + g.dpr],
      "no other column differs from untouched memory",
    );
    assert.equal(
      await view.page.locator(".page-map-minimap-scale").textContent(),
      "04 GiB",
      "the strip's ends are 0 and 4 GiB",
    );

    await view.close();
  });
});

describe("next and previous", () => {
  test("N/P and the buttons step through the image's data pages, and say when there is none", async () => {
    const report = reportOf("sparse.wasm");
    // The pages the report's segments write, worked out here (4 KiB pages).
    const segments = JSON.parse(report.segmentsJson) as SegmentJson[];
    const data = [
      ...new Set(
        segments.flatMap((s) =>
          s.start === null || s.size === 0
            ? []
            : Array.from(
                {
                  length:
                    Math.ceil((s.start + s.size) / HOST_PAGE) - Math.floor(s.start / HOST_PAGE),
                },
                (_, i) => Math.floor(s.start! / HOST_PAGE) + i,
              ),
        ),
      ),
    ].sort((a, b) => a - b);
    assert.equal(data.length, 2, "sparse.wasm writes two pages far apart");
    const view = await openPageMap(report);
    const focusOn = (page: number) =>
      view.page.waitForSelector(`.page-map-frame[data-focus="${page}"]`);
    await view.page.getByRole("application", { name: /^Memory 0 pages/ }).focus();
    await view.page.keyboard.press("n");
    await focusOn(data[0]!);
    await view.page.keyboard.press("n");
    await focusOn(data[1]!);
    const g = await grid(view);
    const top = Math.floor(data[1]! / g.columns) * g.cell - g.scroll;
    assert.ok(top >= 0 && top < g.rowsPerView * g.cell + g.cell, "scrolled to it");
    const pressAndHear = async (key: string, said: string): Promise<void> => {
      await view.page.getByRole("application", { name: /^Memory 0 pages/ }).focus();
      await view.page.keyboard.press(key);
      await view.page.waitForFunction(
        (text) => document.querySelector('.page-map [aria-live="polite"]')?.textContent === text,
        said,
      );
    };
    await pressAndHear("n", "No next data page.");
    await view.page.locator('vscode-button[data-page-step="previous"]').click();
    await focusOn(data[0]!);
    await pressAndHear("p", "No previous data page.");
    await view.page.locator('vscode-button[data-page-step="next"]').click();
    await focusOn(data[1]!);
    await view.close();
  });
});

describe("keyboard", () => {
  test("arrows, Home/End, PageUp/PageDown move the focus, scroll to it and announce it", async () => {
    const view = await openPageMap(reportOf("sparse.wasm"));
    const fit = await grid(view);
    await view.page.getByRole("application", { name: /^Memory 0 pages/ }).focus();
    // Zoomed in by keys until the map is taller than the view, so paging scrolls.
    await view.page.keyboard.press("+");
    await view.page.keyboard.press("+");
    await view.page.waitForFunction(
      (cell) => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.cell) > cell,
      fit.cell,
    );
    const g = await grid(view);
    const columns = g.columns;
    const last = g.pages - 1;
    const lastRowStart = last - (last % columns);
    assert.ok(Math.ceil(g.pages / columns) > 2 * g.rowsPerView, "several views of rows");
    const expectFocus = async (page: number, what: string): Promise<void> => {
      await view.page.waitForSelector(`.page-map-frame[data-focus="${page}"]`);
      const said = (await liveRegion(view).textContent())!;
      assert.ok(said.includes(`Page ${page} of ${g.pages}`), `${what}: ${said}`);
      assert.ok(said.includes(range(page, HOST_PAGE, g.pages * HOST_PAGE)), `${what}: ${said}`);
      const now = await grid(view);
      const top = Math.floor(page / columns) * now.cell - now.scroll;
      assert.ok(
        top >= 0 && top + now.cell <= now.rowsPerView * now.cell + now.cell,
        `${what}: row shown`,
      );
    };
    const pageDown = (page: number): number =>
      page + g.rowsPerView * columns <= last
        ? page + g.rowsPerView * columns
        : Math.min(last, lastRowStart + (page % columns));
    await expectFocus(0, "focus");
    const steps: [string, number][] = [
      ["ArrowRight", 1],
      ["ArrowDown", 1 + columns],
      ["End", 2 * columns - 1],
      ["Home", columns],
      ["ArrowUp", 0],
      ["ArrowLeft", 0],
      ["PageDown", pageDown(0)],
      ["PageDown", pageDown(pageDown(0))],
      ["PageDown", pageDown(pageDown(pageDown(0)))],
      ["Control+Home", 0],
      ["Control+End", last],
      ["PageUp", last - g.rowsPerView * columns],
      ["ArrowDown", last - (g.rowsPerView - 1) * columns],
    ];
    for (const [key, page] of steps) {
      await view.page.keyboard.press(key);
      await expectFocus(page, key);
    }
    await view.close();
  });

  test("Enter selects the focused page: the host is asked for its image bytes", async () => {
    const report = reportOf("sparse.wasm");
    const view = await openPageMap(report);
    const g = await grid(view);
    await view.page.locator(".page-map-frame").focus();
    await view.page.keyboard.press("ArrowRight");
    await view.page.keyboard.press("ArrowDown");
    await view.page.keyboard.press("Enter");
    const page = 1 + g.columns;
    const request = (await view.waitForPosted((m) => m.type === "readBytes")) as ReadRequest;
    assert.deepEqual(
      { ...request, requestId: 0 },
      {
        type: "readBytes",
        requestId: 0,
        side: "left",
        source: "image",
        memory: 0,
        offset: page * HOST_PAGE,
        length: HOST_PAGE,
      },
    );
    await view.waitForState<{ page: number | null }>((state) => state?.page === page);
    assert.ok((await liveRegion(view).textContent())!.startsWith("Selected: "));
    const bytes = new Uint8Array(HOST_PAGE).map((_, i) => i & 0xff);
    await view.deliver({ type: "bytes", requestId: request.requestId, bytes, error: null });
    await view.page
      .getByRole("heading", { name: `Page ${page} of memory 0`, exact: false })
      .waitFor();
    await view.page.getByText("No live instance").first().waitFor();
    assert.equal((await reads(view)).length, 1, "no live read without a live instance");
    await view.close();
  });
});

describe("mouse", () => {
  test("hover describes the page and its segments; a click selects it", async () => {
    const report = reportOf("sparse.wasm");
    const segments = JSON.parse(report.segmentsJson) as SegmentJson[];
    const view = await openPageMap(report);
    const g = await grid(view);
    const total = g.pages * HOST_PAGE;
    const withData = segments.map((s) => Math.floor(s.start! / HOST_PAGE));
    for (const page of [0, ...withData, withData[0]! + g.columns]) {
      const point = await pagePoint(view, page);
      await view.page.mouse.move(point.x, point.y);
      await view.page.waitForSelector(`.page-map-info[data-page="${page}"]`);
      const text = (await infoLine(view).textContent())!;
      assert.ok(text.includes(`Page ${page} of ${g.pages}`), text);
      assert.ok(text.includes(range(page, HOST_PAGE, total)), text);
      const on = segmentsOn(segments, 0, page * HOST_PAGE, (page + 1) * HOST_PAGE);
      if (on.length === 0) assert.ok(text.includes("no data segment"), text);
      for (const index of on) assert.match(text, new RegExp(`#${index}\\b`));
    }
    const target = withData[1]!;
    const point = await pagePoint(view, target);
    await view.page.mouse.click(point.x, point.y);
    const request = (await view.waitForPosted((m) => m.type === "readBytes")) as ReadRequest;
    assert.equal(request.offset, target * HOST_PAGE);
    await view.close();
  });

  test("zoom buttons, Ctrl+wheel (around the pointer) and wheel scrolling", async () => {
    const view = await openPageMap(reportOf("sparse.wasm"));
    const fit = await grid(view);
    await view.page.getByRole("button", { name: "Zoom in" }).click();
    await view.page.waitForFunction(
      (cell) => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.cell) > cell,
      fit.cell,
    );
    const zoomed = await grid(view);
    assert.ok(zoomed.columns <= fit.columns);
    // The map is now taller than the view: the wheel scrolls it.
    assert.ok(
      Math.ceil(zoomed.pages / zoomed.columns) * zoomed.cell > zoomed.rowsPerView * zoomed.cell,
    );
    const anchor = 3 * zoomed.columns + 5;
    const point = await pagePoint(view, anchor);
    await view.page.mouse.move(point.x, point.y);
    await view.page.mouse.wheel(0, 300);
    await view.page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.scroll) > 0,
    );
    await view.page.mouse.wheel(0, -10_000);
    await view.page.waitForSelector('.page-map-frame[data-scroll="0"]');
    // Ctrl+wheel zooms in, keeping the page under the pointer under it.
    await view.page.mouse.move(point.x, point.y);
    await view.page.waitForSelector(`.page-map-info[data-page="${anchor}"]`);
    await view.page.keyboard.down("Control");
    await view.page.mouse.wheel(0, -100);
    await view.page.keyboard.up("Control");
    await view.page.waitForFunction(
      (cell) => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.cell) > cell,
      zoomed.cell,
    );
    // Columns stay where they fit (no sideways panning): the anchor's row stays put.
    const moved = await pagePoint(view, anchor);
    assert.ok(
      Math.abs(moved.y - point.y) <= (await grid(view)).cell,
      `row at ${moved.y}, pointer ${point.y}`,
    );
    await view.page.getByRole("button", { name: "Fit the map" }).click();
    await view.page.waitForSelector(`.page-map-frame[data-cell="${fit.cell}"]`);
    await view.page.getByRole("button", { name: "Zoom out" }).click();
    await view.page.waitForFunction(
      (cell) => Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.cell) < cell,
      fit.cell,
    );
    await view.close();
  });
});

describe("drawing", () => {
  // Memory 0: 4 wasm pages (256 host pages); segment 0 covers pages 1–3, segment 1 page 32.
  const SEGMENTED = module(
    memorySection({ min: 4 }),
    dataSection(
      activeData(i32Offset(0x1800), new Array<number>(10_000).fill(7)),
      activeData(i32Offset(0x20000), [1, 2, 3, 4, 5]),
    ),
  );

  /** The cells canvas's pixels. */
  async function pixels(view: WebviewPage): Promise<{ width: number; data: Buffer }> {
    const { width, base64 } = await view.page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(".page-map-canvas")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let text = "";
      for (let i = 0; i < data.length; i += 0x8000) {
        text += String.fromCharCode(...data.subarray(i, i + 0x8000));
      }
      return { width: canvas.width, base64: btoa(text) };
    });
    return { width, data: Buffer.from(base64, "base64") };
  }

  test("the selected segment's pages are outlined, nothing else changes", async () => {
    const report = reportMessage(SEGMENTED, { fileName: "segmented.wasm" });
    const plain = await openPageMap(report, { state: { memory: 0, page: null, segment: null } });
    const outlined = await openPageMap(report, { state: { memory: 0, page: null, segment: 0 } });
    const g = await grid(outlined);
    assert.deepEqual({ ...(await grid(plain)), painted: 0 }, { ...g, painted: 0 });
    const a = await pixels(plain);
    const b = await pixels(outlined);
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < a.data.length; i += 4) {
      if (a.data.readUInt32LE(i) === b.data.readUInt32LE(i)) continue;
      const x = (i / 4) % a.width;
      const y = Math.floor(i / 4 / a.width);
      [minX, maxX, minY, maxY] = [
        Math.min(minX, x),
        Math.max(maxX, x),
        Math.min(minY, y),
        Math.max(maxY, y),
      ];
    }
    // Pages [1, 4) (0x1800 + 10,000 bytes ends in page 3), all in row 0 here.
    assert.ok(g.columns >= 4);
    const left = g.gutter + 1 * g.cell;
    const right = g.gutter + 4 * g.cell;
    const slack = 3 * g.dpr;
    assert.ok(minX >= left - slack && minX <= left + 1, `left edge ${minX} near ${left}`);
    assert.ok(maxX <= right + slack && maxX >= right - 2, `right edge ${maxX} near ${right}`);
    assert.ok(minY >= 0 && maxY <= g.cell + slack && maxY >= g.cell - 2, `rows ${minY}..${maxY}`);
    await plain.close();
    await outlined.close();
  });

  test("a theme change repaints with the new theme's background", async () => {
    const view = await openPageMap(reportMessage(SEGMENTED, { fileName: "segmented.wasm" }));
    for (const theme of ["light", "high-contrast", "dark"] as const) {
      const before = (await grid(view)).painted;
      await view.setTheme(theme);
      await view.page.waitForFunction(
        (count) =>
          Number(document.querySelector<HTMLElement>(".page-map-frame")!.dataset.painted) > count,
        before,
      );
      const { expected, actual } = await view.page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>(".page-map-canvas")!;
        const [r, g, b] = canvas.getContext("2d")!.getImageData(1, 1, 1, 1).data;
        return {
          expected: getComputedStyle(canvas).getPropertyValue("--vscode-editor-background").trim(),
          actual: [r!, g!, b!],
        };
      });
      const hex = expected.replace("#", "");
      const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      assert.deepEqual(actual, rgb, `${theme}: background ${expected}`);
    }
    await view.close();
  });
});

describe("accessibility", () => {
  /** Selects a page by keyboard and answers the reads: live bytes differ in byte 0. */
  async function selectWithBytes(view: WebviewPage): Promise<void> {
    await view.page.locator(".page-map-frame").focus();
    await view.page.keyboard.press("ArrowRight");
    await view.page.keyboard.press("Enter");
    await view.waitForPosted((m) => m.type === "readBytes" && m.source === "live");
    for (const request of await reads(view)) {
      const bytes = new Uint8Array(request.length).fill(0x41);
      if (request.source === "live") bytes[0] = 0xff;
      await view.deliver({ type: "bytes", requestId: request.requestId, bytes, error: null });
    }
    await view.page.getByText("1 byte differs").waitFor();
  }

  for (const theme of THEMES) {
    test(`axe finds no violations (${theme})`, async () => {
      const layer = await openPageMap(reportOf("stack-first.wasm"), { theme });
      await layer.page
        .getByRole("img", { name: /^Memory 0 pages of the static image layer/ })
        .waitFor();
      await assertAccessible(layer, `${theme}, static layer`);
      await layer.close();

      const runtime = await openPageMap(reportOf("dirty-per-call.wasm"), { theme, run });
      await runtime.page.locator("vscode-checkbox", { hasText: "runtime page states" }).click();
      await runtime.page.getByRole("img", { name: /pages after step/ }).waitFor();
      await selectWithBytes(runtime);
      await assertAccessible(runtime, `${theme}, runtime states and bytes`);
      assert.deepEqual(runtime.cspViolations(), []);
      await runtime.close();
    });
  }
});

describe("segment lookup", () => {
  /** 100,000 segments over 4 GiB: small ones, some 16 MiB ones, other memories, passive. */
  function manySegments(): SegmentJson[] {
    let x = 0x9e3779b9;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    return Array.from({ length: 100_000 }, (_, index) => {
      const passive = index % 17 === 0;
      const size =
        index % 997 === 0 ? 16 << 20 : index % 101 === 0 ? 0 : Math.floor(next() * 70_000);
      return {
        index,
        mode: passive ? "passive" : "active",
        memory: passive ? null : index % 13 === 0 ? 1 : 0,
        offset: null,
        size,
        fileOffset: 0,
        name: index % 5 === 0 ? `s${index}` : null,
        start: passive || index % 19 === 0 ? null : Math.floor(next() * 2 ** 32),
        bounds: null,
      } as SegmentJson;
    });
  }

  test("finds exactly the segments a plain scan finds, much faster", () => {
    const segments = manySegments();
    const index = new SegmentIndex(segments, 0);
    let y = 12345;
    const queries = Array.from({ length: 120 }, () => {
      y = (y * 1103515245 + 12345) >>> 0;
      const page = y % (1 << 20);
      return [page * HOST_PAGE, (page + 1 + (y % 3) * 300) * HOST_PAGE] as const;
    });
    const byStart = (a: number, b: number): number =>
      segments[a]!.start! - segments[b]!.start! || a - b;
    let indexMs = 0;
    let scanMs = 0;
    for (const [from, to] of queries) {
      let started = performance.now();
      const found = index.overlapping(from, to).map((s) => s.index);
      indexMs += performance.now() - started;
      started = performance.now();
      const expected = segmentsOn(segments, 0, from, to)
        .filter((i) => segments[i]!.mode === "active")
        .sort(byStart);
      scanMs += performance.now() - started;
      assert.deepEqual(found, expected, `[${from}, ${to})`);
    }
    assert.ok(queries.some(([from, to]) => segmentsOn(segments, 0, from, to).length > 1));
    assert.ok(
      indexMs * 10 < scanMs,
      `index ${indexMs.toFixed(1)} ms vs scan ${scanMs.toFixed(1)} ms`,
    );
  });
});
