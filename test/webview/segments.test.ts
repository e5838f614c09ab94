// The Segments tab in Chromium with a real report of a 100,000-segment module: only the
// visible rows exist in the DOM, every shown integer equals the report JSON, sorting and
// filtering give the orders computed here, the keyboard moves and selects, a selection
// reaches the shared state and shows the segment's image bytes, and axe passes.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { WebviewMessage } from "../../common/webview-protocol";
import type { ReportJson, SegmentJson } from "../../common/report-json";
import { exactBytes } from "../../common/format";
import { STATE_KEY } from "./harness/page";
import { joinReportJson, reportMessage, type ReportMessage } from "./harness/messages";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";
import { asciiOf, hexOf, shownHexRows } from "./hex-view-dom";
import { encodeModule, manySegments, type ModuleSpec } from "./segments-module";

const COUNT = 100_000;
const PAGE_SIZE = 4096;

interface ShownRow {
  rowIndex: number;
  segment: number;
  selected: boolean;
  cells: Record<string, string>;
}

let harness: WebviewHarness;
let spec: ModuleSpec;
let message: ReportMessage;
let report: ReportJson;

before(async () => {
  spec = manySegments(COUNT);
  message = reportMessage(encodeModule(spec), { fileName: "many.wasm", pageSize: PAGE_SIZE });
  report = joinReportJson(message);
  harness = await startHarness();
});
after(() => harness?.close());

async function openSegments(report: ReportMessage = message): Promise<WebviewPage> {
  const view = await harness.openWebview({ theme: "dark" });
  await view.start({ report });
  await showSegmentsTab(view);
  return view;
}

/** Shows the Segments tab; with `all`, switches its mode filter from the default (the
 *  active segments with bytes) to every segment, as most tests here want. */
async function showSegmentsTab(view: WebviewPage, all = true): Promise<void> {
  await view.page.getByRole("tab", { name: "Segments" }).click();
  await view.page.waitForSelector("[role=grid] [data-segment]");
  if (all) await chooseMode(view.page, "all");
}

async function chooseMode(page: Page, label: string): Promise<void> {
  await page.locator("vscode-single-select#segments-mode").click();
  await page.getByRole("option", { name: label, exact: true }).click();
}

/** The shared page of the 100,000-segment module (delivering its 27 MB report takes a
 *  while), with a freshly mounted Segments tab: default order, no filter. The table's
 *  sort and filters are kept in the view state (they survive a reload), so they are
 *  forgotten first, as a new tab would have them. */
let shared: WebviewPage | undefined;
async function sharedSegments(): Promise<WebviewPage> {
  if (!shared) shared = await openSegments();
  else {
    await shared.page.getByRole("tab", { name: "Overview" }).click();
    await shared.page.evaluate((key) => {
      const state = JSON.parse(sessionStorage.getItem(key) ?? "{}") as { views?: unknown };
      delete state.views;
      sessionStorage.setItem(key, JSON.stringify(state));
    }, STATE_KEY);
    await showSegmentsTab(shared);
  }
  return shared;
}

/** The grid's rendered body rows, in row order. */
function shownRows(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[role=grid] [role=row][data-segment]")]
      .map((row) => ({
        rowIndex: Number(row.getAttribute("aria-rowindex")),
        segment: Number(row.dataset.segment),
        selected: row.getAttribute("aria-selected") === "true",
        cells: Object.fromEntries(
          [...row.querySelectorAll<HTMLElement>("[role=gridcell]")].map((cell) => [
            cell.dataset.column!,
            cell.textContent!,
          ]),
        ),
      }))
      .sort((a, b) => a.rowIndex - b.rowIndex),
  );
}

/** Waits until the first shown rows are `expected` (segment indexes, in order). */
async function waitForFirstRows(page: Page, expected: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  let shown: number[] = [];
  while (Date.now() < deadline) {
    shown = (await shownRows(page)).slice(0, expected.length).map((r) => r.segment);
    if (JSON.stringify(shown) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.deepEqual(shown, expected);
}

const statusText = (page: Page) => page.locator(".segments-count[role=status]").textContent();

/** Segments in an order computed here: by a key, unknown (null) last, ties by index. */
function sortedBy(key: (s: SegmentJson) => number | null, descending = false): number[] {
  return report.dataSegments
    .slice()
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      return (descending ? y - x : x - y) || a.index - b.index;
    })
    .map((s) => s.index);
}

