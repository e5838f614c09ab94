// Real Wasmtime 49 as the oracle for components: it compiles and instantiates each
// component with WASI 0.2 (test/helpers/wasmtime_component_oracle.py), and the copy-on-write
// images it really created (every wasm-memory-image memfd: length and SHA-256) must be
// exactly the images `wasm-cow inspect` lists for the component's core modules. Inputs: a
// JavaScript component built at test time with componentize-js from npm (12 MB, an 8 MiB
// image), and components whose text real Wasmtime's own parser encodes.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { inspectComponent } from "../../extension/analysis/inspect-component";
import type { ComponentReport } from "../../common/report-types";
import { componentWat } from "../helpers/component-wat";
import { helloComponent } from "../helpers/componentize";

const run = promisify(execFile);
const ORACLE = path.join(__dirname, "..", "helpers", "wasmtime_component_oracle.py");

interface OracleAnswer {
  images: { length: number; sha256: string }[];
  result: unknown;
}

async function wasmtimeImages(file: string, call: string[] = []): Promise<OracleAnswer> {
  const { stdout } = await run("python3", [ORACLE, file, ...call], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as OracleAnswer;
}

/** The images the report lists, in the oracle's order. */
function reportedImages(report: ComponentReport): { length: number; sha256: string }[] {
  return report.modules
    .flatMap((m) => m.report.images)
    .filter((image) => image.length !== null && image.sha256 !== null)
    .map((image) => ({ length: image.length!, sha256: image.sha256! }))
    .sort((a, b) => a.length - b.length || a.sha256.localeCompare(b.sha256));
}

function inspect(file: string): ComponentReport {
  return inspectComponent(readFileSync(file), {
    fileName: file,
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-components-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  "a componentize-js component: the image Wasmtime maps is the one listed, and it runs",
  { timeout: 10 * 60_000 },
  async () => {
    const file = await helloComponent();
    const report = inspect(file);
    const answer = await wasmtimeImages(file, ["hello", "world"]);
    assert.equal(answer.result, "Hello, world!");
    assert.equal(answer.images.length, 1, "one imaged memory: the JavaScript engine's");
    assert.deepEqual(reportedImages(report), answer.images);
    assert.equal(report.summary.largestImage?.path, "component → module 0");
  },
);

test("a component with nested components: every instantiated module's image", async () => {
  const file = path.join(dir, "nested.wasm");
  writeFileSync(
    file,
    componentWat(`(component
      (core module $a (memory (export "m") 2) (data (i32.const 70000) "first module"))
      (core module $b (memory 1) (data (i32.const 0) "second") (data (i32.const 40000) "x"))
      (core instance (instantiate $a))
      (core instance (instantiate $b))
      (component $inner
        (core module $c (memory 3) (data (i32.const 131072) "inner module"))
        (core instance (instantiate $c)))
      (instance (instantiate $inner))
    )`),
  );
  const report = inspect(file);
  const answer = await wasmtimeImages(file);
  assert.equal(answer.images.length, 3);
  assert.deepEqual(reportedImages(report), answer.images);
});
