// The compare view (command "Wasm CoW: Compare Memory Layouts") read back from its DOM:
// the image rows of memory 0, the segment changes, the differing page ranges, and every
// difference in the order Next (n) visits them.

import type { Frame } from "playwright-core";
import type { ExpectedCompare, ExpectedDifference } from "./expected-compare";
import { poll, type Workbench } from "./workbench";

export const COMPARE_READY = ".compare-nav-status";

export type ShownCompare = Omit<ExpectedCompare, "differences" | "unchangedSegments"> & {
  title: string;
  /** The segment paragraph ("1 changed; 0 matched and unchanged…"). */
  segmentsText: string;
  /** The status line before any difference is selected ("6 differences: …"). */
  status: string;
};

/** The compare panel's webview frame, once both sides are analysed. */
export async function compareFrame(workbench: Workbench, title: string): Promise<Frame> {
  return workbench.webviewFrame(
    `section.compare > h2:text-is(${JSON.stringify(title)}) ~ div ${COMPARE_READY}`,
  );
}

export async function readCompare(frame: Frame): Promise<ShownCompare> {
  // No named helpers inside: see Inspector.currentStep.
  return frame.locator("section.compare").evaluate((section) => ({
    title: (section.querySelector("h2")?.textContent ?? "").trim(),
    status: (section.querySelector(".compare-nav-status")?.textContent ?? "").trim(),
    imageRows: (["offset", "length", "pages", "nonzeroPages", "dataBytes"] as const).map(
      (field) => {
        const [left, right, delta] = ["left", "right", "delta"].map(
          (side) =>
            section
              .querySelector(`[data-field="images.0.${field}"][data-side="${side}"]`)
              ?.getAttribute("data-value") ?? "",
        );
        return { field, left: left!, right: right!, delta: delta! };
      },
    ),
    segments: [...section.querySelectorAll(".compare-segment-table [role=row][data-kind]")].map(
      (row) => ({
        kind: row.getAttribute("data-kind")!,
        left: row.getAttribute("data-left")!,
        right: row.getAttribute("data-right")!,
      }),
    ),
    segmentsText: (
      section.querySelector('[data-field="segments.unchanged"]')?.textContent ?? ""
    ).trim(),
    pageRanges: [...section.querySelectorAll(".compare-range-list li")].map((item) => ({
      first: Number(item.getAttribute("data-first-page")),
      end: Number(item.getAttribute("data-end-page")),
    })),
  }));
}

/** Presses Next until it is disabled, recording each selected difference. */
export async function walkDifferences(frame: Frame): Promise<ExpectedDifference[]> {
  const next = frame.getByRole("button", { name: /^Next difference/ });
  const status = frame.locator(".compare-nav-status");
  const seen: ExpectedDifference[] = [];
  while ((await next.getAttribute("disabled")) === null) {
    await next.click();
    const index = seen.length;
    await status.and(frame.locator(`[data-index="${index}"]`)).waitFor();
    seen.push(
      await poll(`difference ${index + 1}`, () =>
        status.evaluate((e) => ({
          kind: e.getAttribute("data-kind") as ExpectedDifference["kind"],
          start: Number(e.getAttribute("data-start")),
          end: Number(e.getAttribute("data-end")),
        })),
      ),
    );
    if (seen.length > 1000) throw new Error("Next never became disabled");
  }
  return seen;
}
