// Node 20's V8 (11.3) implements memory64 and extended-const behind flags. The CLI
// turns them on before any module is compiled so that V8 can validate Wasm 3.0
// modules; newer V8s (VS Code's Electron) have them on already.

import { setFlagsFromString } from "node:v8";

const FLAGS = ["--experimental-wasm-memory64", "--experimental-wasm-extended-const"];

export function enableWasmFeatures(): void {
  for (const flag of FLAGS) setFlagsFromString(flag);
}
