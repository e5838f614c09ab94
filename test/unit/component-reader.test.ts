// The component reader (extension/analysis/component-reader.ts) on components that real
// Wasmtime's text parser encodes (test/helpers/component-wat.ts): every core module found
// with its path, index and name, each module's bytes a valid core module holding what its
// text says (read back by the module reader and validated by V8), the top-level imports
// and exports, and offset-precise errors for truncated and malformed components.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { DecodeError } from "../../extension/analysis/binary-cursor";
import {
  isComponent,
  MAX_COMPONENT_DEPTH,
  readComponent,
} from "../../extension/analysis/component-reader";
import { readModule } from "../../extension/analysis/module-reader";
import { captureCli } from "../helpers/cli-capture";
import { componentWat } from "../helpers/component-wat";

const NESTED = componentWat(`(component $top
  (import "host-log" (func $log (param "msg" string)))
  (import "wasi:cli/stdout@0.2.0" (instance))
  (core module $m (memory (export "mem") 1) (data (i32.const 0) "hi"))
  (core module $n (func (export "f")))
  (component $inner
    (core module (memory 2) (data (i32.const 65536) "deep"))
    (component $innermost (core module $leaf (memory 1)))
  )
  (core instance $i (instantiate $m))
  (export "inner" (component $inner))
  (export "run" (func $log))
)`);

function dataOf(bytes: Uint8Array): { memoryMin: bigint; data: string[] } {
  const module = readModule(bytes);
  return {
    memoryMin: module.memories[0]!.type.min,
    data: module.dataSegments.map((s) => new TextDecoder().decode(s.data)),
  };
}

describe("reading a component", () => {
  test("every core module, in file order, with its path, index and name", () => {
    assert.equal(isComponent(NESTED), true);
    const info = readComponent(NESTED);
    assert.equal(info.name, "top");
    assert.deepEqual(
      info.modules.map((m) => [m.pathText, m.index, m.name]),
      [
        ["component → module 0", 0, "m"],
        ["component → module 1", 1, "n"],
        ["component → component 0 → module 0", 0, null],
        ["component → component 0 → component 0 → module 0", 0, "leaf"],
      ],
    );
    assert.deepEqual(
      info.components.map((c) => c.pathText),
      ["component → component 0", "component → component 0 → component 0"],
    );
  });

  test("each module's bytes are the core module its text describes, at its offset", () => {
    const info = readComponent(NESTED);
    for (const module of info.modules) {
      assert.equal(
        WebAssembly.validate(module.bytes as Uint8Array<ArrayBuffer>),
        true,
        module.pathText,
      );
      assert.deepEqual(module.bytes, NESTED.subarray(module.offset, module.offset + module.length));
    }
    assert.deepEqual(dataOf(info.modules[0]!.bytes), { memoryMin: 1n, data: ["hi"] });
    assert.deepEqual(dataOf(info.modules[2]!.bytes), { memoryMin: 2n, data: ["deep"] });
  });

  test("the top-level imports and exports by name and kind", () => {
    const info = readComponent(NESTED);
    assert.deepEqual(info.imports, [
      { name: "host-log", kind: "func" },
      { name: "wasi:cli/stdout@0.2.0", kind: "instance" },
    ]);
    assert.deepEqual(info.exports, [
      { name: "inner", kind: "component" },
      { name: "run", kind: "func" },
    ]);
  });

  test("imported and aliased core modules take indices before a defined one", () => {
    const bytes = componentWat(`(component
      (import "lib" (core module $lib))
      (core module $own (memory 1))
    )`);
    const info = readComponent(bytes);
    assert.deepEqual(
      info.modules.map((m) => [m.index, m.name]),
      [[1, "own"]],
    );
    assert.deepEqual(info.imports, [{ name: "lib", kind: "core module" }]);
  });

  test("a core module is not a component", async () => {
    const core = componentWat("(module (memory 1))");
    assert.equal(isComponent(core), false);
    assert.throws(() => readComponent(core), /expected a component \(version 0x0d, layer 1\)/);
  });
});

