// `wasm-cow inspect` and `run` on real npm modules that use proposals past Wasm 2.0, as a
// user runs them (the built dist/cli.js). The facts asserted come from the engines, not
// from the tool: real Wasmtime 49 refuses pyodide with "wasm[0]::function[15051] ...
// Invalid input WebAssembly code at offset 5949879: legacy_exceptions feature required for
// try instruction" and the PHP JSPI build at function[295], offset 361509; it compiles
// the onnxruntime-web JSPI build, which Node 20's V8 rejects with "invalid value type
// 'noexternref', enable with --experimental-wasm-gc @+82": byte 82 is `exnref` (0x69) of
// standard exception handling, which V8 11.3 reads with the GC proposal's old numbering
// (test/oracle/wasmtime-*.test.ts checks the verdicts against Wasmtime itself).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { FEATURE_MODULES, realModulePath, type RealModule } from "../helpers/npm-wasm";

const CLI = path.resolve("dist/cli.js");

function cli(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), `${CLI} is missing: npm test builds it first`);
  const run = spawnSync(process.execPath, [CLI, ...argv], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function module(label: string): RealModule {
  const found = FEATURE_MODULES.find((m) => m.label.startsWith(label));
  assert.ok(found, `no feature module labelled ${label}`);
  return found;
}

describe("legacy exception handling: Wasmtime 49 cannot compile, said first", () => {
  for (const [label, fn, offset] of [
    ["pyodide", 15051, 5949879],
    ["php-wasm JSPI", 295, 361509],
  ] as const) {
    test(`${label}: the second line of inspect is Wasmtime's refusal`, async () => {
      const file = await realModulePath(module(label));
      const run = cli("inspect", file);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.split("\n");
      assert.ok(
        lines[1]!.startsWith(
          `  Wasmtime 49.0.0: CANNOT COMPILE: uses legacy-exceptions (\`try\` in function ${fn} at byte 0x${offset.toString(16)})`,
        ),
        lines[1],
      );
      assert.match(lines[2]!, /^ {4}advice: rebuild with the standard exception-handling encoding/);
      assert.match(run.stdout, /CoW image \(what Wasmtime would map if it compiled\): (yes|no)/);
      assert.doesNotMatch(run.stdout, /^ {2}CoW image: /m);

      const json = JSON.parse(cli("inspect", file, "--json").stdout);
      assert.deepEqual(Object.keys(json).slice(0, 5), ["file", "size", "sha256", "wasmtime", "v8"]);
      assert.equal(json.wasmtime.compiles, false);
      const legacy = json.features.find(
        (f: { feature: string }) => f.feature === "legacy-exceptions",
      );
      assert.deepEqual(legacy, { feature: "legacy-exceptions", function: fn, offset, what: "try" });
    });
  }
});

describe("a feature this V8 lacks: advisory, not invalid", () => {
  test("onnxruntime-web JSPI inspects with exit 0, v8.valid null and the feature named", async () => {
    const file = await realModulePath(module("onnxruntime-web JSPI"));
    const run = cli("inspect", file, "--json");
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.v8.valid, null);
    assert.deepEqual(json.v8.lacking, ["exceptions"], json.v8.message);
    assert.match(json.v8.message, /^the module uses exceptions \(`[^`]+` at byte 0x52\)/);
    assert.match(json.v8.message, /V8 said: invalid value type 'noexternref'/);
    assert.equal(json.wasmtime.compiles, true);
    assert.ok(json.images.length > 0);
  });

  test("run names the feature V8 lacks instead of calling the module invalid", async () => {
    const file = await realModulePath(module("onnxruntime-web JSPI"));
    const run = cli("run", file, "--json");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /: V8 11\.3\.\S+ cannot run this module: it uses exceptions \(/);
    assert.doesNotMatch(run.stderr, /invalid module/);
  });
});