/** Checks each shown row's cells against the report's segment. */
function assertRowsMatchReport(rows: ShownRow[]): void {
  for (const { segment: index, cells } of rows) {
    const s = report.dataSegments[index]!;
    const where = `segment ${index}`;
    assert.equal(Number(cells.index), s.index, where);
    assert.equal(cells.name, s.name ?? "", where);
    assert.equal(cells.mode, s.mode, where);
    assert.equal(cells.size, exactBytes(s.size), where);
    assert.equal(cells.memory, s.memory === null ? "—" : String(s.memory), where);
    assert.equal(cells.bounds, s.bounds ?? "—", where);
    // One column: the start address, the offset it came from when not a constant, or
    // the offset alone when the start is unknown; "—" for a passive segment.
    if (s.mode === "passive") assert.equal(cells.start, "—", where);
    else if (s.start === null)
      assert.equal(
        cells.start,
        s.offset?.kind === "global"
          ? `global.get ${s.offset.global}`
          : s.offset?.kind === "expr"
            ? s.offset.text
            : "unknown",
        where,
      );
    else {
      assert.match(cells.start!, /^0x[0-9a-f]+/, where);
      assert.equal(parseInt(cells.start!.slice(2), 16), s.start, where);
      if (s.offset?.kind === "const") assert.equal(s.offset.value, s.start, where);
    }
    // Pages: those of the first and the last byte.
    if (s.start === null || s.size === 0) assert.equal(cells.pages, "—", where);
    else {
      const first = Math.floor(s.start / PAGE_SIZE);
      const last = Math.floor((s.start + s.size - 1) / PAGE_SIZE);
      assert.equal(cells.pages, first === last ? `${first}` : `${first}–${last}`, where);
    }
  }
}

