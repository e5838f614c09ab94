// The webview's HTML: a strict Content Security Policy (nothing by default; scripts only
// with this render's nonce; styles, fonts and images only from the extension's own
// resources), the bundled CSS as a file (no inline styles) and the bundled script.

import { randomBytes } from "node:crypto";

export interface WebviewAssets {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
  title: string;
}

export function newNonce(): string {
  return randomBytes(18).toString("base64url");
}

export function webviewHtml(assets: WebviewAssets, nonce = newNonce()): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${assets.cspSource}`,
    `font-src ${assets.cspSource}`,
    `img-src ${assets.cspSource}`,
  ].join("; ");
  const styles = assets.styleUris
    .map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`)
    .join("\n    ");
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeText(assets.title)}</title>
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>
  </body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

function escapeText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
