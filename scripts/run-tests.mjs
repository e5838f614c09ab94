#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's built-in test runner, TypeScript loaded through tsx.
// Node 20's `--test` neither expands globs nor picks up `.ts` files from a directory, so the
// files are listed here and passed explicitly.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const testDir = path.join(root, "test");

/** @param {string} dir @returns {string[]} */
function findTests(dir) {
  /** @type {string[]} */
  const found = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err && typeof err === "object" && "code" in err && err.code === "ENOENT") return found;
    throw err;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      found.push(...findTests(full));
    } else if (entry.isFile() && entry.name.endsWith(".test.ts")) {
      found.push(full);
    }
  }
  return found;
}

const files = findTests(testDir)
  .map((f) => path.relative(root, f).split(path.sep).join("/"))
  .sort();

if (files.length === 0) {
  console.error(`run-tests: no test files matching test/**/*.test.ts under ${testDir}`);
  process.exit(1);
}

console.log(`run-tests: ${files.length} test file(s)`);
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", ...files],
  { cwd: root, stdio: "inherit" },
);

if (result.error) {
  console.error(`run-tests: could not start node: ${result.error.message}`);
  process.exit(1);
}
if (result.signal) {
  console.error(`run-tests: test runner killed by ${result.signal}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
