// One end-to-end session: code-server with the packaged extension and a folder open,
// Chromium on its URL, the workbench ready. `withWorkbench` ends both processes by their
// ids in `finally`, whatever the test did, and keeps a screenshot and code-server's log in
// test-results/ when the test failed.

import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchCodeServer, type CodeServer } from "../../../scripts/code-server/launch";
import { vsixPath } from "../../../scripts/package";
import { launchChromium, type Chromium } from "./chromium";
import { ConsoleLog } from "./console-log";
import { TEST_RESULTS, Workbench } from "./workbench";

export const EXAMPLES = path.resolve(__dirname, "../../../examples");

/** Quiet, deterministic user settings: no welcome page, walkthrough, tips or updates. */
export const TEST_SETTINGS: Record<string, unknown> = {
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "chat.disableAIFeatures": true,
  // No task providers asked: on a loaded 2-core machine the built-in TypeScript extension's
  // provider once took over 5 s to answer, and the workbench logs that as a console error
  // ("Timed out getting tasks from typescript"), failing a suite that asserts none.
  "task.autoDetect": "off",
};

export interface SessionOptions {
  /** Folder to open (default: examples/). */
  folder?: string;
  /** Keep workspace trust on (the folder opens in Restricted Mode). */
  workspaceTrust?: boolean;
  /** Extra user settings (a theme: "workbench.colorTheme": "Default Dark Modern"). */
  settings?: Record<string, unknown>;
  /** Names the failure artefacts in test-results/. */
  name: string;
  /** Past this the session fails and its processes are ended (default 150 s). */
  timeoutMs?: number;
  /** The browser window's size (default 1400×900). */
  viewport?: { width: number; height: number };
}

export interface Session {
  server: CodeServer;
  chromium: Chromium;
  page: Page;
  workbench: Workbench;
  /** Console errors, uncaught exceptions and CSP violations of the page and its frames,
   *  collected from before the workbench loaded. */
  console: ConsoleLog;
  /** Milliseconds from launch to a ready workbench. */
  readyAfterMs: number;
}

export async function withWorkbench<T>(
  options: SessionOptions,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const vsix = vsixPath();
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  const started = Date.now();
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  let workbench: Workbench | undefined;
  let failed = false;
  try {
    [server, chromium] = await Promise.all([
      launchCodeServer({
        vsix,
        folder: options.folder ?? EXAMPLES,
        workspaceTrust: options.workspaceTrust,
        settings: { ...TEST_SETTINGS, ...options.settings },
      }),
      launchChromium(),
    ]);
    const page = await chromium.browser.newPage({
      viewport: options.viewport ?? { width: 1400, height: 900 },
    });
    page.setDefaultTimeout(15_000);
    const consoleLog = new ConsoleLog(page);
    workbench = new Workbench(page);
    await page.goto(server.url);
    await workbench.waitUntilReady();
    const readyAfterMs = Date.now() - started;
    const session = { server, chromium, page, workbench, console: consoleLog, readyAfterMs };
    return await withDeadline(
      body(session),
      started + (options.timeoutMs ?? 150_000),
      options.name,
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (failed) await keepArtefacts(options.name, workbench, server);
    // Each by its own process id (and group), whatever happened above.
    await Promise.allSettled([chromium?.close(), server?.stop()]);
  }
}

/** `work`, or a rejection once `deadline` passes (so `finally` ends the processes). */
async function withDeadline<T>(work: Promise<T>, deadline: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}: session still running at its deadline`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function keepArtefacts(name: string, workbench?: Workbench, server?: CodeServer) {
  mkdirSync(TEST_RESULTS, { recursive: true });
  await workbench?.screenshot(`${name}-failure`).catch(() => {});
  if (server && existsSync(server.logFile)) {
    copyFileSync(server.logFile, path.join(TEST_RESULTS, `${name}-code-server.log`));
  }
}
