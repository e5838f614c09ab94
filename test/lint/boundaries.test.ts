// The rooms' boundaries are enforced, not described: each rule of eslint.config.mjs fires
// on an import that crosses it the wrong way (and stays quiet on the allowed direction),
// the import-circle check fails on circles (type-only ones too), and common/'s own
// tsconfig rejects Node and DOM APIs. Fixtures live in test/fixtures/lint/, which the
// project's own lint ignores.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { ESLint } from "eslint";

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });
const RULE = "@typescript-eslint/no-restricted-imports";

/** Rule ids ESLint reports for `code` as if it were the file at `file` (in the repo). */
async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const importing = (specifier: string, type = false): string =>
  `import ${type ? "type " : ""}{ x } from "${specifier}";\nexport const y: unknown = ${type ? "null as unknown as x" : "x"};\n`;

const crossings: [room: string, file: string, specifier: string][] = [
  [
    "webview → extension",
    "webview/src/views/Probe.tsx",
    "../../../extension/analysis/module-reader",
  ],
  ["webview → native", "webview/src/probe.ts", "../../native/src/addon"],
  ["webview → node:fs", "webview/src/probe.ts", "node:fs"],
  ["webview → fs", "webview/src/probe.ts", "fs"],
  ["webview → vscode", "webview/src/probe.ts", "vscode"],
  ["common → extension", "common/probe.ts", "../extension/analysis/module-reader"],
  ["common → webview", "common/probe.ts", "../webview/src/vscode-api"],
  ["common → vscode", "common/probe.ts", "vscode"],
  ["common → node:path", "common/probe.ts", "node:path"],
  ["common → an npm package", "common/probe.ts", "react"],
  ["editor → webview", "extension/editor/probe.ts", "../../webview/src/vscode-api"],
  ["extension.ts → webview", "extension/probe.ts", "../webview/src/App"],
  ["runner → cli", "extension/runner/probe.ts", "../cli/run-command"],
  ["runner → editor", "extension/runner/probe.ts", "../editor/run-controller"],
  ["runner → settings", "extension/runner/probe.ts", "../settings"],
  ["runner → vscode", "extension/runner/probe.ts", "vscode"],
  ["analysis → vscode", "extension/analysis/probe.ts", "vscode"],
  ["analysis → runner", "extension/analysis/probe.ts", "../runner/slot-pool"],
  ["analysis → editor", "extension/analysis/probe.ts", "../editor/inspector-panel"],
  ["cli → editor", "extension/cli/probe.ts", "../editor/run-controller"],
  ["cli → vscode", "extension/cli/probe.ts", "vscode"],
];

describe("ESLint: an import against an arrow fails", () => {
  for (const [what, file, specifier] of crossings) {
    test(what, async () => {
      assert.deepEqual(await ruleIds(file, importing(specifier)), [RULE]);
    });
  }
  test("a type-only import crosses too", async () => {
    const code = importing("../../extension/analysis/module-reader", true);
    assert.deepEqual(await ruleIds("webview/src/probe.ts", code), [RULE]);
  });
});

const allowed: [room: string, file: string, specifier: string][] = [
  ["webview → common", "webview/src/views/Probe.tsx", "../../../common/format"],
  ["webview → an npm package", "webview/src/probe.ts", "react"],
  ["common → common", "common/probe.ts", "./format"],
  ["runner → common", "extension/runner/probe.ts", "../../common/run-types"],
  ["runner → analysis", "extension/runner/probe.ts", "../analysis/module-reader"],
  ["editor → runner", "extension/editor/probe.ts", "../runner/runner-client"],
  ["editor → vscode", "extension/editor/probe.ts", "vscode"],
  ["cli → runner", "extension/cli/probe.ts", "../runner/runner-client"],
  ["tests → anything", "test/unit/probe.test.ts", "../../webview/src/vscode-api"],
];

describe("ESLint: imports along the arrows pass", () => {
  for (const [what, file, specifier] of allowed) {
    test(what, async () => {
      assert.deepEqual(await ruleIds(file, importing(specifier)), []);
    });
  }
});

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("import circles", () => {
  test("a circle of value imports fails the check, naming its files", () => {
    const { status, output } = run(process.execPath, [
      "scripts/import-cycles.mjs",
      "test/fixtures/lint/cycle/*.ts",
    ]);
    assert.equal(status, 1, output);
    assert.match(output, /cycle\/b\.ts -> test\/fixtures\/lint\/cycle\/a\.ts/);
  });

  test("a circle of type-only imports fails it too", () => {
    const { status, output } = run(process.execPath, [
      "scripts/import-cycles.mjs",
      "test/fixtures/lint/type-cycle/*.ts",
    ]);
    assert.equal(status, 1, output);
    assert.match(output, /type-cycle\/b\.ts -> test\/fixtures\/lint\/type-cycle\/a\.ts/);
  });

  test("the project has none", () => {
    const { status, output } = run(process.execPath, ["scripts/import-cycles.mjs"]);
    assert.equal(status, 0, output);
    assert.match(output, /no import circles among \d+ files/);
  });
});

describe("common/ typechecks without Node and DOM types", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-common-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("process and document are unknown there", () => {
    const config = path.join(dir, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(root, "common/tsconfig.json"),
        include: [],
        files: [path.join(root, "test/fixtures/lint/common-uses-node.ts")],
      }),
    );
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    const { status, output } = run(process.execPath, [tsc, "--noEmit", "-p", config]);
    assert.equal(status, 2, output);
    assert.match(output, /Cannot find name 'process'/);
    assert.match(output, /Cannot find name 'document'/);
  });
});
