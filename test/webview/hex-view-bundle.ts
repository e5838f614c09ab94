// Bundles hex-view-fixture.cjs (the real HexView alone) with the webview's own webpack
// settings, and serves it in a harness page in place of the app's webview.js/css, so
// the page keeps the real CSP, themes and axe.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import webpack, { type Configuration } from "webpack";
import type { HexViewProps } from "../../webview/src/views/hex-view-props";
import type { WebviewHarness, WebviewPage } from "./harness/webview-harness";

const ROOT = path.resolve(__dirname, "../..");

export interface HexBundle {
  js: string;
  css: string;
}

let bundled: Promise<HexBundle> | undefined;

/** Builds the fixture once per process. */
export function hexViewBundle(): Promise<HexBundle> {
  bundled ??= build();
  return bundled;
}

async function build(): Promise<HexBundle> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const configs = require(path.join(ROOT, "webpack.config.js")) as Configuration[];
  const webview = configs.find((config) => config.name === "webview")!;
  const out = mkdtempSync(path.join(tmpdir(), "hex-view-fixture-"));
  const config: Configuration = {
    ...webview,
    context: ROOT,
    mode: "development",
    devtool: false,
    entry: path.join(__dirname, "hex-view-fixture.cjs"),
    output: { path: out, filename: "webview.js" },
  };
  try {
    await new Promise<void>((resolve, reject) =>
      webpack(config, (error, stats) => {
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString("errors-only")));
        else resolve();
      }),
    );
    return {
      js: readFileSync(path.join(out, "webview.js"), "utf8"),
      css: readFileSync(path.join(out, "webview.css"), "utf8"),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A harness page running the fixture instead of the app. */
export async function openHexPage(
  harness: WebviewHarness,
  theme: "light" | "dark" | "high-contrast" = "dark",
): Promise<WebviewPage> {
  const bundle = await hexViewBundle();
  const view = await harness.openWebview({ theme });
  await view.page.route("**/webview.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: bundle.js }),
  );
  await view.page.route("**/webview.css", (route) =>
    route.fulfill({ contentType: "text/css", body: bundle.css }),
  );
  await view.reload();
  return view;
}

/** HexView's props as they cross into the page (byte arrays as plain lists). */
export type SerialHexProps = Omit<HexViewProps, "bytes" | "compareBytes"> & {
  bytes: number[] | null;
  compareBytes?: number[] | null;
};

export async function renderHexView(view: WebviewPage, props: SerialHexProps): Promise<void> {
  await view.page.evaluate(
    (p) => (window as unknown as { renderHexView(p: unknown): void }).renderHexView(p),
    props,
  );
}
