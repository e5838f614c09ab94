// Everything the browser reports as going wrong in a session: console errors of the
// workbench page and of every frame in it (webviews included: their iframes share the
// page's console), uncaught exceptions, and Content Security Policy violations (Chromium
// reports each one as a console error). Attached before the workbench loads, so nothing
// early is missed.

import type { ConsoleMessage, Page } from "playwright-core";

export interface LoggedProblem {
  kind: "console" | "uncaught";
  text: string;
  /** The script or resource the message is about ("" when Chromium gives none). */
  url: string;
}

/**
 * Known and not ours: code-server does not ship `vsda` (a Microsoft-only module), so the
 * workbench's two requests for it (vsda.js and vsda_bg.wasm) fail with 404. Only these two
 * exact messages are ignored.
 */
export const KNOWN_WORKBENCH_ERRORS: readonly ((problem: LoggedProblem) => boolean)[] = [
  (p) =>
    p.kind === "console" &&
    /\/vsda(\.js|_bg\.wasm)$/.test(p.url) &&
    p.text === "Failed to load resource: the server responded with a status of 404 (Not Found)",
];

export class ConsoleLog {
  readonly problems: LoggedProblem[] = [];

  constructor(page: Page) {
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() !== "error") return;
      this.problems.push({ kind: "console", text: message.text(), url: message.location().url });
    });
    page.on("pageerror", (error) => {
      this.problems.push({ kind: "uncaught", text: error.message, url: "" });
    });
  }

  /** Problems other than the known workbench ones, one line each. */
  unexpected(): string[] {
    return this.problems
      .filter((problem) => !KNOWN_WORKBENCH_ERRORS.some((known) => known(problem)))
      .map((p) => `${p.kind}: ${p.text}${p.url ? ` (${p.url})` : ""}`);
  }

  /** The CSP violations among them. */
  cspViolations(): string[] {
    return this.unexpected().filter((line) => /Content Security Policy/i.test(line));
  }
}