describe("100,000 segments", () => {
  test("only the visible rows are in the DOM, and they equal the report JSON", async () => {
    const view = await sharedSegments();
    const { page } = view;
    assert.equal(await statusText(page), `${COUNT.toLocaleString("en-US")} data segments.`);
    assert.equal(await page.locator("[role=grid]").getAttribute("aria-rowcount"), `${COUNT + 1}`);
    const rows = await shownRows(page);
    assert.ok(rows.length >= 10 && rows.length < 80, `${rows.length} rows in the DOM`);
    assert.deepEqual(
      rows.map((r) => r.segment),
      rows.map((_, i) => i),
    );
    assertRowsMatchReport(rows);

    // Scroll to the middle and to the end: the rows there, and still few of them.
    const grid = page.locator("[role=grid]");
    const rowHeight = await page
      .locator("[role=grid] [data-segment]")
      .first()
      .evaluate((row) => row.getBoundingClientRect().height);
    await grid.evaluate((element, top) => (element.scrollTop = top), 50_000 * rowHeight);
    await page.waitForFunction(() => document.querySelector("[role=grid] [data-segment='50000']"));
    const middle = await shownRows(page);
    assert.ok(middle.length < 80);
    assertRowsMatchReport(middle);
    for (const row of middle) assert.equal(row.rowIndex, row.segment + 2);
    // The row at the scroll position is on screen, under the sticky header.
    const placement = await page.evaluate(() => {
      const grid = document.querySelector("[role=grid]")!.getBoundingClientRect();
      const head = document.querySelector(".segments-head")!.getBoundingClientRect();
      const row = document.querySelector("[data-segment='50000']")!.getBoundingClientRect();
      return { gridBottom: grid.bottom, headBottom: head.bottom, top: row.top, bottom: row.bottom };
    });
    assert.ok(placement.top >= placement.headBottom - 1, JSON.stringify(placement));
    assert.ok(placement.bottom <= placement.gridBottom + 1, JSON.stringify(placement));

    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.waitForFunction(
      (last) => document.querySelector(`[role=grid] [data-segment='${last}']`),
      COUNT - 1,
    );
    const end = await shownRows(page);
    assert.equal(end.at(-1)!.segment, COUNT - 1);
    assert.equal(end.at(-1)!.rowIndex, COUNT + 1);
    assertRowsMatchReport(end);
    assert.deepEqual(view.collectConsoleErrors(), []);
  });

  test("sorting by a header orders the rows; aria-sort follows", async () => {
    const view = await sharedSegments();
    const { page } = view;
    const size = page.getByRole("columnheader", { name: /^Size/ });
    assert.equal(await size.getAttribute("aria-sort"), "none");
    assert.equal(
      await page.getByRole("columnheader", { name: /^Index/ }).getAttribute("aria-sort"),
      "ascending",
    );

    await size.click();
    assert.equal(await size.getAttribute("aria-sort"), "ascending");
    await waitForFirstRows(page, sortedBy((s) => s.size).slice(0, 12));
    assertRowsMatchReport(await shownRows(page));

    await size.click();
    assert.equal(await size.getAttribute("aria-sort"), "descending");
    await waitForFirstRows(page, sortedBy((s) => s.size, true).slice(0, 12));

    // From the keyboard: Enter on the Start header; unknown (passive) starts go last.
    const start = page.getByRole("columnheader", { name: /^Start/ });
    await start.focus();
    await page.keyboard.press("Enter");
    assert.equal(await start.getAttribute("aria-sort"), "ascending");
    assert.equal(await size.getAttribute("aria-sort"), "none");
    const byStart = sortedBy((s) => s.start);
    await waitForFirstRows(page, byStart.slice(0, 12));
    await page.keyboard.press(" ");
    assert.equal(await start.getAttribute("aria-sort"), "descending");
    await waitForFirstRows(page, sortedBy((s) => s.start, true).slice(0, 12));
    // The end of the descending order by start: the passive segments, by index.
    await page.locator("[role=grid]").evaluate((g) => (g.scrollTop = g.scrollHeight));
    const passive = report.dataSegments.filter((s) => s.start === null).map((s) => s.index);
    await page.waitForFunction(
      (last) => document.querySelector(`[role=grid] [data-segment='${last}']`),
      passive.at(-1)!,
    );
    const tail = (await shownRows(page)).map((r) => r.segment);
    assert.deepEqual(tail.slice(-5), passive.slice(-5));
  });

  test("filtering by text and by mode, with the count announced", async () => {
    const view = await sharedSegments();
    const { page } = view;
    const field = page.locator("vscode-textfield#segments-filter input");
    await field.fill("seg_77");
    // Names are seg_<i> on every 7th segment; no index or offset text contains "seg".
    const named = report.dataSegments.filter((s) => s.name?.includes("seg_77")).map((s) => s.index);
    assert.ok(named.length > 20);
    await page.waitForFunction(
      (text) => document.querySelector(".segments-count")?.textContent === text,
      `${named.length.toLocaleString("en-US")} of ${COUNT.toLocaleString("en-US")} data segments match.`,
    );
    await waitForFirstRows(page, named.slice(0, 10));
    assert.equal(
      await page.locator("[role=grid]").getAttribute("aria-rowcount"),
      String(named.length + 1),
    );

    // Hex offsets match as shown: a constant's hex digits.
    const target = report.dataSegments[12_345]!;
    assert.equal(target.offset?.kind, "const");
    const hex = `0x${(target.offset as { value: number }).value.toString(16)}`;
    await field.fill(hex.toUpperCase());
    const byHex = report.dataSegments
      .filter(
        (s) =>
          (s.offset?.kind === "const" && `0x${s.offset.value.toString(16)}`.includes(hex)) ||
          String(s.index).includes(hex) ||
          (s.name ?? "").includes(hex),
      )
      .map((s) => s.index);
    assert.ok(byHex.includes(12_345));
    await waitForFirstRows(page, byHex);

    // Mode: passive only (every 10th segment), with the text cleared.
    await field.fill("");
    await chooseMode(page, "passive");
    const passive = report.dataSegments.filter((s) => s.mode === "passive").map((s) => s.index);
    await page.waitForFunction(
      (text) => document.querySelector(".segments-count")?.textContent === text,
      `${passive.length.toLocaleString("en-US")} of ${COUNT.toLocaleString("en-US")} data segments match.`,
    );
    await waitForFirstRows(page, passive.slice(0, 10));
    for (const row of await shownRows(page)) assert.equal(row.cells.mode, "passive");
  });

  test("keyboard: arrows move, Enter selects; the selection reaches the state and shows bytes", async () => {
    const view = await sharedSegments();
    const { page } = view;
    const grid = page.locator("[role=grid]");
    const active = () =>
      grid.evaluate((g) => {
        const id = g.getAttribute("aria-activedescendant");
        return id ? Number(document.getElementById(id)?.dataset.segment) : null;
      });

    await grid.focus();
    assert.equal(await active(), 0, "focus puts the cursor on the first row");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    assert.equal(await active(), 3);
    assert.equal(report.dataSegments[3]!.mode, "passive");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-segment='3'][aria-selected=true]");
    await page.getByText("Segment 3 is passive: it is not in the image").waitFor();

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowDown");
    assert.equal(await active(), 4);
    await page.keyboard.press(" ");
    const s = report.dataSegments[4]!;
    assert.ok(s.mode === "active" && s.start !== null && s.size > 0);
    const request = (await view.waitForPosted(
      (m) => m.type === "readBytes" && m.offset === s.start,
    )) as Extract<WebviewMessage, { type: "readBytes" }>;
    assert.deepEqual(
      { ...request, requestId: 0 },
      {
        type: "readBytes",
        requestId: 0,
        side: "left",
        source: "image",
        memory: 0,
        offset: s.start,
        length: s.size,
      },
    );
    assert.equal(
      (await view.posted()).filter((m) => m.type === "readBytes").length,
      1,
      "no read for the passive segment",
    );
    const bytes = spec.segments[4]!.bytes;
    await view.deliver({ type: "bytes", requestId: request.requestId, bytes, error: null });
    await page.waitForSelector(".segment-bytes .hex-table");
    const hexRows = await shownHexRows(page, ".segment-bytes");
    assert.equal(hexRows.length, 1);
    assert.deepEqual(hexRows[0]!.cells, [
      `0x${s.start.toString(16).padStart(8, "0")}`,
      hexOf(bytes),
      asciiOf(bytes),
    ]);
    const state = await view.state<{ segment: number; memory: number; page: number }>();
    assert.equal(state?.segment, 4);
    assert.equal(state?.memory, 0);
    assert.equal(state?.page, Math.floor(s.start / PAGE_SIZE));

    // End and Home reach the last and the first rows, scrolled into view.
    await grid.focus();
    await page.keyboard.press("End");
    assert.equal(await active(), COUNT - 1);
    await page.keyboard.press("PageUp");
    const afterPageUp = await active();
    assert.ok(afterPageUp! < COUNT - 5 && afterPageUp! > COUNT - 60, String(afterPageUp));
    await page.keyboard.press("Home");
    assert.equal(await active(), 0);

    // axe in every theme, with the bytes pane showing.
    for (const theme of ["dark", "light", "high-contrast"] as const) {
      await view.setTheme(theme);
      const violations = await view.checkAxe();
      assert.deepEqual(violations, [], `${theme}:\n${formatAxe(violations)}`);
    }
    assert.deepEqual(view.cspViolations(), []);
    assert.deepEqual(view.collectConsoleErrors(), []);
  });
  test("a restored selection is scrolled into view and its bytes are read", async () => {
    const index = 60_000;
    const s = report.dataSegments[index]!;
    assert.ok(s.mode === "active" && s.start !== null && s.size > 0);
    const page0 = Math.floor(s.start / PAGE_SIZE);
    const view = await harness.openWebview({
      state: { tab: "segments", memory: 0, page: page0, segment: index, zoom: 1 },
    });
    await view.start({ report: message });
    const { page } = view;
    await page.waitForSelector(`[role=grid] [data-segment='${index}'][aria-selected=true]`);
    const placement = await page.evaluate((i) => {
      const grid = document.querySelector("[role=grid]")!.getBoundingClientRect();
      const head = document.querySelector(".segments-head")!.getBoundingClientRect();
      const row = document.querySelector(`[data-segment='${i}']`)!.getBoundingClientRect();
      return { top: row.top, bottom: row.bottom, headBottom: head.bottom, gridBottom: grid.bottom };
    }, index);
    assert.ok(placement.top >= placement.headBottom - 1, JSON.stringify(placement));
    assert.ok(placement.bottom <= placement.gridBottom + 1, JSON.stringify(placement));
    const request = await view.waitForPosted((m) => m.type === "readBytes");
    assert.equal(request.type === "readBytes" && request.offset, s.start);
    await view.close();
  });
});

