// The extension's inspector webview in the real workbench, read and driven through the
// attributes its views carry for tests (`data-field`, `data-action`, `data-count`,
// `data-state`, …; see test/webview/ for the same selectors against the stubbed host).
// Every wait polls the DOM for the state it needs.

import type { Frame } from "playwright-core";
import { poll, PollAbort, type Workbench } from "./workbench";

export type InspectorTab = "overview" | "segments" | "pages" | "stepper" | "pool" | "strategies";
const TAB_SECTIONS: Record<InspectorTab, string> = {
  overview: 'section[aria-label="Overview"]',
  segments: 'section[aria-label="Data segments"]',
  pages: 'section[aria-label="Page map"]',
  stepper: "section.stepper",
  pool: "section.slot-pool",
  strategies: 'section[aria-label="Strategies"]',
};

export type RunActionName = "instantiate" | "release" | "invoke" | "instantiateOther" | "runToEnd";

/** What the stepper shows for its current step. */
export interface StepFacts {
  index: number;
  step: string;
  title: string;
  pick: string | null;
  syscalls: Record<string, number>;
  alreadyMapped: string | null;
  /** Per memory: the counts table of the step (state name → pages). */
  tables: Record<string, number>[];
  /** Per memory: the page map legend's counts (state name → pages). */
  legends: Record<string, number>[];
}

export class Inspector {
  constructor(
    readonly workbench: Workbench,
    readonly frame: Frame,
    readonly fileName: string,
  ) {}

  /**
   * Opens `relativePath` from the explorer and waits until its report is shown (in
   * whichever tab the webview's saved state had open).
   */
  static async open(workbench: Workbench, relativePath: string): Promise<Inspector> {
    const fileName = relativePath.split("/").at(-1)!;
    // The webview document's title is the file name.
    const frame = await workbench.openInCustomEditor(relativePath, INSPECTOR_READY, 3, fileName);
    return new Inspector(workbench, frame, fileName);
  }

  /** Shows a tab and waits for its content. */
  async showTab(tab: InspectorTab): Promise<void> {
    // Not by id: vscode-tabs replaces its headers' ids with its own when its slots change.
    await this.frame.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
    await this.frame.locator(TAB_SECTIONS[tab]).waitFor();
  }

  /** The Overview's values by `data-field`: the exact value (`data-value`, as the JSON
   *  has it) where the view formats it, else the text, trimmed. */
  async overviewFields(): Promise<Record<string, string>> {
    await this.showTab("overview");
    return this.frame
      .locator(TAB_SECTIONS.overview)
      .evaluate((section) =>
        Object.fromEntries(
          [...section.querySelectorAll("[data-field]")].map((e) => [
            e.getAttribute("data-field")!,
            e.getAttribute("data-value") ?? (e.textContent ?? "").trim(),
          ]),
        ),
      );
  }

  /** The Segments tab's count line and the rows it renders (cell text by column key). */
  /** The Segments tab's status line and rendered rows, every segment shown (Mode "all";
   *  the tab opens on the active segments with bytes). */
  async segmentRows(): Promise<{ count: string; rows: Record<string, string>[] }> {
    await this.showTab("segments");
    await this.frame.locator("vscode-single-select#segments-mode").click();
    await this.frame.getByRole("option", { name: "all", exact: true }).click();
    await this.frame.locator(".segments-count", { hasNotText: " match" }).waitFor();
    return this.frame.locator(TAB_SECTIONS.segments).evaluate((section) => ({
      count: section.querySelector(".segments-count")?.textContent?.trim() ?? "",
      rows: [...section.querySelectorAll(".segments-body [role=row]")].map((row) =>
        Object.fromEntries(
          [...row.querySelectorAll("[data-column]")].map((cell) => [
            cell.getAttribute("data-column")!,
            (cell.textContent ?? "").trim(),
          ]),
        ),
      ),
    }));
  }

  /** Clicks a run action's button in the visible tab (Instantiate, Release, Invoke…). */
  async act(action: RunActionName): Promise<void> {
    const button = this.frame.locator(`vscode-button[data-action="${action}"]:visible`);
    await poll(`the ${action} button to be enabled`, async () =>
      (await button.getAttribute("disabled")) === null ? true : undefined,
    );
    await button.click();
  }

