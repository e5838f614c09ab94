// HexView alone in Chromium (the real component, bundled by hex-view-bundle.ts, in a
// harness page with the webview's CSP and themes): rows as address / hex / ASCII,
// exactly the differing bytes marked (weight and underline, not colour alone) with a
// per-row count in the row's name, virtualisation of long ranges, the unavailable
// column, and axe.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { formatAxe, startHarness, type WebviewHarness } from "./harness/webview-harness";
import { hexViewBundle, openHexPage, renderHexView, type SerialHexProps } from "./hex-view-bundle";
import { asciiOf, hexOf, shownHexRows } from "./hex-view-dom";

let harness: WebviewHarness;
before(async () => {
  await hexViewBundle();
  harness = await startHarness();
});
after(() => harness?.close());

const BASE = 0x7_3000;

/** Deterministic bytes with printable and unprintable values. */
function pattern(length: number, seed = 7): number[] {
  return Array.from({ length }, (_, i) => (i * 37 + seed * 11 + (i >> 3)) & 0xff);
}

const address = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;

test("image | live instance: exactly the differing bytes are marked", async () => {
  const view = await openHexPage(harness);
  const { page } = view;
  const image = pattern(80);
  const live = image.slice(0, 75); // the live copy is 5 bytes short: those differ too
  for (const i of [0, 17, 18, 19, 40, 63]) live[i] = (live[i]! + 1) & 0xff;
  const differing = image.map((_, i) => i).filter((i) => i >= live.length || image[i] !== live[i]);
  await renderHexView(view, {
    label: "Page 115 of memory 0",
    baseAddress: BASE,
    bytes: image,
    compareBytes: live,
    titles: ["image", "live instance"],
  });

  const rows = await shownHexRows(page);
  assert.equal(rows.length, 5);
  for (const [r, row] of rows.entries()) {
    const from = r * 16;
    const own = image.slice(from, from + 16);
    const other = live.slice(from, from + 16);
    const inRow = differing.filter((i) => i >= from && i < from + 16);
    assert.deepEqual(row.cells.slice(0, 5), [
      address(BASE + from),
      hexOf(own),
      asciiOf(own),
      hexOf(other),
      asciiOf(other),
    ]);
    assert.deepEqual(row.marked.left, inRow, `row ${r}: marked image bytes`);
    assert.deepEqual(
      row.marked.right,
      inRow.filter((i) => i < live.length),
      `row ${r}: marked live bytes`,
    );
    const count = inRow.length;
    assert.equal(row.cells[5], count ? `≠ ${count}` : "");
    assert.equal(
      row.label,
      count === 0
        ? null
        : `${address(BASE + from)}: ${count} ${count === 1 ? "byte differs" : "bytes differ"}`,
    );
  }
  assert.equal(
    await page.locator(".hex-summary").textContent(),
    `${differing.length} bytes differ between image and live instance, in ${new Set(differing.map((i) => i >> 4)).size} rows.`,
  );

  // Marked by more than colour: bold and underlined, unlike the bytes around.
  const look = await page.evaluate(() =>
    [document.querySelector("mark.hex-diff")!, document.querySelector(".hex-bytes > span")!].map(
      (element) => ({
        weight: getComputedStyle(element).fontWeight,
        line: getComputedStyle(element).textDecorationLine,
      }),
    ),
  );
  const [mark, plain] = look as [
    { weight: string; line: string },
    { weight: string; line: string },
  ];
  assert.deepEqual(mark, { weight: "700", line: "underline" });
  assert.notEqual(plain.weight, "700");
  assert.equal(plain.line, "none");

  // Column headers name both copies.
  const headers = await page.getByRole("columnheader").allTextContents();
  assert.deepEqual(headers, [
    "Address",
    "image (hex)",
    "image (ASCII)",
    "live instance (hex)",
    "live instance (ASCII)",
    "Differences",
  ]);
  for (const theme of ["dark", "light", "high-contrast"] as const) {
    await view.setTheme(theme);
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], `${theme}:\n${formatAxe(violations)}`);
  }
  assert.deepEqual(view.collectConsoleErrors(), []);
  await view.close();
});

test("identical copies: nothing marked", async () => {
  const view = await openHexPage(harness);
  const bytes = pattern(48, 3);
  await renderHexView(view, { label: "same", baseAddress: 0, bytes, compareBytes: bytes });
  const rows = await shownHexRows(view.page);
  assert.equal(rows.length, 3);
  for (const row of rows) {
    assert.deepEqual(row.marked, { left: [], right: [] });
    assert.equal(row.label, null);
  }
  assert.equal(
    await view.page.locator(".hex-summary").textContent(),
    "No bytes differ between image and live instance.",
  );
  await view.close();
});