describe("the segments that matter first", () => {
  test("the table opens on the active segments with bytes; Mode all shows the others", async () => {
    const view = await harness.openWebview({ theme: "dark" });
    await view.start({ report: message });
    await showSegmentsTab(view, false);
    const { page } = view;
    const data = report.dataSegments.filter((s) => s.mode === "active" && s.size > 0);
    assert.ok(data.length > 0 && data.length < COUNT);
    assert.equal(
      await statusText(page),
      `${data.length.toLocaleString("en-US")} of ${COUNT.toLocaleString("en-US")} data segments match (the active ones with bytes; Mode "all" shows the ${(COUNT - data.length).toLocaleString("en-US")} others).`,
    );
    await waitForFirstRows(
      page,
      data.slice(0, 10).map((s) => s.index),
    );
    // Every "—" says why.
    await chooseMode(page, "all");
    const passive = report.dataSegments.find((s) => s.mode === "passive")!;
    await waitForFirstRows(
      page,
      [0, 1, 2, 3].filter((i) => i <= passive.index),
    );
    const start = page.locator(`[data-segment='${passive.index}'] [data-column='start']`);
    assert.equal(await start.textContent(), "—");
    assert.match((await start.getAttribute("title"))!, /^passive: .*memory\.init/);
    await view.close();
  });
});

