// Components through the addon's Wasmtime engine (native/src/wasmtime_engine.cc and
// wasmtime_component_*.cc), with the wheel's real Wasmtime: typed calls whose results
// follow from the component's text (each lifted function's core code is one line of
// arithmetic), JSON that does not fit a parameter refused with the parameter's name, and
// the component's core memory found by its image mapping, its page states from the kernel.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findWasmtime } from "../../extension/runner/wasmtime-discovery";
import { countPageStates } from "../../common/page-states";
import { requireBackend } from "../helpers/native";
import { componentWat } from "../helpers/component-wat";

const addon = requireBackend();
const search = findWasmtime();
if (!("found" in search)) assert.fail(search.missing);
addon.loadWasmtime(search.found.path);

const PAGE = 65536;
const WASI = { wasi: { args: [], maxOutputBytes: 1024 } };

// Memory of 2 Wasm pages with 13 bytes of data at 64 KiB: Wasmtime's image is one host
// page at offset 64 KiB. `store` writes into that page.
const COMPONENT = componentWat(`(component
  (core module $m
    (memory (export "mem") 2)
    (data (i32.const ${PAGE}) "an image page")
    (func (export "add") (param i32 i64) (result i64)
      (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1)))
    (func (export "area") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
    (func (export "or-seven") (param i32 i32) (result i32)
      (if (result i32) (local.get 0) (then (local.get 1)) (else (i32.const 7))))
    (func (export "same") (param i32) (result i32) (local.get 0))
    (func (export "not") (param i32) (result i32) (i32.eqz (local.get 0)))
    (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
    (func (export "next") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "store") (param i32) (result i32)
      (i32.store (i32.const ${PAGE}) (local.get 0)) (i32.load (i32.const ${PAGE}))))
  (core instance $i (instantiate $m))
  (type $size (record (field "w" u32) (field "h" u32)))
  (export $size-e "size" (type $size))
  (type $color (enum "red" "green" "blue"))
  (export $color-e "color" (type $color))
  (type $perms (flags "read" "write" "exec"))
  (export $perms-e "perms" (type $perms))
  (func (export "add") (param "a" u32) (param "b" s64) (result s64) (canon lift (core func $i "add")))
  (func (export "area") (param "s" $size-e) (result u32) (canon lift (core func $i "area")))
  (func (export "or-seven") (param "v" (option u32)) (result u32) (canon lift (core func $i "or-seven")))
  (func (export "same-color") (param "c" $color-e) (result $color-e) (canon lift (core func $i "same")))
  (func (export "same-perms") (param "p" $perms-e) (result $perms-e) (canon lift (core func $i "same")))
  (func (export "not") (param "b" bool) (result bool) (canon lift (core func $i "not")))
  (func (export "half") (param "x" f64) (result f64) (canon lift (core func $i "half")))
  (func (export "next-char") (param "c" char) (result char) (canon lift (core func $i "next")))
  (func (export "store") (param "v" u32) (result u32) (canon lift (core func $i "store"))))`);

/** A new engine with one instance of COMPONENT; `ours` lists the image memories that
 *  instance added to the process (other engines of this file have theirs). */
function engineWithInstance() {
  const engine = new addon.WasmtimeEngine({ totalMemories: 4, maxMemorySize: 1 << 30 });
  const earlier = new Set(engine.imageMemories().map((m) => m.base));
  const component = engine.compileComponent(COMPONENT);
  const instance = engine.instantiateComponent(component, WASI);
  const ours = () => engine.imageMemories().filter((m) => !earlier.has(m.base));
  return { engine, component, instance, ours };
}

