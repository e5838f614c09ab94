// Debian's Chromium driven by playwright-core (no browser download). Launched as a
// playwright browser server so its process id is known: `close()` ends it by that id
// (playwright starts it in its own process group) even if the protocol connection is gone.

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { endProcessGroup, killGroupOnExit } from "../../../scripts/code-server/process-group";

export const CHROMIUM = "/usr/bin/chromium";

/** Root-safe, quiet, offline: no sandbox (CI runs as root), GPU, QUIC or background traffic. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Chromium {
  browser: Browser;
  pid: number;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  }
  // Playwright gives the browser a new empty profile folder and deletes it on close.
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const pid = server.process().pid!;
  const cancelExitHook = killGroupOnExit(pid);
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    const close = async () => {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      await endProcessGroup(pid, 2000);
      cancelExitHook();
    };
    return { browser, pid, close };
  } catch (error) {
    await endProcessGroup(pid, 0);
    throw error;
  }
}
