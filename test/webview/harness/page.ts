// The test page: the real webview HTML (`webviewHtml()`, with its CSP), plus the theme
// stylesheet, the theme's body class, and a stub `acquireVsCodeApi()` in a nonce'd script
// that runs before webview.js.

import { webviewHtml } from "../../../extension/editor/webview-html";
import { BODY_CLASS, type Theme } from "./theme";

/** Key under which the stub keeps the webview's state (survives a reload, like VS Code). */
export const STATE_KEY = "wasmCowHarness.state";

/** Prefix of the console error the stub logs for every CSP violation. */
export const CSP_VIOLATION = "CSP violation:";

// Plain JavaScript (not a serialized TS function: the test loader's helpers would not exist
// in the page). `window.__wasmCowHarness` is what the harness reads back.
const STUB = `
(() => {
  const posted = [];
  const violations = [];
  let acquired = false;
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    };
    violations.push(violation);
    console.error(${JSON.stringify(CSP_VIOLATION)} + " " + JSON.stringify(violation));
  });
  const harness = { posted, violations, saves: 0 };
  window.__wasmCowHarness = harness;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error("An instance of the VS Code API has already been acquired");
    acquired = true;
    return Object.freeze({
      // VS Code clones what it posts: an uncloneable message fails here as it would there.
      postMessage: (message) => void posted.push(structuredClone(message)),
      getState: () => {
        const text = sessionStorage.getItem(${JSON.stringify(STATE_KEY)});
        return text === null ? undefined : JSON.parse(text);
      },
      setState: (state) => {
        harness.saves++;
        sessionStorage.setItem(${JSON.stringify(STATE_KEY)}, JSON.stringify(state));
        return state;
      },
    });
  };
})();`;

export interface PageOptions {
  /** The server's origin, e.g. `http://127.0.0.1:41234` (plays `webview.cspSource`). */
  origin: string;
  theme: Theme;
  nonce: string;
}

export function renderPage({ origin, theme, nonce }: PageOptions): string {
  const html = webviewHtml(
    {
      cspSource: origin,
      scriptUri: `${origin}/webview.js`,
      styleUris: [`${origin}/theme.css`, `${origin}/webview.css`],
      title: "Wasm CoW Inspector (test)",
    },
    nonce,
  );
  const script = `<script nonce="${nonce}" src="${origin}/webview.js">`;
  if (html.split(script).length !== 2 || html.split("<body>").length !== 2) {
    throw new Error("webviewHtml() changed shape: the harness cannot place its stub");
  }
  return html
    .replace("<body>", `<body class="${BODY_CLASS[theme]}">`)
    .replace(script, `<script nonce="${nonce}">${STUB}</script>\n    ${script}`);
}
