// The package's root folder, from wherever this code runs: the TypeScript sources
// (tests, tsx) or a webpack bundle in dist/.

import { existsSync } from "node:fs";
import path from "node:path";

export function packageRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}