  /** Whether the visible tab's button for `action` is disabled. */
  async actionDisabled(action: RunActionName): Promise<boolean> {
    const button = this.frame.locator(`vscode-button[data-action="${action}"]:visible`);
    return (await button.getAttribute("disabled")) !== null;
  }

  /**
   * Waits (on the Instantiation tab) until the run shows `count` steps and no action is
   * running; fails at once with the run's error if one is shown.
   */
  async waitForSteps(count: number, timeoutMs = 30_000): Promise<void> {
    await poll(
      `${count} steps in the stepper`,
      async () => {
        const state = await this.runState();
        if (state.error !== null) throw new PollAbort(`the run failed: ${state.error}`);
        return state.steps === count && !state.running ? true : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits (on the Instantiation tab) until the run reports an error; returns it. */
  async waitForRunError(timeoutMs = 30_000): Promise<string> {
    return poll(
      "the run's error",
      async () => {
        const state = await this.runState();
        return state.error !== null && !state.running ? state.error : undefined;
      },
      timeoutMs,
    );
  }

  async runState(): Promise<{ steps: number; running: boolean; error: string | null }> {
    return this.frame.locator(TAB_SECTIONS.stepper).evaluate((section) => ({
      steps: section.querySelectorAll(".timeline-step").length,
      running: /running/i.test(section.querySelector('[data-field="blocked"]')?.textContent ?? ""),
      error: section.querySelector('[data-field="run-error"]')?.textContent?.trim() ?? null,
    }));
  }

  /** Makes step `index` (0-based) the current one by clicking it in the timeline. */
  async selectStep(index: number): Promise<void> {
    await this.frame.locator(`.timeline-step[data-step-index="${index}"]`).click();
    await this.frame
      .locator(`.timeline-step[data-step-index="${index}"][aria-current="step"]`)
      .waitFor();
  }

  /** The current step as the stepper shows it. */
  async currentStep(): Promise<StepFacts> {
    // Plain data out of the page, converted here: functions evaluated in the page must not
    // declare named helpers (the TypeScript loader wraps those in a helper the page lacks).
    const raw = await this.frame.locator("section.stepper").evaluate((section) => {
      const current = section.querySelector('.timeline-step[aria-current="step"]')!;
      const detail = section.querySelector("section.step-detail")!;
      const memories = [...detail.querySelectorAll("section.memory-after-step")];
      return {
        index: current.getAttribute("data-step-index")!,
        step: current.getAttribute("data-step")!,
        title: detail.querySelector("#step-detail-title")?.textContent?.trim() ?? "",
        pick: detail.querySelector('[data-field="pick"]')?.getAttribute("data-value") ?? null,
        syscalls: [...detail.querySelectorAll("td[data-syscall]")].map(
          (e) => [e.getAttribute("data-syscall")!, e.textContent ?? ""] as const,
        ),
        alreadyMapped:
          detail.querySelector('[data-detail="alreadyMapped"]')?.getAttribute("data-value") ?? null,
        tables: memories.map((memory) =>
          [
            ...memory.querySelectorAll(
              'table.page-counts td[data-count]:not([data-count="total"])',
            ),
          ].map((e) => [e.getAttribute("data-count")!, e.textContent ?? ""] as const),
        ),
        legends: memories.map((memory) =>
          [...memory.querySelectorAll(".page-map-legend li[data-state]")].map(
            (e) => [e.getAttribute("data-state")!, e.getAttribute("data-count") ?? ""] as const,
          ),
        ),
      };
    });
    return {
      ...raw,
      index: Number(raw.index),
      syscalls: integers(raw.syscalls),
      tables: raw.tables.map(integers),
      legends: raw.legends.map(integers),
    };
  }
}

/** Name → integer, from the texts a view shows ("1,048,576" included). */
function integers(pairs: readonly (readonly [string, string])[]): Record<string, number> {
  return Object.fromEntries(
    pairs.map(([name, text]) => {
      if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(text.trim())) {
        throw new Error(`${name}: "${text}" is not an integer`);
      }
      return [name, Number(text.replace(/,/g, ""))];
    }),
  );
}

/** The inspector shows its report (its tabs), whichever tab is open. */
export const INSPECTOR_READY = "main.app vscode-tabs";
