// Numbers a user types: `--invoke` arguments by parameter type (wasm-values.ts) and the
// extension's settings with their bounds (settings-values.ts).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseArgument } from "../../extension/runner/wasm-values";
import { settingsFrom } from "../../extension/settings-values";

describe("--invoke arguments", () => {
  test("integers: decimal and hex, each with a sign", () => {
    assert.equal(parseArgument("-0x10", "i32", 0), -16);
    assert.equal(parseArgument("0xffffffff", "i32", 0), -1);
    assert.equal(parseArgument("-2147483648", "i32", 0), -(2 ** 31));
    assert.equal(parseArgument("-0x10", "i64", 0), -16n);
    assert.equal(parseArgument("0xffffffffffffffff", "i64", 0), -1n);
    assert.equal(parseArgument("-9223372036854775808", "i64", 0), -(2n ** 63n));
  });

  test("out of range or malformed: the argument and the type are named", () => {
    for (const [text, type] of [
      ["4294967296", "i32"],
      ["-2147483649", "i32"],
      ["--16", "i32"],
      ["0x", "i64"],
      ["18446744073709551616", "i64"],
      ["1.5", "i64"],
      ["", "f64"],
      ["x", "f32"],
    ]) {
      assert.throws(
        () => parseArgument(text!, type!, 1),
        { message: `argument 2: ${JSON.stringify(text)} is not a valid ${type}` },
        `${text} as ${type}`,
      );
    }
  });
});

describe("settings", () => {
  const settings = (values: Record<string, unknown>) =>
    settingsFrom((key, fallback) => (key in values ? values[key] : fallback));

  test("defaults", () => {
    assert.deepEqual(settings({}), {
      pageSize: 4096,
      denseLimit: 16 * 1024 * 1024,
      poolSize: 8,
      maxUnusedWarmSlots: 100,
      resetStrategy: "madvise",
      keepResidentBytes: 1024 * 1024,
      executionTimeoutMs: 5000,
      callInitialize: true,
      wasi: true,
      wasmtimeLibrary: "",
    });
  });

  test("the Wasmtime library: a path as given, trimmed; anything else is none", () => {
    assert.equal(settings({ "wasmtime.library": " /opt/wt/lib " }).wasmtimeLibrary, "/opt/wt/lib");
    assert.equal(settings({ "wasmtime.library": 49 }).wasmtimeLibrary, "");
  });

  test("a time limit past Node's longest timer is brought to it, not wrapped to 1 ms", () => {
    assert.equal(settings({ executionTimeoutMs: 2147483648 }).executionTimeoutMs, 2147483647);
    assert.equal(settings({ executionTimeoutMs: 1e300 }).executionTimeoutMs, 2147483647);
    assert.equal(settings({ executionTimeoutMs: 5 }).executionTimeoutMs, 100);
  });

  test("values of the wrong kind fall back to the default", () => {
    const wrong = settings({
      executionTimeoutMs: "60000",
      poolSize: null,
      keepResidentBytes: Number.NaN,
      targetPageSize: 8192,
      resetStrategy: 7,
    });
    assert.equal(wrong.executionTimeoutMs, 5000);
    assert.equal(wrong.poolSize, 8);
    assert.equal(wrong.keepResidentBytes, 1024 * 1024);
    assert.equal(wrong.pageSize, 4096);
    assert.equal(wrong.resetStrategy, "madvise");
  });

  test("other bounds", () => {
    const bounded = settings({ poolSize: 1000, maxUnusedWarmSlots: -3, keepResidentBytes: 4096.7 });
    assert.equal(bounded.poolSize, 64);
    assert.equal(bounded.maxUnusedWarmSlots, 0);
    assert.equal(bounded.keepResidentBytes, 4096);
  });
});
