// The webview harness: Debian's Chromium driven by playwright-core, a fresh profile,
// the static test server, and one `WebviewPage` per opened page with the stubbed VS Code
// API, console/CSP error collection and axe-core.
//
//   const harness = await startHarness();           // in before(); harness.close() in after()
//   const view = await harness.openWebview({ theme: "dark" });
//   await view.start({ report: reportMessage(bytes, { fileName: "x.wasm" }) });

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type {
  Capabilities,
  HostMessage,
  ViewSettings,
  WebviewMessage,
} from "../../../common/webview-protocol";
import { initMessage, type InitMessage, type ReportMessage } from "./messages";
import { CHROMIUM, CHROMIUM_ARGS } from "../../e2e/harness/chromium";
import { CSP_VIOLATION, STATE_KEY } from "./page";
import { startServer, type StaticServer } from "./server";
import { BODY_CLASS, THEMES, type Theme } from "./theme";

export { CHROMIUM };

/** WCAG 2.x A and AA: what `checkAxe()` runs unless told otherwise. */
export const AXE_WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** CSS selectors of the failing nodes (shadow DOM paths joined with " >> "). */
  targets: string[];
}

export interface StartOptions {
  report?: ReportMessage;
  /** More messages after the report (a second report, `run`, `show`, …). */
  then?: HostMessage[];
  view?: InitMessage["view"];
  capabilities?: Capabilities;
  settings?: ViewSettings;
}

export interface FocusedElement {
  tag: string;
  role: string | null;
  /** `aria-label`, else the trimmed text content. */
  label: string;
}

export interface WebviewPage {
  page: Page;
  /** Sends a host → webview message (`window.postMessage`, as VS Code delivers them). */
  deliver(message: HostMessage): Promise<void>;
  /** `init` then the report (and `then`), and waits until the app has rendered. */
  start(options?: StartOptions): Promise<void>;
  /** Everything the webview posted since the page (re)loaded, oldest first. */
  posted(): Promise<WebviewMessage[]>;
  /** Waits for (and returns) the first posted message matching `predicate`. */
  waitForPosted(
    predicate: (message: WebviewMessage) => boolean,
    timeoutMs?: number,
  ): Promise<WebviewMessage>;
  /** What the webview last gave `setState()` (undefined before the first call); see
   *  `PersistedState` in webview/src/vscode-api.ts (not imported: it needs the DOM API). */
  state<T = Record<string, unknown>>(): Promise<T | undefined>;
  /** How many times the webview called `setState()` since the page (re)loaded. */
  stateSaves(): Promise<number>;
  /** Waits until the saved state satisfies `predicate` (React saves it after rendering). */
  waitForState<T = Record<string, unknown>>(
    predicate: (state: T | undefined) => boolean,
    timeoutMs?: number,
  ): Promise<T | undefined>;
  /** Console errors, uncaught page errors and failed requests since the page opened. */
  collectConsoleErrors(): string[];
  /** CSP violations since the page opened (also counted among the console errors). */
  cspViolations(): string[];
  /** Runs axe-core on the document (open shadow roots included); the violations. */
  checkAxe(tags?: string[]): Promise<AxeViolation[]>;
  /** The focused element, through open shadow roots (null when the body has focus). */
  focused(): Promise<FocusedElement | null>;
  /** Switches the body class, as VS Code does when the user changes the theme. */
  setTheme(theme: Theme): Promise<void>;
  /** Reloads the page (the state set with setState survives) and waits for `ready`. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: Theme;
  /** State VS Code restores into the new page (what `getState()` first returns). */
  state?: unknown;
}

export interface WebviewHarness {
  openWebview(options?: OpenOptions): Promise<WebviewPage>;
  close(): Promise<void>;
}

type HarnessWindow = typeof window & {
  __wasmCowHarness: { posted: WebviewMessage[]; saves: number };
  axe?: { run(context: Document, options: object): Promise<{ violations: unknown[] }> };
};

