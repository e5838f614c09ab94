#!/usr/bin/env node
// Fails (exit 1) on any import circle among the given files and what they import, type-only
// imports included: a circle is a knot in the architecture whether or not it survives
// compilation. Without arguments it checks the whole project. dpdm does the graph work;
// test/lint/boundaries.test.ts runs this on fixtures to prove it fails.
import { parseCircular, parseDependencyTree, prettyCircular } from "dpdm";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PROJECT = [
  "common/**/*.ts",
  "extension/**/*.ts",
  "webview/src/**/*.{ts,tsx}",
  "test/**/*.ts",
  "bench/**/*.ts",
  "scripts/**/*.{ts,mjs}",
];

const explicit = process.argv.slice(2);
const tree = await parseDependencyTree(explicit.length > 0 ? explicit : PROJECT, {
  cwd: root,
  context: root,
  extensions: [".ts", ".tsx", ".mjs", ".js"],
  // Fixtures that break the rule on purpose are checked only when named.
  exclude: explicit.length > 0 ? /node_modules/ : /node_modules|test\/fixtures\/lint\//,
  transform: false, // keep type-only imports
  tsconfig: undefined,
});
const files = Object.keys(tree).length;
const circles = parseCircular(tree);
if (circles.length > 0) {
  console.error(`import circles (${circles.length}):\n${prettyCircular(circles, "  ")}`);
  process.exit(1);
}
console.log(`no import circles among ${files} files`);
