// A deliberately naive second reader of module bytes, independent of
// extension/analysis: splits a binary into sections and a data section into its
// segments, keeping every piece as the exact bytes of the file. The rewriter tests
// compare these byte ranges between a module and its rewrite.

export interface RawSection {
  id: number;
  /** Name of a custom section, else null. */
  customName: string | null;
  payload: Uint8Array;
}

export interface RawDataSegment {
  flags: number;
  /** Target memory of an active segment; null when passive. */
  memory: number | null;
  /** Bytes from the flags byte to the end of the offset expression (its `end` included). */
  head: Uint8Array;
  /** The whole entry: head, payload length and payload. */
  entry: Uint8Array;
  payloadLength: number;
}

/** Unsigned LEB128 at `pos`: [value, position after it]. */
export function readUleb(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= bytes.length) throw new Error(`LEB128 runs past the end at ${pos}`);
    const byte = bytes[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, pos];
  }
}

/** Skips a signed LEB128 (any width) at `pos`. */
function skipSleb(bytes: Uint8Array, pos: number): number {
  while (bytes[pos]! & 0x80) pos++;
  return pos + 1;
}

export function splitSections(bytes: Uint8Array): RawSection[] {
  const sections: RawSection[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readUleb(bytes, pos + 1);
    const payload = bytes.subarray(start, start + size);
    let customName: string | null = null;
    if (id === 0) {
      const [length, at] = readUleb(payload, 0);
      customName = new TextDecoder().decode(payload.subarray(at, at + length));
    }
    sections.push({ id, customName, payload });
    pos = start + size;
  }
  return sections;
}

/** The end of a constant expression starting at `pos` (after its `end` opcode). Knows
 *  the instructions data offsets use: t.const, global.get and extended-const arithmetic. */
export function skipConstExpr(bytes: Uint8Array, pos: number): number {
  for (;;) {
    const op = bytes[pos++]!;
    if (op === 0x0b) return pos;
    if (op === 0x41 || op === 0x42) pos = skipSleb(bytes, pos);
    else if (op === 0x23) pos = readUleb(bytes, pos)[1];
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) {
      throw new Error(`unexpected opcode 0x${op.toString(16)} in a constant expression`);
    }
  }
}

export function splitDataSegments(payload: Uint8Array): {
  count: number;
  segments: RawDataSegment[];
} {
  const [count, first] = readUleb(payload, 0);
  const segments: RawDataSegment[] = [];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const start = pos;
    const [flags, afterFlags] = readUleb(payload, pos);
    let memory: number | null = null;
    pos = afterFlags;
    if (flags === 0) {
      memory = 0;
      pos = skipConstExpr(payload, pos);
    } else if (flags === 2) {
      [memory, pos] = readUleb(payload, pos);
      pos = skipConstExpr(payload, pos);
    } else if (flags !== 1) {
      throw new Error(`data segment ${i} has flags ${flags}`);
    }
    const head = payload.subarray(start, pos);
    const [payloadLength, dataStart] = readUleb(payload, pos);
    pos = dataStart + payloadLength;
    segments.push({ flags, memory, head, entry: payload.subarray(start, pos), payloadLength });
  }
  return { count, segments };
}

/** The bytes of the vector after its count (a section payload minus the leading u32). */
export function afterCount(payload: Uint8Array): Uint8Array {
  return payload.subarray(readUleb(payload, 0)[1]);
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
