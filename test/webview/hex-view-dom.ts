// Reads what a rendered HexView shows, for the hex view and Segments tests.

import type { Page } from "playwright-core";

export interface ShownHexRow {
  rowIndex: number;
  /** The row's accessible name (set when bytes differ). */
  label: string | null;
  /** Cell texts: address, hex, ASCII (and in compare mode: hex, ASCII, marker). */
  cells: string[];
  /** Absolute byte indexes inside <mark> in the first (left) and second (right) copy. */
  marked: { left: number[]; right: number[] };
}

/** Rows of the first hex table inside `scope` (a CSS selector), in row order. */
export function shownHexRows(page: Page, scope = "body"): Promise<ShownHexRow[]> {
  return page.evaluate((selector) => {
    const table = document.querySelector(`${selector} .hex-table`);
    if (!table) return [];
    const rows = [...table.querySelectorAll<HTMLElement>(".hex-body [role=row]")];
    return rows
      .map((row) => {
        const marked = { left: [] as number[], right: [] as number[] };
        for (const mark of row.querySelectorAll<HTMLElement>("mark[data-byte]")) {
          const start = Number(mark.dataset.byte);
          const count = mark.textContent!.trim().split(/\s+/).length;
          const side = mark.classList.contains("left") ? marked.left : marked.right;
          for (let k = 0; k < count; k++) side.push(start + k);
        }
        return {
          rowIndex: Number(row.getAttribute("aria-rowindex")),
          label: row.getAttribute("aria-label"),
          cells: [...row.children].map((cell) => cell.textContent ?? ""),
          marked,
        };
      })
      .sort((a, b) => a.rowIndex - b.rowIndex);
  }, scope);
}

/** "00 61 73" for bytes, as an independent formatter. */
export function hexOf(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

export function asciiOf(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => (b >= 32 && b <= 126 ? String.fromCharCode(b) : ".")).join("");
}
