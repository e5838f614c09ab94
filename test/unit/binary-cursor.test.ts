// The strict reader under every other decoder: LEB128 limits as the spec states them
// (length and unused bits), names, counts and absolute error offsets.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BinaryCursor } from "../../extension/analysis/binary-cursor";
import { assertDecodeError, sleb, uleb } from "../helpers/binary-builder";

/** Junk before the value so offsets are absolute, not relative to the value. */
const PREFIX = [0xee, 0xee, 0xee];
const AT = PREFIX.length;

/** A cursor over `bytes` placed after PREFIX, ending at the end of `bytes`. */
function cursorOver(bytes: readonly number[]): BinaryCursor {
  const all = new Uint8Array([...PREFIX, ...bytes]);
  return new BinaryCursor(all, AT, all.length);
}

/** Reads one value and checks it consumed every byte. */
function readAll<T>(bytes: readonly number[], read: (c: BinaryCursor) => T): T {
  const cursor = cursorOver(bytes);
  const value = read(cursor);
  assert.equal(cursor.pos, AT + bytes.length, "the whole encoding is consumed");
  return value;
}

const ff = (n: number): number[] => new Array<number>(n).fill(0xff);
const x80 = (n: number): number[] => new Array<number>(n).fill(0x80);

describe("u32", () => {
  const u32 = (c: BinaryCursor): number => c.u32("value");

  test("small values and the 5-byte maximum", () => {
    assert.equal(readAll([0x00], u32), 0);
    assert.equal(readAll([0x7f], u32), 127);
    assert.equal(readAll([0x80, 0x01], u32), 128);
    assert.equal(readAll([...ff(4), 0x0f], u32), 0xffffffff);
  });

  test("padding up to 5 bytes is accepted", () => {
    assert.equal(readAll([...x80(4), 0x00], u32), 0);
    assert.equal(readAll([0x85, ...x80(3), 0x00], u32), 5);
  });

  test("a sixth byte is too long", () => {
    assertDecodeError(
      () => cursorOver([...x80(5), 0x00]).u32("value"),
      "integer representation too long",
      AT,
    );
  });

  test("unused bits set in the fifth byte are too large", () => {
    for (const last of [0x10, 0x1f, 0x40, 0x70]) {
      assertDecodeError(() => cursorOver([...ff(4), last]).u32("value"), "integer too large", AT);
    }
  });

  test("the end of the range comes before the end of the bytes", () => {
    const bytes = new Uint8Array([...PREFIX, 0x80, 0x80, 0x01]);
    assertDecodeError(() => new BinaryCursor(bytes, AT, AT + 2).u32("value"), "unexpected end", AT);
    assertDecodeError(() => cursorOver([]).u32("value"), "unexpected end", AT);
  });
});

describe("u64", () => {
  const u64 = (c: BinaryCursor): bigint => c.u64("value");

  test("maximum and padded values", () => {
    assert.equal(readAll([...ff(9), 0x01], u64), (1n << 64n) - 1n);
    assert.equal(readAll(uleb(1n << 40n), u64), 1n << 40n);
    assert.equal(readAll([...x80(9), 0x00], u64), 0n);
  });

  test("overlong and too large", () => {
    assertDecodeError(
      () => cursorOver([...x80(10), 0x00]).u64("value"),
      "integer representation too long",
      AT,
    );
    assertDecodeError(() => cursorOver([...ff(9), 0x02]).u64("value"), "integer too large", AT);
  });

  test("unexpected end", () => {
    assertDecodeError(() => cursorOver(ff(9)).u64("value"), "unexpected end", AT);
  });
});

describe("s32", () => {
  const s32 = (c: BinaryCursor): number => c.s32("value");

  test("sign extension edge cases", () => {
    assert.equal(readAll([0x7f], s32), -1);
    assert.equal(readAll([0x40], s32), -64);
    assert.equal(readAll([0x3f], s32), 63);
    assert.equal(readAll([0xc0, 0x00], s32), 64);
    assert.equal(readAll([...x80(4), 0x78], s32), -(2 ** 31));
    assert.equal(readAll([...ff(4), 0x07], s32), 2 ** 31 - 1);
  });

  test("the builder's encodings round-trip", () => {
    for (const value of [0, 1, -1, 63, -64, 64, -65, 2 ** 31 - 1, -(2 ** 31)]) {
      assert.equal(readAll(sleb(value), s32), value);
      assert.equal(readAll(sleb(value, { padTo: 5 }), s32), value, `${value} padded`);
    }
  });

  test("overlong with correct sign-extension padding is accepted", () => {
    assert.equal(readAll([...ff(4), 0x7f], s32), -1);
    assert.equal(readAll([0x80, ...ff(3), 0x7f], s32), -128);
    assert.equal(readAll([...x80(4), 0x00], s32), 0);
  });

  test("padding that is not a sign extension is too large", () => {
    // Bit 3 of the fifth byte is the sign; bits 4-6 must copy it.
    for (const last of [0x0f, 0x70, 0x4f, 0x17, 0x08 | 0x20]) {
      assertDecodeError(() => cursorOver([...ff(4), last]).s32("value"), "integer too large", AT);
    }
  });

  test("a sixth byte is too long, even as a sign extension", () => {
    assertDecodeError(
      () => cursorOver([...ff(5), 0x7f]).s32("value"),
      "integer representation too long",
      AT,
    );
  });

  test("unexpected end", () => {
    assertDecodeError(() => cursorOver([0xff, 0xff]).s32("value"), "unexpected end", AT);
  });

  test("agrees with the specification's grammar on random byte strings", () => {
    // The spec's sN (binary/values): one byte n, either final (n < 2^7) and in range for
    // N bits, or a continuation (n ≥ 2^7, only while N > 7) followed by s(N−7).
    const spec = (bytes: number[], at: number, n: number): number | string => {
      if (at >= bytes.length) return "unexpected end";
      const byte = bytes[at]!;
      if (byte < 0x40) return byte < 2 ** (n - 1) ? byte : "integer too large";
      if (byte < 0x80) return byte >= 0x80 - 2 ** (n - 1) ? byte - 0x80 : "integer too large";
      if (n <= 7) return "integer representation too long";
      const rest = spec(bytes, at + 1, n - 7);
      return typeof rest === "string" ? rest : 0x80 * rest + (byte - 0x80);
    };
    let seed = 7;
    const random = (below: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % below;
    };
    const interesting = [0x00, 0x07, 0x08, 0x3f, 0x40, 0x70, 0x78, 0x7f, 0x80, 0xc0, 0xff];
    for (let i = 0; i < 20_000; i++) {
      const bytes = Array.from({ length: 1 + random(6) }, () =>
        random(2) ? interesting[random(interesting.length)]! : random(256),
      );
      const expected = spec(bytes, 0, 32);
      const cursor = cursorOver(bytes);
      let actual: number | string;
      try {
        actual = cursor.s32("value");
      } catch (error) {
        actual = (error as Error).message.replace(/:.*/, "");
      }
      assert.equal(actual, expected, `bytes ${bytes.map((b) => b.toString(16)).join(" ")}`);
    }
  });
});