export async function startHarness(): Promise<WebviewHarness> {
  const server = await startServer();
  const profile = mkdtempSync(path.join(tmpdir(), "wasm-cow-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `could not start ${CHROMIUM} (install Debian's chromium): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    openWebview: async (options = {}) => openPage(context, server, options),
    close: async () => {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function openPage(
  context: BrowserContext,
  server: StaticServer,
  { theme = "dark", state: restored }: OpenOptions,
): Promise<WebviewPage> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (restored !== undefined) {
    // Before any page script; only once, so that a reload keeps what the app saved.
    await page.addInitScript(
      ([key, text]) => {
        if (location.protocol === "http:" && sessionStorage.getItem(key) === null) {
          sessionStorage.setItem(key, text);
        }
      },
      [STATE_KEY, JSON.stringify(restored)] as const,
    );
  }
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    errors.push(where ? `${message.text()} (${where})` : message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) =>
    errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );

  const posted = (): Promise<WebviewMessage[]> =>
    page.evaluate(() => (window as HarnessWindow).__wasmCowHarness.posted);
  const waitForReady = async (): Promise<void> => {
    await page.waitForFunction(() =>
      (window as HarnessWindow).__wasmCowHarness?.posted.some((m) => m.type === "ready"),
    );
  };
  const state = <T>(): Promise<T | undefined> =>
    page.evaluate((key) => {
      const text = sessionStorage.getItem(key);
      return text === null ? undefined : (JSON.parse(text) as T);
    }, STATE_KEY);
  const post = (message: HostMessage): Promise<void> =>
    page.evaluate((m) => window.postMessage(m, "*"), message);
  // A test's report carries its segments: delivered as the host does, summary first.
  const deliver = async (message: HostMessage): Promise<void> => {
    if (message.type === "report" && "segmentsJson" in message) {
      const { segmentsJson, exportsJson, ...summary } = message as ReportMessage;
      await post(summary);
      await post({ type: "details", side: summary.side, segmentsJson, exportsJson });
      return;
    }
    await post(message);
  };

  await page.goto(server.pageUrl(theme));
  await waitForReady();

  return {
    page,
    deliver,
    start: async (options = {}) => {
      await deliver(initMessage(options));
      if (options.report) await deliver(options.report);
      for (const message of options.then ?? []) await deliver(message);
      // Without a report (or error) the app shows its loading state (main.app.starting).
      if (options.report || options.then?.length)
        await page.waitForSelector("main.app:not(.starting)");
    },
    posted,
    waitForPosted: (predicate, timeoutMs) =>
      poll(async () => (await posted()).find(predicate), "posted message", timeoutMs),
    state,
    stateSaves: () => page.evaluate(() => (window as HarnessWindow).__wasmCowHarness.saves),
    waitForState: async (predicate, timeoutMs) => {
      await poll(async () => predicate(await state()) || undefined, "state", timeoutMs);
      return state();
    },
    collectConsoleErrors: () => [...errors],
    cspViolations: () => errors.filter((text) => text.startsWith(CSP_VIOLATION)),
    checkAxe: async (tags = AXE_WCAG_TAGS) => {
      await page.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            if ((window as HarnessWindow).axe) return resolve();
            // The page's CSP admits scripts with its nonce only: reuse it.
            const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")!.nonce;
            const script = document.createElement("script");
            script.nonce = nonce;
            script.src = "/axe.min.js";
            script.onload = () => resolve();
            script.onerror = () => reject(new Error("axe.min.js did not load"));
            document.head.append(script);
          }),
      );
      return page.evaluate(async (runOnly) => {
        const result = await (window as HarnessWindow).axe!.run(document, {
          runOnly: { type: "tag", values: runOnly },
          resultTypes: ["violations"],
        });
        return (
          result.violations as {
            id: string;
            impact: string | null;
            help: string;
            nodes: { target: (string | string[])[] }[];
          }[]
        ).map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) =>
            n.target.map((t) => (Array.isArray(t) ? t.join(" >> ") : t)).join(" >> "),
          ),
        }));
      }, tags);
    },
    focused: () =>
      page.evaluate(() => {
        let element = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        if (!element || element === document.body) return null;
        return {
          tag: element.tagName.toLowerCase(),
          role: element.getAttribute("role"),
          label: element.getAttribute("aria-label") ?? element.textContent?.trim() ?? "",
        };
      }),
    setTheme: (next) =>
      page.evaluate(
        ([all, chosen]) => {
          document.body.classList.remove(...all);
          document.body.classList.add(chosen);
        },
        [THEMES.map((t) => BODY_CLASS[t]), BODY_CLASS[next]] as const,
      ),
    reload: async () => {
      await page.reload();
      await waitForReady();
    },
    close: () => page.close(),
  };
}

/** Polls `probe` until it returns something other than undefined. */
async function poll<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no matching ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One line per violation, for assertion messages. */
export function formatAxe(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join("\n    ")}`)
    .join("\n");
}
