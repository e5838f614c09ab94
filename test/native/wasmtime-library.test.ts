// Loading Wasmtime's C API library at run time (native/src/wasmtime_library.cc): bad
// arguments and libraries that are not Wasmtime are refused with what is wrong; the wheel's
// library loads with every function the engine needs; a second, different library is
// refused (one per process). The order of the tests matters: loading is process-wide.

import assert from "node:assert/strict";
import { test } from "node:test";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { requireBackend } from "../helpers/native";

const addon = requireBackend();
const loose = addon as unknown as Record<string, (...args: unknown[]) => unknown>;

test("bad arguments are TypeErrors", () => {
  for (const args of [[], [42], [""], ["a\0b"], ["x", "y"]]) {
    assert.throws(() => loose.loadWasmtime!(...args), TypeError, JSON.stringify(args));
  }
});

test("before a library is loaded, no engine", () => {
  const options = {
    totalMemories: 1,
    maxMemorySize: 65536,
    keepResident: 0,
    maxUnusedWarmSlots: 0,
  };
  assert.throws(() => new addon.WasmtimeEngine(options), {
    message: "libwasmtime is not loaded: call loadWasmtime(path) first",
  });
});

test("a file that is not there: dlopen's words", () => {
  assert.throws(() => addon.loadWasmtime("/nonexistent/libwasmtime.so"), {
    message: /^cannot load \/nonexistent\/libwasmtime\.so: .*No such file or directory/,
  });
});

test("a library that is not Wasmtime: every missing function named", () => {
  // The addon itself is a shared object without any of Wasmtime's functions.
  const self = require.resolve("../../build/Release/wasm_cow_native.node");
  assert.throws(
    () => addon.loadWasmtime(self),
    (error: Error) => {
      assert.match(error.message, /lacks (\d+) of the \1 functions the Wasmtime engine needs: /);
      assert.match(error.message, /wasmtime_pooling_allocation_strategy_set/);
      assert.match(error.message, /wasmtime_memory_data\b/);
      return true;
    },
  );
});

test("the wheel's library loads, once per process", () => {
  const search = findWasmtime();
  assert.ok("found" in search, "missing" in search ? search.missing : "");
  const loaded = addon.loadWasmtime(search.found.path);
  assert.equal(loaded.path, search.found.path);
  assert.ok(loaded.functions >= 30, `${loaded.functions} functions checked`);
  assert.deepEqual(addon.loadWasmtime(search.found.path), loaded, "the same path again is fine");
  assert.throws(() => addon.loadWasmtime("/other/libwasmtime.so"), {
    message: `libwasmtime is already loaded from ${search.found.path}: one library per process`,
  });
});