describe("s64", () => {
  const s64 = (c: BinaryCursor): bigint => c.s64("value");
  const MIN = -(1n << 63n);
  const MAX = (1n << 63n) - 1n;

  test("sign extension edge cases", () => {
    assert.equal(readAll([0x7f], s64), -1n);
    assert.equal(readAll([...x80(9), 0x7f], s64), MIN);
    assert.equal(readAll([...ff(9), 0x00], s64), MAX);
    assert.equal(readAll([...ff(9), 0x7f], s64), -1n, "10-byte -1");
    assert.equal(readAll([...x80(9), 0x00], s64), 0n, "10-byte 0");
  });

  test("the builder's encodings round-trip", () => {
    for (const value of [0n, -1n, MIN, MAX, 1n << 32n, -(1n << 32n)]) {
      assert.equal(readAll(sleb(value), s64), value);
      assert.equal(readAll(sleb(value, { padTo: 10 }), s64), value, `${value} padded`);
    }
  });

  test("bad padding in the tenth byte is too large", () => {
    for (const last of [0x01, 0x7e, 0x02, 0x40]) {
      assertDecodeError(() => cursorOver([...ff(9), last]).s64("value"), "integer too large", AT);
    }
  });

  test("an eleventh byte is too long", () => {
    assertDecodeError(
      () => cursorOver([...x80(10), 0x00]).s64("value"),
      "integer representation too long",
      AT,
    );
  });

  test("unexpected end", () => {
    assertDecodeError(() => cursorOver(x80(3)).s64("value"), "unexpected end", AT);
  });
});

describe("names", () => {
  const encode = (text: string): number[] => [...new TextEncoder().encode(text)];

  test("valid UTF-8, including multi-byte characters", () => {
    const text = "dāta.rel.ro 🦀";
    const bytes = encode(text);
    assert.equal(
      readAll([bytes.length, ...bytes], (c) => c.name("name")),
      text,
    );
  });

  test("malformed UTF-8 is reported at the name's length byte", () => {
    const malformed = [
      [0xc3, 0x28], // bad continuation byte
      [0xc0, 0x80], // overlong encoding of NUL
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate
      [0xe2, 0x82], // truncated sequence
      [0xff], // never valid
    ];
    for (const bytes of malformed) {
      assertDecodeError(
        () => cursorOver([bytes.length, ...bytes]).name("name"),
        "malformed UTF-8 encoding",
        AT,
      );
    }
  });

  test("a length past the end is out of bounds", () => {
    // The payload starts after the one-byte length.
    assertDecodeError(
      () => cursorOver([5, 0x61, 0x62]).name("name"),
      "length out of bounds",
      AT + 1,
    );
  });
});

describe("count", () => {
  test("a count that fits in what remains", () => {
    const cursor = cursorOver([3, 1, 2, 3]);
    assert.equal(cursor.count("items"), 3);
    assert.equal(cursor.pos, AT + 1);
    assert.equal(cursorOver([2, 0, 0, 0, 0]).count("items", 2), 2);
  });

  test("a count that cannot fit is out of bounds at the count", () => {
    assertDecodeError(() => cursorOver([3, 1, 2]).count("items"), "length out of bounds", AT);
    assertDecodeError(() => cursorOver([2, 0, 0, 0]).count("items", 2), "length out of bounds", AT);
    assertDecodeError(
      () => cursorOver([...ff(4), 0x0f, 0]).count("items"),
      "length out of bounds",
      AT,
    );
  });
});

describe("bytes", () => {
  test("views share the buffer and advance", () => {
    const cursor = cursorOver([9, 8, 7, 6]);
    const view = cursor.bytesView(3, "payload");
    assert.equal(view.buffer, cursor.bytes.buffer);
    assert.equal(view.byteOffset, AT);
    assert.deepEqual([...view], [9, 8, 7]);
    assert.equal(cursor.pos, AT + 3);
  });

  test("u8 and views past the end", () => {
    assertDecodeError(() => cursorOver([]).u8("byte"), "unexpected end", AT);
    assertDecodeError(() => cursorOver([1, 2]).bytesView(3, "payload"), "length out of bounds", AT);
  });
});
