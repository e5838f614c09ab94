// Hostile paths given to the CLI: a FIFO without a writer, /dev/zero, a directory, a 1 GiB
// sparse file of zeros, a file over the size limit. Each must end at once with one
// `error:` line, without reading more than the first bytes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { MAX_MODULE_BYTES } from "../../extension/analysis/module-reader";
import { ModuleFileError, readModuleFile } from "../../extension/cli/module-file";
import { DecodeError } from "../../extension/analysis/binary-cursor";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { captureCli } from "../helpers/cli-capture";
import { memorySection, module } from "../helpers/binary-builder";

enableWasmFeatures();

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-module-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes that takes no disk: ftruncate makes it sparse. */
function sparseFile(name: string, size: number, head?: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, head ?? new Uint8Array());
  const fd = openSync(file, "r+");
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return file;
}

function fifo(name: string): string {
  const file = path.join(dir, name);
  const made = spawnSync("mkfifo", [file]);
  assert.equal(made.status, 0, `mkfifo: ${String(made.stderr)}`);
  return file;
}

const VALID = module(memorySection({ min: 1 }));

describe("readModuleFile", () => {
  test("reads a regular file whole", () => {
    const file = path.join(dir, "valid.wasm");
    writeFileSync(file, VALID);
    assert.deepEqual(readModuleFile(file), VALID);
  });

  test("a FIFO without a writer is refused at once, not waited on", () => {
    assert.throws(() => readModuleFile(fifo("pipe.wasm")), {
      name: "Error",
      message: "not a regular file (a FIFO)",
    });
  });

  test("/dev/zero is refused as a character device", () => {
    assert.throws(() => readModuleFile("/dev/zero"), ModuleFileError);
    assert.throws(() => readModuleFile("/dev/zero"), /not a regular file \(a character device\)/);
  });

  test("a directory is refused", () => {
    assert.throws(() => readModuleFile(dir), /not a regular file \(a directory\)/);
  });

  test("a 1 GiB file of zeros fails at the magic without being read", () => {
    const before = process.memoryUsage().rss;
    const file = sparseFile("zeros.wasm", 1024 ** 3);
    assert.throws(
      () => readModuleFile(file),
      (error: unknown) =>
        error instanceof DecodeError &&
        error.offset === 0 &&
        /magic header not detected/.test(error.message),
    );
    // The buffer is allocated but its pages are never written: RSS stays far below 1 GiB.
    assert.ok(
      process.memoryUsage().rss - before < 256 * 1024 * 1024,
      "the file was not read into memory",
    );
  });

  test("a file over the limit is refused before anything is read", () => {
    const file = sparseFile("huge.wasm", MAX_MODULE_BYTES + 1, VALID);
    assert.throws(
      () => readModuleFile(file),
      /too large: 1,073,741,825 bytes, the limit is 1,073,741,824 bytes/,
    );
    const small = sparseFile("small-limit.wasm", 100, VALID);
    assert.throws(() => readModuleFile(small, 99), /too large: 100 bytes, the limit is 99 bytes/);
  });

  test("a short file names what is missing", () => {
    const file = path.join(dir, "short.wasm");
    writeFileSync(file, VALID.subarray(0, 6));
    assert.throws(
      () => readModuleFile(file),
      (error: unknown) => error instanceof DecodeError && error.offset === 4,
    );
  });

  test("a missing file", () => {
    assert.throws(() => readModuleFile(path.join(dir, "absent.wasm")), /^Error: no such file$/);
  });
});

describe("the CLI on hostile paths", () => {
  for (const command of ["inspect", "run"]) {
    test(`${command} on a FIFO: exit 1 with one error line`, async () => {
      const file = fifo(`${command}-pipe.wasm`);
      const result = await captureCli([command, file]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, `error: ${file}: not a regular file (a FIFO)`);
      assert.equal(result.stdout, "");
    });

    test(`${command} on /dev/zero: exit 1 with one error line`, async () => {
      const result = await captureCli([command, "/dev/zero"]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, "error: /dev/zero: not a regular file (a character device)");
    });
  }

  test("inspect on a 1 GiB file of zeros names the offset and the magic", async () => {
    const file = sparseFile("cli-zeros.wasm", 1024 ** 3);
    const result = await captureCli(["inspect", file]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `error: ${file}: magic header not detected: expected \\0asm (at byte 0x0)`,
    );
  });
});
