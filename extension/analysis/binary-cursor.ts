// A strict little reader over a byte range of a .wasm file. Every failure is a
// DecodeError that names the absolute byte offset and what was expected there, so
// callers never need to wrap reads in their own bounds checks.

export class DecodeError extends Error {
  constructor(
    /** Absolute byte offset in the file where decoding failed. */
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What a read expects, for its error message: the text, or a function that makes it.
 *  Reads in hot loops pass functions made once per loop: a module's 100,000 data segments
 *  would otherwise build 100,000 descriptions for messages that are never shown. */
export type What = string | (() => string);

export function whatText(what: What): string {
  return typeof what === "string" ? what : what();
}

export class BinaryCursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    /** Exclusive end: reads past it are errors even if the file goes on. */
    readonly end: number,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, offset = this.pos): never {
    throw new DecodeError(offset, message);
  }

  private need(n: number, what: What): void {
    if (this.end - this.pos < n) {
      this.fail(`unexpected end: expected ${whatText(what)} (${n} byte${n === 1 ? "" : "s"})`);
    }
  }

  u8(what: What): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  /** Looks at the next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  /** Unsigned LEB128 of at most 32 bits, as the spec requires: at most 5 bytes, and
   *  the unused high bits of the fifth byte must be zero. */
  u32(what: What): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end)
        this.fail(`unexpected end: expected ${whatText(what)} (u32 LEB128)`, start);
      const byte = this.bytes[this.pos++]!;
      if (i === 4) {
        if (byte & 0x80)
          this.fail(
            `integer representation too long: ${whatText(what)} (u32 LEB128 longer than 5 bytes)`,
            start,
          );
        if (byte & 0x70)
          this.fail(`integer too large: ${whatText(what)} does not fit in u32`, start);
        return (result | (byte << 28)) >>> 0;
      }
      result |= (byte & 0x7f) << (7 * i);
      if (!(byte & 0x80)) return result >>> 0;
    }
    /* c8 ignore next */
    return this.fail(`unreachable LEB128 state for ${whatText(what)}`, start);
  }

  /** Unsigned LEB128 of at most 64 bits (memory64 limits). */
  u64(what: What): bigint {
    return this.leb(what, 64, false);
  }

  /** Signed LEB128 of at most 32 bits (i32.const), with `leb`'s rules and messages in
   *  plain int32 arithmetic: every active segment's offset is one, and bigints for 100,000
   *  of them are a good part of decoding time. */
  s32(what: What): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end)
        this.fail(`unexpected end: expected ${whatText(what)} (LEB128)`, start);
      const byte = this.bytes[this.pos++]!;
      if (i === 4) {
        if (byte & 0x80) {
          this.fail(
            `integer representation too long: ${whatText(what)} (LEB128 longer than 5 bytes)`,
            start,
          );
        }
        // Bits 3–6 of the last byte: bit 31 and its sign extension, all equal.
        const high = (byte & 0x7f) >> 3;
        if (high !== 0 && high !== 0x0f) {
          this.fail(`integer too large: ${whatText(what)} does not fit in s32`, start);
        }
        return result | (byte << 28);
      }
      result |= (byte & 0x7f) << (7 * i);
      if (!(byte & 0x80)) return byte & 0x40 ? result | (-1 << (7 * (i + 1))) : result;
    }
    /* c8 ignore next */
    return this.fail(`unreachable LEB128 state for ${whatText(what)}`, start);
  }

  /** Signed LEB128 of 33 bits (block types and heap types). */
  s33(what: What): bigint {
    return this.leb(what, 33, true);
  }

  /** Signed LEB128 of at most 64 bits (i64.const). */
  s64(what: What): bigint {
    return this.leb(what, 64, true);
  }

  /** General LEB128 with the spec's limits: ceil(bits/7) bytes at most, and in the
   *  last byte the bits beyond `bits` must be zero (unsigned) or a sign extension. */
  private leb(what: What, bits: number, signed: boolean): bigint {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end)
        this.fail(`unexpected end: expected ${whatText(what)} (LEB128)`, start);
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (i === maxBytes - 1) {
        if (byte & 0x80) {
          this.fail(
            `integer representation too long: ${whatText(what)} (LEB128 longer than ${maxBytes} bytes)`,
            start,
          );
        }
        // Of this byte's 7 payload bits only `valueBits` belong to the value; the rest
        // must be zero (unsigned) or copies of the sign bit (signed).
        const valueBits = bits - 7 * i;
        const checkedFrom = signed ? valueBits - 1 : valueBits;
        const high = (byte & 0x7f) >> checkedFrom;
        const allOnes = 0x7f >> checkedFrom;
        if (high !== 0 && !(signed && high === allOnes)) {
          this.fail(
            `integer too large: ${whatText(what)} does not fit in ${signed ? "s" : "u"}${bits}`,
            start,
          );
        }
      }
      if (!(byte & 0x80)) {
        if (signed && byte & 0x40) result -= 1n << shift;
        return result;
      }
    }
    /* c8 ignore next */
    return this.fail(`unreachable LEB128 state for ${whatText(what)}`, start);
  }

  /** A view of the next n bytes: never a copy. */
  bytesView(n: number, what: What): Uint8Array {
    const from = this.pos;
    this.skip(n, what);
    return this.bytes.subarray(from, from + n);
  }

  skip(n: number, what: What): void {
    if (n > this.end - this.pos) {
      this.fail(
        `length out of bounds: ${whatText(what)} needs ${n} bytes, ${this.end - this.pos} remain`,
      );
    }
    this.pos += n;
  }

  /** A name: u32 length then UTF-8, validated. */
  name(what: What): string {
    const start = this.pos;
    const length = this.u32(() => `${whatText(what)} length`);
    const view = this.bytesView(length, what);
    try {
      return utf8.decode(view);
    } catch {
      return this.fail(`malformed UTF-8 encoding: ${whatText(what)}`, start);
    }
  }

  /** A vector count that must be plausible: every element takes at least
   *  `minElementBytes`, so a count that cannot fit in what remains is an error now
   *  rather than a huge allocation later. */
  count(what: What, minElementBytes = 1): number {
    const start = this.pos;
    const n = this.u32(() => `${whatText(what)} count`);
    if (n * minElementBytes > this.end - this.pos) {
      this.fail(
        `length out of bounds: ${n} ${whatText(what)} cannot fit in the ${this.end - this.pos} bytes that remain`,
        start,
      );
    }
    return n;
  }
}
