// A tiny binary writer for the bench's synthetic module: the header, one memory and a
// data section of N active `i32.const` segments laid out one after another. Payloads
// are pseudo-random (deterministic), so images are dense and every page is non-zero.

export interface SyntheticOptions {
  segments: number;
  segmentSize: number;
  /** Zero bytes left between consecutive segments. */
  gap: number;
  /** Address of the first segment. */
  base: number;
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

function sleb32(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, payload: Uint8Array): Uint8Array {
  return Buffer.concat([Uint8Array.from([id, ...uleb(payload.length)]), payload]);
}

/** xorshift32: the same bytes on every run. */
function fillRandom(target: Uint8Array, seed: number): void {
  let x = seed | 1;
  for (let i = 0; i < target.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    target[i] = x & 0xff;
  }
}

export function syntheticModule({
  segments,
  segmentSize,
  gap,
  base,
}: SyntheticOptions): Uint8Array {
  const stride = segmentSize + gap;
  const top = base + segments * stride;
  const pages = Math.ceil(top / 65536);
  const memory = Uint8Array.from([1, 0x00, ...uleb(pages)]);

  const entries: Uint8Array[] = [Uint8Array.from(uleb(segments))];
  const payload = new Uint8Array(segmentSize);
  for (let i = 0; i < segments; i++) {
    entries.push(
      Uint8Array.from([0x00, 0x41, ...sleb32(base + i * stride), 0x0b, ...uleb(segmentSize)]),
    );
    fillRandom(payload, i + 1);
    entries.push(payload.slice());
  }
  return Buffer.concat([
    Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    section(5, memory),
    section(11, Buffer.concat(entries)),
  ]);
}
