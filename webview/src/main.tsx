// Entry point of the webview bundle.

import { createRoot } from "react-dom/client";
import { App } from "./App";
import "./styles/base.css";
import { post } from "./vscode-api";

window.addEventListener("error", (event) =>
  post({ type: "error", message: String(event.message) }),
);
createRoot(document.getElementById("root")!).render(<App />);
