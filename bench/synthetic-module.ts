// The reader bench's synthetic module: the header, one memory and a data section of N
// active `i32.const` segments laid out one after another. Payloads are pseudo-random
// (deterministic), so images are dense and every page is non-zero.

import { BinaryWriter } from "../extension/analysis/binary-writer";
import { fillRandom, section, WASM_HEADER } from "./image-module";

export interface SyntheticOptions {
  segments: number;
  segmentSize: number;
  /** Zero bytes left between consecutive segments. */
  gap: number;
  /** Address of the first segment. */
  base: number;
}

export function syntheticModule({
  segments,
  segmentSize,
  gap,
  base,
}: SyntheticOptions): Uint8Array {
  const stride = segmentSize + gap;
  const pages = Math.ceil((base + segments * stride) / 65536);
  const payload = new Uint8Array(segmentSize);
  return new BinaryWriter()
    .bytes(WASM_HEADER)
    .bytes(section(5, (s) => s.u32(1).byte(0x00).u32(pages)))
    .bytes(
      section(11, (s) => {
        s.u32(segments);
        for (let i = 0; i < segments; i++) {
          fillRandom(payload, i + 1);
          s.byte(0x00)
            .byte(0x41)
            .s32(base + i * stride)
            .byte(0x0b)
            .u32(segmentSize)
            .bytes(payload.slice());
        }
      }),
    )
    .finish();
}
