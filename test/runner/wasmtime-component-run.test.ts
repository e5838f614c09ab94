// `wasm-cow run COMPONENT --engine wasmtime`: real Wasmtime 49 instantiates the component
// with WASI 0.2, the call's result is the one wasmtime-py's own component API gives for the
// same call (test/helpers/wasmtime_component_oracle.py), and every core memory with an
// image is found in Wasmtime's pool and observed after each step, its image where
// `wasm-cow inspect` plans it. Inputs: the componentize-js hello component built at test
// time from npm, and a component of three core modules (one nested) from its text.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { inspectComponent } from "../../extension/analysis/inspect-component";
import { EXIT_STEP_FAILED } from "../../extension/cli/run-command";
import { captureCli } from "../helpers/cli-capture";
import { componentWat } from "../helpers/component-wat";
import { helloComponent } from "../helpers/componentize";
import { assertNoRunnerLeft } from "../helpers/runner-process";

const ORACLE = path.join(__dirname, "..", "helpers", "wasmtime_component_oracle.py");
const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-component-run-"));
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await assertNoRunnerLeft();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function run(file: string, ...argv: string[]): Promise<{ code: number; report: Json }> {
  const result = await captureCli(["run", file, ...argv, "--engine", "wasmtime", "--json"]);
  assert.equal(result.stderr, "");
  return { code: result.code, report: JSON.parse(result.stdout) };
}

/** Each core module's static image as inspect plans it: path → offset and length. */
function plannedImages(file: string): Map<string, { offset: number; length: number }> {
  const report = inspectComponent(readFileSync(file), {
    fileName: file,
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
  return new Map(
    report.modules.flatMap((m) =>
      m.report.images
        .filter((image) => image.static)
        .map((image) => [m.path, { offset: Number(image.offset), length: image.length! }] as const),
    ),
  );
}

const steps = (report: Json, name: string): Json[] =>
  report.steps.filter((step: Json) => step.step === name);

describe("the componentize-js hello component", { timeout: 10 * 60_000 }, () => {
  test("its function's result is Wasmtime's, and its core memory is seen step by step", async () => {
    const file = await helloComponent();
    const { stdout } = await promisify(execFile)("python3", [ORACLE, file, "hello", "world"], {
      maxBuffer: 16 << 20,
    });
    const oracle = JSON.parse(stdout) as { result: string };
    const { code, report } = await run(file, "--invoke", 'hello=["world"]', "--instances", "2");
    assert.equal(code, 0);

    const [invoke] = steps(report, "invoke");
    assert.deepEqual(invoke.result, [{ type: "string", value: oracle.result }]);
    assert.equal(invoke.detail.signature, "(name: string) -> string");
    assert.deepEqual(
      invoke.output,
      { stdout: "called with world\n", stderr: "" },
      "WASI 0.2 stdout",
    );

    const planned = plannedImages(file).get("component → module 0")!;
    const [first, second] = steps(report, "instantiate");
    assert.equal(first.pick, "cold");
    assert.equal(second.pick, "affine", "the second instance takes the warm slot of the first");
    assert.equal(second.slot, first.slot);
    for (const step of [first, second]) {
      assert.equal(step.memories.length, 1);
      const [memory] = step.memories;
      assert.equal(memory.coreModule, "component → module 0");
      assert.equal(memory.origin.init, "image");
      assert.deepEqual(
        { offset: memory.imageOffset, length: memory.imageLength },
        planned,
        "Wasmtime mapped the image where inspect plans it",
      );
      assert.equal(memory.pages.imageDirty + memory.pages.anonDirty, 0, "nothing written yet");
    }
    const touched = invoke.memories[0].pages;
    assert.ok(touched.imageDirty > 0, "the call wrote into the image (JavaScript's heap)");
    for (const reset of steps(report, "reset")) {
      const pages = reset.memories[0].pages;
      assert.equal(pages.imageDirty + pages.anonDirty + pages.imageClean, 0, "madvise reset");
      assert.equal(reset.detail.imageStillMapped, true);
    }
  });
});

describe("a component from text", () => {
  const file = path.join(dir, "three-modules.wasm");
  writeFileSync(
    file,
    componentWat(`(component
      (core module $a
        (memory (export "m") 2) (data (i32.const 70000) "first module")
        (func (export "poke") (param i32) (result i32)
          (i32.store (i32.const 70000) (local.get 0)) (local.get 0)))
      (core module $b (memory 1) (data (i32.const 0) "second") (data (i32.const 40000) "x"))
      (core instance $ia (instantiate $a))
      (core instance (instantiate $b))
      (component $inner
        (core module $c (memory 3) (data (i32.const 131072) "inner module"))
        (core instance (instantiate $c)))
      (instance (instantiate $inner))
      (func (export "poke") (param "v" u32) (result u32) (canon lift (core func $ia "poke"))))`),
  );

  test("every core memory with an image is found and labelled with its module", async () => {
    const planned = plannedImages(file);
    assert.equal(planned.size, 3);
    const { code, report } = await run(file, "--invoke", "poke=[7]");
    assert.equal(code, 0);
    const [instantiate] = steps(report, "instantiate");
    const seen = new Map(
      instantiate.memories.map((m: Json) => [
        m.coreModule,
        { offset: m.imageOffset, length: m.imageLength },
      ]),
    );
    assert.deepEqual(seen, planned);
    const [invoke] = steps(report, "invoke");
    assert.deepEqual(invoke.result, [{ type: "u32", value: 7 }]);
    const written = invoke.memories.filter((m: Json) => m.pages.imageDirty > 0);
    assert.deepEqual(
      written.map((m: Json) => [m.coreModule, m.pages.imageDirty]),
      [["component → module 0", 1]],
      "only the first module's one image page was written",
    );
  });

  test("arguments that are not one JSON array fail the call's step with the rule", async () => {
    const { code, report } = await run(file, "--invoke", "poke=7");
    assert.equal(code, EXIT_STEP_FAILED);
    assert.match(steps(report, "invoke")[0].error, /one JSON array, as in poke=\[/);
  });

  test("the V8 engine refuses a component and says which engine runs it", async () => {
    const result = await captureCli(["run", file]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /a WebAssembly component: components run in the Wasmtime engine \(add --engine wasmtime\)/,
    );
  });
});
