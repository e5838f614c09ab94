// The module the instantiation benches run: one fixed-size memory, dense pseudo-random
// active data segments at constant offsets (so Wasmtime's rules give it a static
// image), and one exported function `store` that does a single i32.store into the
// image and returns. The memory is exported too, so a bench can check what it timed.

import { BinaryWriter, encodeSection } from "../extension/analysis/binary-writer";

export interface ImageModuleOptions {
  /** Initial and maximum pages of the memory. */
  memoryPages: number;
  /** Address of the first segment; the others follow without gaps. */
  imageOffset: number;
  segments: number;
  segmentSize: number;
  /** Where `store` writes, and what. */
  storeAddress: number;
  storeValue: number;
}

const WASM_PAGE = 65536;

/** "\0asm", version 1. */
export const WASM_HEADER = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** xorshift32: the same bytes on every run, and no zero pages. */
export function fillRandom(target: Uint8Array, seed: number): void {
  let x = seed | 1;
  for (let i = 0; i < target.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    target[i] = x & 0xff;
  }
}

export function section(id: number, build: (payload: BinaryWriter) => void): Uint8Array {
  const payload = new BinaryWriter();
  build(payload);
  return encodeSection(id, payload.finish());
}

export function imageModule(options: ImageModuleOptions): Uint8Array {
  const { memoryPages, imageOffset, segments, segmentSize, storeAddress, storeValue } = options;
  if (imageOffset + segments * segmentSize > memoryPages * WASM_PAGE) {
    throw new RangeError("the segments do not fit in the memory");
  }
  const body = new BinaryWriter()
    .byte(0) // no locals
    .byte(0x41)
    .s32(storeAddress) // i32.const address
    .byte(0x41)
    .s32(storeValue) // i32.const value
    .byte(0x36)
    .u32(2)
    .u32(0) // i32.store align=4 offset=0
    .byte(0x0b)
    .finish();
  const payload = new Uint8Array(segmentSize);
  const out = new BinaryWriter().bytes(WASM_HEADER);
  out.bytes(section(1, (s) => s.u32(1).byte(0x60).u32(0).u32(0))); // type 0: [] -> []
  out.bytes(section(3, (s) => s.u32(1).u32(0)));
  out.bytes(section(5, (s) => s.u32(1).byte(0x01).u32(memoryPages).u32(memoryPages)));
  out.bytes(
    section(7, (s) => s.u32(2).name("store").byte(0x00).u32(0).name("memory").byte(0x02).u32(0)),
  );
  out.bytes(section(10, (s) => s.u32(1).u32(body.length).bytes(body)));
  out.bytes(
    section(11, (s) => {
      s.u32(segments);
      for (let i = 0; i < segments; i++) {
        fillRandom(payload, i + 1);
        s.u32(0)
          .byte(0x41)
          .s32(imageOffset + i * segmentSize)
          .byte(0x0b);
        s.u32(segmentSize).bytes(payload.slice());
      }
    }),
  );
  return out.finish();
}

/** The instantiation benches' module: a 16 MiB image of 64 KiB segments after one page
 *  of zeros, one page of zeros above it, and `store` writing STORE_VALUE in its middle. */
export const SIXTEEN_MIB_IMAGE = (() => {
  const imageOffset = WASM_PAGE;
  const segmentSize = WASM_PAGE;
  const segments = (16 * 1024 * 1024) / segmentSize;
  return {
    memoryPages: 1 + segments + 1,
    imageOffset,
    segments,
    segmentSize,
    storeAddress: imageOffset + 8 * 1024 * 1024 + 4 * 1234,
    storeValue: 0x12345678,
  } satisfies ImageModuleOptions;
})();
