// A tiny static server on 127.0.0.1 (a free port) for the webview tests: the built
// webview (dist/webview.js, dist/webview.css), axe-core, the theme stylesheet, and the
// page itself (`/?theme=dark`), rendered with a fresh nonce for every request.

import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { newNonce } from "../../../extension/editor/webview-html";
import { renderPage } from "./page";
import { THEMES, themeCss, type Theme } from "./theme";

const ROOT = path.resolve(__dirname, "../../..");
export const DIST = path.join(ROOT, "dist");

export interface StaticServer {
  origin: string;
  /** The page's address for a theme. */
  pageUrl(theme: Theme): string;
  close(): Promise<void>;
}

function files(): Map<string, { type: string; body: Buffer | string }> {
  const script = path.join(DIST, "webview.js");
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: run \`npm run build\` before the webview tests`);
  }
  const axe = require.resolve("axe-core/axe.min.js");
  return new Map([
    ["/webview.js", { type: "text/javascript", body: readFileSync(script) }],
    ["/webview.css", { type: "text/css", body: readFileSync(path.join(DIST, "webview.css")) }],
    ["/axe.min.js", { type: "text/javascript", body: readFileSync(axe) }],
    ["/theme.css", { type: "text/css", body: themeCss() }],
  ]);
}

export async function startServer(): Promise<StaticServer> {
  const assets = files();
  let origin = "";
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    const theme = url.searchParams.get("theme") ?? "dark";
    let found: { type: string; body: Buffer | string } | undefined;
    if (url.pathname === "/" && (THEMES as readonly string[]).includes(theme)) {
      const body = renderPage({ origin, theme: theme as Theme, nonce: newNonce() });
      found = { type: "text/html; charset=utf-8", body };
    } else {
      found = assets.get(url.pathname);
    }
    if (url.pathname === "/favicon.ico") {
      response.writeHead(204).end(); // Chromium asks; a VS Code webview has none
      return;
    }
    if (!found) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": found.type, "cache-control": "no-store" });
    response.end(found.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (theme) => `${origin}/?theme=${encodeURIComponent(theme)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
