// V8 as the validator: the reader checks structure, V8 checks types and instructions.
// Its verdict is reported next to the decode, with the byte offset V8 names.

import type { WasmModule } from "./module-types";

export interface V8Verdict {
  /** null when this V8 cannot judge the module (a feature it does not implement). */
  valid: boolean | null;
  message: string | null;
  /** Byte offset from V8's "@+N" suffix, when it gives one. */
  offset: number | null;
}

// Two memories: accepted only by a V8 that implements multi-memory.
const TWO_MEMORIES = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]);

let multiMemorySupport: boolean | undefined;

export function v8SupportsMultiMemory(): boolean {
  multiMemorySupport ??= WebAssembly.validate(TWO_MEMORIES);
  return multiMemorySupport;
}

export function validateWithV8(module: WasmModule): V8Verdict {
  // Module bytes come from files, never from a SharedArrayBuffer.
  const bytes = module.bytes as Uint8Array<ArrayBuffer>;
  if (WebAssembly.validate(bytes)) return { valid: true, message: null, offset: null };
  if (module.memories.length > 1 && !v8SupportsMultiMemory()) {
    return {
      valid: null,
      message: `V8 ${process.versions.v8} does not implement multi-memory, so this module (${module.memories.length} memories) was decoded but not validated`,
      offset: null,
    };
  }
  let message = "rejected by WebAssembly.validate";
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  const offset = /@\+(\d+)/.exec(message);
  return {
    valid: false,
    message: message.replace(/^WebAssembly\.Module\(\): /, "").replace(/ @\+\d+$/, ""),
    offset: offset ? Number(offset[1]) : null,
  };
}