describe("bad components", () => {
  test("every truncation fails with an offset inside the file, never a crash", () => {
    for (let cut = 0; cut < NESTED.length; cut++) {
      try {
        readComponent(NESTED.subarray(0, cut));
        // A cut at a section boundary leaves a shorter, valid component.
      } catch (error) {
        assert.ok(error instanceof DecodeError, `cut at ${cut}: ${String(error)}`);
        assert.ok(
          error.offset >= 0 && error.offset <= cut,
          `cut at ${cut}: offset ${error.offset}`,
        );
        assert.match(error.message, /unexpected end|length out of bounds|expected/);
      }
    }
  });

  test("a malformed section id is named with its offset", () => {
    const bytes = new Uint8Array([...NESTED.subarray(0, 8), 13, 0]);
    assert.throws(
      () => readComponent(bytes),
      (error: unknown) =>
        error instanceof DecodeError &&
        error.offset === 8 &&
        /malformed section id: expected 0-12, found 13/.test(error.message),
    );
  });

  test(`components nested deeper than ${MAX_COMPONENT_DEPTH} are refused, not recursed into`, () => {
    let text = "(component (core module (memory 1)))";
    for (let i = 0; i < MAX_COMPONENT_DEPTH + 1; i++) text = `(component ${text})`;
    assert.throws(() => readComponent(componentWat(text)), /nested more than 64 deep/);
  });
});

describe("wasm-cow inspect of a component", () => {
  const APP = componentWat(`(component $app
    (import "wasi:cli/stdout@0.2.0" (instance))
    (core module $main
      (memory (export "memory") 4)
      (data (i32.const 65536) "hello image")
      (data (i32.const 131072) "more"))
    (component $inner (core module $helper (memory 1) (data (i32.const 8) "x")))
    (export "inner" (component $inner))
  )`);
  const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-component-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array): string => {
    const target = path.join(dir, name);
    writeFileSync(target, bytes);
    return target;
  };

  test("--json: every core module planned as a plain module is, and the sums", async () => {
    const run = await captureCli(["inspect", file("app.wasm", APP), "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.kind, "component");
    assert.equal(report.name, "app");
    assert.deepEqual(
      report.modules.map((m: { path: string; name: string }) => [m.path, m.name]),
      [
        ["component → module 0", "main"],
        ["component → component 0 → module 0", "helper"],
      ],
    );
    // main: data at 64 KiB and 128 KiB, so an image from 0x10000 of 17 host pages, two of
    // them non-zero; helper: one page at 0.
    const [main, helper] = report.modules;
    assert.deepEqual(
      [
        main.report.images[0].offset,
        main.report.images[0].length,
        main.report.images[0].nonzeroPages,
      ],
      [65536, 17 * 4096, 2],
    );
    assert.deepEqual([helper.report.images[0].offset, helper.report.images[0].length], [0, 4096]);
    assert.deepEqual(report.summary, {
      modules: 2,
      imageBytes: 18 * 4096,
      nonzeroImageBytes: 3 * 4096,
      largestImage: { path: "component → module 0", bytes: 17 * 4096 },
    });
    assert.deepEqual(report.imports, [{ name: "wasi:cli/stdout@0.2.0", kind: "instance" }]);
  });

  test("text: the component's summary, then each module's report under its path", async () => {
    const run = await captureCli(["inspect", file("app.wasm", APP)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: component "app", 260 bytes/);
    assert.match(run.stdout, /2 core modules \(1 nested component\); images 72 KiB, 12 KiB of it/);
    assert.match(run.stdout, /^== component → component 0 → module 0 "helper": bytes 0x/m);
  });

  test("a malformed core module inside: exit 1 with the offset in the component file", async () => {
    const info = readComponent(APP);
    const broken = APP.slice();
    const main = info.modules[0]!;
    broken[main.offset + 8] = 0x20; // the module's first section id: an unknown one
    const run = await captureCli(["inspect", file("broken.wasm", broken)]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `error: ${path.join(dir, "broken.wasm")}: component → module 0: malformed section id: expected 0-13, found 32 (at byte 0x${(main.offset + 8).toString(16)})`,
    );
  });
});