test("64 KiB: virtualised, and scrolling reaches the last row", async () => {
  const view = await openHexPage(harness);
  const { page } = view;
  const image = pattern(65536, 5);
  const live = image.slice();
  live[65535] = live[65535]! ^ 0xff;
  live[30000] = live[30000]! ^ 0x01;
  await renderHexView(view, {
    label: "Range",
    baseAddress: 0x10000,
    bytes: image,
    compareBytes: live,
  });
  assert.equal(await page.getByRole("table").getAttribute("aria-rowcount"), "4097");
  const first = await shownHexRows(page);
  assert.ok(first.length > 5 && first.length < 80, `${first.length} rows in the DOM`);
  assert.equal(first[0]!.cells[0], address(0x10000));

  await page.locator(".hex-scroll").evaluate((e) => (e.scrollTop = e.scrollHeight));
  await page.waitForFunction(() => document.querySelector("[role=row][aria-rowindex='4097']"));
  const last = await shownHexRows(page);
  assert.ok(last.length < 80);
  const end = last.at(-1)!;
  assert.equal(end.cells[0], address(0x10000 + 65520));
  assert.deepEqual(end.marked.left, [65535]);
  assert.equal(end.label, `${address(0x10000 + 65520)}: 1 byte differs`);
  assert.equal(
    await page.locator(".hex-summary").textContent(),
    "2 bytes differ between image and live instance, in 2 rows.",
  );
  // Every rendered row sits at its own place: addresses go up by 16 without gaps.
  for (let i = 1; i < last.length; i++) assert.equal(last[i]!.rowIndex, last[i - 1]!.rowIndex + 1);
  const gaps = await page.evaluate(() => {
    const rows = [...document.querySelectorAll(".hex-body [role=row]")];
    return rows
      .slice(1)
      .map((r, i) => r.getBoundingClientRect().top - rows[i]!.getBoundingClientRect().bottom);
  });
  for (const gap of gaps) assert.ok(Math.abs(gap) < 0.5, `gap ${gap}`);
  assert.deepEqual(
    view.cspViolations(),
    [],
    "positions come through the CSSOM, not style attributes",
  );
  await view.close();
});

test("one copy, a missing second copy, loading, and bytes per row", async () => {
  const view = await openHexPage(harness);
  const { page } = view;
  const bytes = pattern(20);
  const cases: { props: SerialHexProps; check(): Promise<void> }[] = [
    {
      props: { label: "one", baseAddress: 0, bytes },
      check: async () => {
        const rows = await shownHexRows(page);
        assert.deepEqual(
          rows.map((r) => r.cells),
          [
            [address(0), hexOf(bytes.slice(0, 16)), asciiOf(bytes.slice(0, 16))],
            [address(16), hexOf(bytes.slice(16)), asciiOf(bytes.slice(16))],
          ],
        );
        assert.equal(await page.locator(".hex-unavailable").count(), 0);
        assert.equal(await page.locator(".hex-summary").count(), 0);
      },
    },
    {
      props: {
        label: "no live",
        baseAddress: 0,
        bytes,
        compareBytes: null,
        unavailable: "No live instance: instantiate one in the Instantiation tab.",
      },
      check: async () => {
        const note = page.getByRole("note", { name: "live instance bytes" });
        assert.equal(
          await note.textContent(),
          "live instanceNo live instance: instantiate one in the Instantiation tab.",
        );
        assert.equal((await shownHexRows(page))[0]!.cells.length, 3, "one copy's columns");
      },
    },
    {
      props: { label: "loading", baseAddress: 0, bytes: null },
      check: async () => {
        assert.equal(
          await page.getByRole("status", { name: "loading" }).textContent(),
          "Loading bytes…",
        );
        assert.equal(await page.locator(".hex-table").count(), 0);
      },
    },
    {
      props: { label: "gone", baseAddress: 0, bytes: null, unavailable: "The page is not mapped." },
      check: async () => {
        assert.equal(
          await page.getByRole("status", { name: "gone" }).textContent(),
          "The page is not mapped.",
        );
      },
    },
    {
      props: { label: "eight", baseAddress: 8, bytes, width: 8 },
      check: async () => {
        const rows = await shownHexRows(page);
        assert.deepEqual(
          rows.map((r) => r.cells[0]),
          [address(8), address(16), address(24)],
        );
        assert.equal(rows[2]!.cells[1], hexOf(bytes.slice(16)));
      },
    },
  ];
  for (const { props, check } of cases) {
    await renderHexView(view, props);
    await check();
    const violations = await view.checkAxe();
    assert.deepEqual(violations, [], `${props.label}:\n${formatAxe(violations)}`);
  }
  assert.deepEqual(view.collectConsoleErrors(), []);
  await view.close();
});
