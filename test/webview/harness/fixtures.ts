// The sample modules (examples/*.wat, built by scripts/build-examples.ts) as bytes, and
// hand-built modules the samples lack.

import { readFileSync } from "node:fs";
import path from "node:path";
import { buildExamples } from "../../../scripts/build-examples";
import {
  activeData,
  activeDataOn,
  codeSection,
  dataSection,
  funcBody,
  funcType,
  functionSection,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  passiveData,
  typeSection,
} from "../../helpers/binary-builder";

export interface ExampleModule {
  /** File name, e.g. "sparse.wasm". */
  name: string;
  path: string;
  bytes: Uint8Array;
}

let built: Promise<ExampleModule[]> | undefined;

/** Builds the examples once per process and reads them. */
export function exampleModules(): Promise<ExampleModule[]> {
  built ??= buildExamples().then((files) =>
    files.map((file) => ({
      name: path.basename(file),
      path: file,
      bytes: new Uint8Array(readFileSync(file)),
    })),
  );
  return built;
}

/** An imported memory with data, a second (64-bit) memory with data, and a passive
 *  segment. By hand: wabt encodes data on memory 1 wrongly. V8 11.3 cannot validate it
 *  (no multi-memory), so its V8 verdict is "not validated". */
export const TWO_MEMORIES: ExampleModule = {
  name: "two-memories.wasm",
  path: "two-memories.wasm", // not on disk: write it where a file is needed
  bytes: module(
    importSection(importEntry("env", "heap", importDesc.memory({ min: 2, max: 5 }))),
    memorySection({ min: 1, max: 3, memory64: true }),
    dataSection(
      activeData(i32Offset(8), [...Buffer.from("imported memory data")]),
      activeDataOn(1, i64Offset(65536n), [1, 2, 3]),
      passiveData([...Buffer.from("passive")]),
    ),
  ),
};

/** A memory with data and one function using legacy exception handling
 *  (`try catch_all end`), which Wasmtime 49 refuses to compile. */
export const LEGACY_EXCEPTIONS: ExampleModule = {
  name: "legacy-exceptions.wasm",
  path: "legacy-exceptions.wasm", // not on disk: write it where a file is needed
  bytes: module(
    typeSection(funcType()),
    functionSection(0),
    memorySection({ min: 1 }),
    codeSection(funcBody([], [0x06, 0x40, 0x19, 0x0b, 0x0b])),
    dataSection(activeData(i32Offset(1024), [...Buffer.from("hello")])),
  ),
};
