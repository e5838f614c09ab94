// Test-only entry (bundled by hex-view-bundle.ts, never shipped): mounts the real HexView
// alone so tests can give it any props. CommonJS so the repo's TypeScript project (no
// JSX there) leaves it alone; the browser globals come through globalThis.
"use strict";

const { createElement } = require("react");
const { flushSync } = require("react-dom");
const { createRoot } = require("react-dom/client");
const { HexView } = require("../../webview/src/views/HexView");
require("../../webview/src/styles/base.css");

const root = createRoot(globalThis.document.getElementById("root"));
const bytes = (list) => (list === null || list === undefined ? list : Uint8Array.from(list));

/** Renders HexView synchronously; byte lists arrive as plain arrays (or null). */
globalThis.renderHexView = (props) =>
  flushSync(() =>
    root.render(
      createElement(
        "main",
        { className: "app" },
        createElement(HexView, {
          ...props,
          bytes: bytes(props.bytes),
          compareBytes: bytes(props.compareBytes),
        }),
      ),
    ),
  );

// The harness waits for the webview's first message.
globalThis.acquireVsCodeApi().postMessage({ type: "ready" });