describe("calling a component's exports", () => {
  const { engine, instance } = engineWithInstance();
  const call = (name: string, args: unknown[]) => engine.callComponent(instance, name, args).result;

  test("signatures come from Wasmtime in WIT's words", () => {
    assert.deepEqual(engine.componentFunction(instance, "area"), {
      params: [{ name: "s", type: "record { w: u32, h: u32 }" }],
      result: "u32",
    });
    assert.deepEqual(
      engine.componentFunction(instance, "or-seven")?.params[0]?.type,
      "option<u32>",
    );
    assert.equal(
      engine.componentFunction(instance, "same-color")?.result,
      "enum { red, green, blue }",
    );
    assert.equal(engine.componentFunction(instance, "nothing-by-this-name"), null);
  });

  test("numbers, records, options, enums, flags, bools, floats and chars cross both ways", () => {
    assert.equal(call("add", [5, 2n ** 40n]), 2n ** 40n + 5n);
    assert.equal(call("add", [5, "-7"]), -2n, "an s64 may be written as a decimal string");
    assert.equal(call("area", [{ w: 3, h: 4 }]), 12);
    assert.equal(call("or-seven", [null]), 7);
    assert.equal(call("or-seven", [9]), 9);
    assert.equal(call("same-color", ["blue"]), "blue");
    assert.deepEqual(call("same-perms", [["read", "exec"]]), ["read", "exec"]);
    assert.equal(call("not", [false]), true);
    assert.equal(call("half", [3]), 1.5);
    assert.equal(call("next-char", ["a"]), "b");
    assert.equal(call("next-char", ["\u{1F600}"]), "\u{1F601}", "a char outside the BMP");
  });

  test("a value that does not fit is refused before the call, naming the parameter", () => {
    assert.throws(() => call("add", [-1, 0]), /argument 1 \(a\): expected a u32/);
    assert.throws(() => call("add", [1.5, 0]), /argument 1 \(a\): expected a u32/);
    assert.throws(() => call("area", [{ w: 3 }]), /argument 1 \(s\): expected a field "h"/);
    assert.throws(() => call("same-color", ["pink"]), /expected one of red, green, blue/);
    assert.throws(
      () => call("same-perms", [["read", "fly"]]),
      /argument 1 \(p\)\[1\]: expected one of/,
    );
    assert.throws(() => call("next-char", ["ab"]), /expected a char/);
    assert.throws(() => call("add", [1]), /takes 2 arguments, 1 given/);
    assert.throws(() => call("nothing-by-this-name", []), /no exported function/);
    assert.equal(call("add", [1, 1]), 2n, "the instance is still usable after refusals");
  });

  test("a component instance has no module exports and a module call refuses it", () => {
    assert.throws(() => engine.memory(instance, "mem"), /component's/);
    assert.throws(() => engine.read(instance, "mem", 0, 4), /component's/);
  });
});

describe("a component's core memory, found by its image", () => {
  test("the image mapping gives the memory's base, length and the image's place", () => {
    const { engine, instance, ours } = engineWithInstance();
    const found = ours();
    assert.equal(found.length, 1);
    assert.equal(found[0]!.imageLength, 4096);
    const memory = found[0]!;
    assert.equal(memory.length, 2 * PAGE, "the accessible range is the memory's 2 Wasm pages");
    assert.equal(memory.imageOffset, PAGE, "the image starts at the data's page");

    const before = countPageStates(
      engine.snapshotAt(memory.base, memory.length, memory.imageOffset, memory.imageLength).states,
    );
    assert.equal(before.imageDirty, 0);
    assert.equal(engine.callComponent(instance, "store", [42]).result, 42);
    const after = countPageStates(
      engine.snapshotAt(memory.base, memory.length, memory.imageOffset, memory.imageLength).states,
    );
    assert.equal(after.imageDirty, 1, "the one image page the call wrote is a private copy");

    engine.drop(instance);
    const reset = countPageStates(
      engine.snapshotAt(memory.base, memory.length, memory.imageOffset, memory.imageLength).states,
    );
    assert.equal(reset.imageDirty, 0, "dropping the Store reset the slot");
  });

  test("the next instance reuses the slot with the image still mapped", () => {
    const { engine, component, instance, ours } = engineWithInstance();
    const [first] = ours();
    engine.drop(instance);
    engine.instantiateComponent(component, WASI);
    assert.deepEqual(ours(), [first]);
  });

  test("a component needs WASI options and a component id", () => {
    const { engine, component } = engineWithInstance();
    assert.throws(() => engine.instantiateComponent(component, {} as never), /WASI options/);
    assert.throws(() => engine.instantiateComponent(99, WASI), /no component with this id/);
    assert.throws(
      () => engine.compileComponent(new Uint8Array([0, 97, 115, 109])),
      /could not compile/,
    );
  });
});
