// WAT → wasm for test fixtures, through the wabt npm package with every feature the
// reader supports turned on.
//
// Known wabt 1.0.39 bug: `(data (memory 1) …)` is written with flags 2 but without the
// memory index, producing a malformed binary. Build explicit-memory segments with
// the binary builder instead.

import wabtInit from "wabt";

const FEATURES = {
  multi_memory: true,
  memory64: true,
  extended_const: true,
  bulk_memory: true,
  reference_types: true,
  threads: true,
  exceptions: true,
  simd: true,
};

let wabt: ReturnType<typeof wabtInit> | undefined;

export async function wat(source: string): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const parsed = (await wabt).parseWat("fixture.wat", source, FEATURES);
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({ write_debug_names: true }).buffer);
  } finally {
    parsed.destroy();
  }
}