describe("view state", () => {
  test("the sort order and the filters survive a reload", async () => {
    const small = manySegments(40, { globalEvery: 6, exprEvery: 9, importedGlobal: true });
    const smallReport = reportMessage(encodeModule(small), { fileName: "mixed.wasm" });
    const json = joinReportJson(smallReport);
    const view = await openSegments(smallReport);
    const { page } = view;
    await page.getByRole("columnheader", { name: /size/i }).click();
    await page.getByRole("columnheader", { name: /size/i }).click();
    const sorted = json.dataSegments
      .slice()
      .sort((a, b) => b.size - a.size || a.index - b.index)
      .map((s) => s.index);
    await waitForFirstRows(page, sorted.slice(0, 5));
    await view.waitForState<{ views?: Record<string, unknown> }>(
      (state) =>
        (state?.views?.["segments.order"] as { direction?: string })?.direction === "descending",
    );

    await view.reload();
    await view.start({ report: smallReport });
    await showSegmentsTab(view);
    await waitForFirstRows(page, sorted.slice(0, 5));
    assert.equal(
      await page.getByRole("columnheader", { name: /size/i }).getAttribute("aria-sort"),
      "descending",
    );
    assert.deepEqual(view.collectConsoleErrors(), []);
    await view.close();
  });
});

describe("offsets the image cannot place", () => {
  test("global.get and expression offsets, unknown starts, and why no bytes", async () => {
    const mixed = manySegments(40, { globalEvery: 6, exprEvery: 9, importedGlobal: true });
    const small = reportMessage(encodeModule(mixed), { fileName: "mixed.wasm" });
    const json = joinReportJson(small);
    const view = await openSegments(small);
    const { page } = view;
    const rows = await shownRows(page);
    assert.ok(rows.length >= 10);
    for (const row of rows) {
      const s = json.dataSegments[row.segment]!;
      if (s.offset?.kind === "global") {
        assert.equal(row.cells.start, `global.get ${s.offset.global}`);
        assert.equal(row.cells.bounds, "unknown");
      } else if (s.offset?.kind === "expr") {
        assert.equal(row.cells.start, `0x${s.start!.toString(16)} (${s.offset.text})`);
      }
    }
    const unknown = json.dataSegments.find((s) => s.offset?.kind === "global")!;
    await page.locator(`[data-segment='${unknown.index}']`).click();
    await page
      .getByText(`Segment ${unknown.index} starts at an address known only at instantiation`)
      .waitFor();
    const placed = json.dataSegments.find((s) => s.offset?.kind === "const" && s.size > 0)!;
    await page.locator(`[data-segment='${placed.index}']`).click();
    await page.getByText(/Memory 0 has no image to read bytes from/).waitFor();
    assert.equal((await view.posted()).filter((m) => m.type === "readBytes").length, 0);
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], formatAxe(violations));
    await view.close();
  });
});
