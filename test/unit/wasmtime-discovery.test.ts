// Finding Wasmtime's C API library and its version (extension/runner/wasmtime-discovery.ts):
// the wheel's and the release's layouts built in a temporary folder (discovery reads
// files only; loading is test/native/wasmtime-library.test.ts), then the real wheel that
// python3 imports.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { findWasmtime, findWasmtimeAsync } from "../../extension/runner/wasmtime-discovery";

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-wasmtime-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const NO_PYTHON = "/nonexistent/python3";

function file(relative: string, text = ""): string {
  const full = path.join(dir, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** A wheel's site-packages: wasmtime/linux-x86_64/_libwasmtime.so and the dist-info. */
function wheel(name: string, version: string): { packageDir: string; library: string } {
  const library = file(`${name}/wasmtime/linux-x86_64/_libwasmtime.so`);
  file(
    `${name}/wasmtime-${version}.dist-info/METADATA`,
    `Metadata-Version: 2.4\nName: wasmtime\nVersion: ${version}\n`,
  );
  return { packageDir: path.join(dir, name, "wasmtime"), library };
}

/** A C API release: lib/libwasmtime.so and include/wasmtime.h. */
function release(name: string, version: string): { root: string; library: string } {
  const library = file(`${name}/lib/libwasmtime.so`);
  file(
    `${name}/include/wasmtime.h`,
    `#ifndef WASMTIME_API_H\n#define WASMTIME_VERSION "${version}"\n#endif\n`,
  );
  return { root: path.join(dir, name), library };
}

describe("a path given", () => {
  test("a wheel's package directory or its library", () => {
    const { packageDir, library } = wheel("site49", "49.0.0");
    const expected = { found: { path: library, version: "49.0.0", foundBy: "path given" } };
    assert.deepEqual(findWasmtime({ given: packageDir }), expected);
    assert.deepEqual(findWasmtime({ given: library }), expected);
  });

  test("a release directory or its library", () => {
    const { root, library } = release("release49", "49.0.1");
    const expected = { found: { path: library, version: "49.0.1", foundBy: "path given" } };
    assert.deepEqual(findWasmtime({ given: root }), expected);
    assert.deepEqual(findWasmtime({ given: library }), expected);
  });

  test("another major version is refused with both versions named", () => {
    const { packageDir, library } = wheel("site48", "48.0.2");
    const search = findWasmtime({ given: packageDir });
    assert.ok("missing" in search);
    assert.match(
      search.missing,
      new RegExp(`^${library} is Wasmtime 48\\.0\\.2; the engine supports 49\\.x only`),
    );
  });

  test("a library without its package or release around it", () => {
    const stray = file("stray/libwasmtime.so");
    assert.deepEqual(findWasmtime({ given: stray }), {
      missing: `cannot tell which Wasmtime ${stray} is: give the \`wasmtime\` Python package or the C API release directory it came with`,
    });
  });

  test("a path that does not exist, and a folder that is neither layout", () => {
    assert.deepEqual(findWasmtime({ given: path.join(dir, "absent") }), {
      missing: `${path.join(dir, "absent")} does not exist`,
    });
    const empty = path.join(dir, "empty");
    mkdirSync(empty);
    const search = findWasmtime({ given: empty });
    assert.ok("missing" in search && search.missing.includes("is no Wasmtime C API release"));
  });
});

describe("searching", () => {
  test("without python3's package, the configured release directories in order", () => {
    const { root, library } = release("release-search", "49.0.0");
    assert.deepEqual(
      findWasmtime({ python: NO_PYTHON, releaseDirs: [path.join(dir, "absent"), root] }),
      { found: { path: library, version: "49.0.0", foundBy: "release directory" } },
    );
  });

  test("nothing anywhere: how to get it", () => {
    const search = findWasmtime({ python: NO_PYTHON, releaseDirs: [] });
    assert.ok("missing" in search);
    assert.match(search.missing, /pip install wasmtime==49\.0\.0/);
  });

  test("the wheel python3 imports (installed for the fidelity tests)", () => {
    const search = findWasmtime();
    assert.ok("found" in search, "missing" in search ? search.missing : "");
    assert.equal(search.found.version, "49.0.0");
    assert.equal(search.found.foundBy, "python package");
    assert.ok(search.found.path.endsWith("/wasmtime/linux-x86_64/_libwasmtime.so"));
    assert.ok(existsSync(search.found.path));
  });

  test("the asynchronous search (the extension host's) finds the same, or the same nothing", async () => {
    assert.deepEqual(await findWasmtimeAsync(), findWasmtime());
    assert.deepEqual(
      await findWasmtimeAsync({ python: NO_PYTHON, releaseDirs: [] }),
      findWasmtime({ python: NO_PYTHON, releaseDirs: [] }),
    );
  });
});
