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

  /** The palette row titled `title`, retyping the filter until the palette lists it. */
  private async paletteRow(title: string, timeoutMs: number): Promise<Locator> {
    const input = this.page.locator(`${QUICK_INPUT} input`);
    const row = this.page.locator(QUICK_INPUT_ROWS, {
      has: this.page.locator(".label-name", { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    return poll(
      `"${title}" in the command palette`,
      async () => {
        if (!(await input.isVisible())) await this.page.keyboard.press("F1");
        await input.fill(`>${title}`);
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
   * `selector`, once it does. Webviews are nested iframes; `page.frames()` lists them all.
   */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    return poll(
      `a webview frame with ${selector}`,
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          if ((await frame.$(selector)) !== null) return frame;
        }
        return undefined;
      },
      timeoutMs,
      200,
    );
  }

  /**
   * Opens a .wasm file from the explorer and returns the custom editor's webview frame once
   * `selector` is in it. If the file opened in another editor (the contribution was not
   * registered yet), closes it and tries again.
   */
  async openInCustomEditor(relativePath: string, selector: string, attempts = 3): Promise<Frame> {
    for (let attempt = 1; ; attempt++) {
      await this.openFromExplorer(relativePath);
      try {
        return await this.webviewFrame(selector, 20_000);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.runCommand("View: Close All Editors");
      }
    }
  }

  /** Saves a PNG of the whole page under test-results/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(TEST_RESULTS, { recursive: true });
    const file = path.join(TEST_RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
