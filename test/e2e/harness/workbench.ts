// Driving VS Code's workbench (code-server) in a playwright-core page: readiness, the
// command palette, the explorer, custom-editor webviews and screenshots. Everything waits by
// polling the DOM for the state it needs, never for a fixed time.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Frame, Locator, Page } from "playwright-core";

export const TEST_RESULTS = path.resolve(__dirname, "../../../test-results");

const EXPLORER_ROWS = ".explorer-folders-view .monaco-list-row";
const QUICK_INPUT = ".quick-input-widget";
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

/** Thrown by a `poll` probe to stop polling at once (a state that cannot change back). */
export class PollAbort extends Error {}

/** Polls `probe` until it returns a value (not undefined), or fails naming `what`. */
export async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof PollAbort) throw error;
      lastError = error; // a frame navigated away, an element went stale: try again
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await delay(intervalMs);
  }
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** The workbench is up and the explorer lists the folder. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector(`.monaco-workbench ${EXPLORER_ROWS}`, { timeout: timeoutMs });
  }

  /**
   * The extension's contributions are registered once its commands are in the palette;
   * before that, opening a .wasm file shows the built-in binary editor instead of ours.
   */
  async waitForExtension(commandTitle = "Wasm CoW: Open Inspector", timeoutMs = 60_000) {
    await this.paletteRow(commandTitle, timeoutMs);
    await this.page.keyboard.press("Escape");
    await this.page.waitForSelector(QUICK_INPUT, { state: "hidden" });
  }

  /** Runs a command by its palette title, category included ("Wasm CoW: Compare …"). */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    await (await this.paletteRow(title, timeoutMs)).click();
    await this.page.waitForSelector(QUICK_INPUT, { state: "hidden" });
  }

  /**
   * Runs a command that asks for more in the quick input (a file dialog, a pick list):
   * resolves once the quick input's title or placeholder matches `prompt`.
   */
  async runCommandWithPrompt(title: string, prompt: RegExp, timeoutMs = 30_000): Promise<void> {
    await (await this.paletteRow(title, timeoutMs)).click();
    await this.waitForPrompt(prompt);
  }

  /** Waits until the quick input shows a title or placeholder matching `prompt`. */
  async waitForPrompt(prompt: RegExp, timeoutMs = 15_000): Promise<void> {
    const widget = this.page.locator(QUICK_INPUT);
    await poll(
      `a quick input asking ${prompt}`,
      async () => {
        if (!(await widget.isVisible())) return undefined;
        const title = (await widget.locator(".quick-input-title").textContent()) ?? "";
        const placeholder = (await widget.locator("input").getAttribute("placeholder")) ?? "";
        return prompt.test(title) || prompt.test(placeholder) ? true : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Answers VS Code's own (simple) open dialog, which the browser workbench shows in the
   * quick input: types the absolute path and accepts it.
   */
  async answerOpenDialog(absolutePath: string): Promise<void> {
    const input = this.page.locator(`${QUICK_INPUT} input`);
    await input.fill(absolutePath);
    // The dialog completes and validates what was typed before it accepts it.
    await poll(`the open dialog to accept ${absolutePath}`, async () => {
      if (!(await input.isVisible())) return true;
      if ((await input.inputValue()) !== absolutePath) await input.fill(absolutePath);
      await input.press("Enter");
      await this.page
        .locator(QUICK_INPUT)
        .waitFor({ state: "hidden", timeout: 2000 })
        .catch(() => undefined);
      return (await input.isVisible()) ? undefined : true;
    });
  }

  /** Closes the primary side bar (the explorer), leaving the editor the whole width. */
  async closeSideBar(): Promise<void> {
    await this.runCommand("View: Close Primary Side Bar");
    await this.page.locator(".part.sidebar").waitFor({ state: "hidden" });
  }

  /**
   * The titles the command palette lists for `filter`, read once it lists `expected` (so
   * the extension's commands are registered); closes the palette again.
   */
  async paletteTitles(filter: string, expected: string, timeoutMs = 30_000): Promise<string[]> {
    await this.paletteRow(expected, timeoutMs, filter);
    const titles = await this.page
      .locator(`${QUICK_INPUT_ROWS} .label-name`)
      .evaluateAll((labels) => labels.map((label) => (label.textContent ?? "").trim()));
    await this.page.keyboard.press("Escape");
    await this.page.waitForSelector(QUICK_INPUT, { state: "hidden" });
    return titles;
  }

  /** The palette row titled `title`, retyping the filter until the palette lists it. */
  private async paletteRow(title: string, timeoutMs: number, filter = title): Promise<Locator> {
    const input = this.page.locator(`${QUICK_INPUT} input`);
    const row = this.page.locator(QUICK_INPUT_ROWS, {
      has: this.page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    return poll(
      `"${title}" in the command palette`,
      async () => {
        if (!(await input.isVisible())) await this.page.keyboard.press("F1");
        await input.fill(`>${filter}`);
        try {
          await row.first().waitFor({ state: "visible", timeout: 2000 });
          return row.first();
        } catch {
          await this.page.keyboard.press("Escape"); // not (yet) there: close and ask again
          return undefined;
        }
      },
      timeoutMs,
      250,
    );
  }

  /**
   * Opens `relativePath` (e.g. "build/tiny.wasm") from the explorer: expands each folder,
   * then clicks the file, as a user would.
   */
  async openFromExplorer(relativePath: string): Promise<void> {
    const parts = relativePath.split("/");
    for (const [i, name] of parts.entries()) {
      const row = this.page.locator(
        `${EXPLORER_ROWS}[aria-level="${i + 1}"][aria-label="${name}"]`,
      );
      await row.waitFor({ state: "visible", timeout: 10_000 });
      const isFolder = i < parts.length - 1;
      if (isFolder && (await row.getAttribute("aria-expanded")) === "true") continue;
      await row.click();
    }
  }

  /**
   * The webview frame (the inner content frame of a custom editor or panel) that contains
   * `selector` and whose document is titled `title` (when given), once there is one.
   * Webviews are nested iframes; `page.frames()` lists them all.
   */
  async webviewFrame(selector: string, timeoutMs = 30_000, title?: string): Promise<Frame> {
    return poll(
      `a webview frame with ${selector}${title === undefined ? "" : ` titled "${title}"`}`,
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          if ((await frame.$(selector)) === null) continue;
          if (title === undefined || (await frame.title()) === title) return frame;
        }
        return undefined;
      },
      timeoutMs,
      200,
    );
  }

  /**
   * Opens a .wasm file from the explorer and returns the custom editor's webview frame once
   * `selector` is in it (and its document is titled `title`, when given). If the file opened in another editor (the contribution was not
   * registered yet), closes it and tries again.
   */
  async openInCustomEditor(
    relativePath: string,
    selector: string,
    attempts = 3,
    title?: string,
  ): Promise<Frame> {
    for (let attempt = 1; ; attempt++) {
      await this.openFromExplorer(relativePath);
      try {
        return await this.webviewFrame(selector, 20_000, title);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.runCommand("View: Close All Editors");
      }
    }
  }

  /** Saves a PNG of the whole page under test-results/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = resultFile(`${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Saves a PNG of the editor area only (tabs and the editor), `name` relative to
   *  test-results/ ("screenshots/dark-overview"); returns its path. */
  async screenshotEditor(name: string): Promise<string> {
    const file = resultFile(`${name}.png`);
    await this.page.locator(".part.editor").screenshot({ path: file });
    return file;
  }
}

function resultFile(relative: string): string {
  const file = path.join(TEST_RESULTS, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
