// The sample modules (examples/*.wat, built by scripts/build-examples.ts) as bytes, and
// one hand-built module the samples lack.

import { readFileSync } from "node:fs";
import path from "node:path";
import { buildExamples } from "../../../scripts/build-examples";
import {
  activeData,
  activeDataOn,
  dataSection,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  passiveData,
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
