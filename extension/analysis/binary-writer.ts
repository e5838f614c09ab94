// Growing byte buffer for re-encoding parts of a module: LEB128 integers, names and
// verbatim copies of byte ranges.

export class BinaryWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  get length(): number {
    return this.size + this.pending.length;
  }

  byte(value: number): this {
    this.pending.push(value & 0xff);
    return this;
  }

  u32(value: number): this {
    let rest = value >>> 0;
    do {
      const low = rest & 0x7f;
      rest >>>= 7;
      this.byte(rest ? low | 0x80 : low);
    } while (rest);
    return this;
  }

  /** Signed LEB128 of a 32-bit value (i32.const immediates). */
  s32(value: number): this {
    let rest = value | 0;
    for (;;) {
      const low = rest & 0x7f;
      rest >>= 7;
      const done = (rest === 0 && !(low & 0x40)) || (rest === -1 && low & 0x40);
      this.byte(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  name(text: string): this {
    const encoded = new TextEncoder().encode(text);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** Appends bytes (kept by reference until `finish`). */
  bytes(data: Uint8Array): this {
    this.flush();
    this.chunks.push(data);
    this.size += data.length;
    return this;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }
}

/** A whole section: id, payload size, payload. */
export function encodeSection(id: number, payload: Uint8Array): Uint8Array {
  return new BinaryWriter().byte(id).u32(payload.length).bytes(payload).finish();
}
