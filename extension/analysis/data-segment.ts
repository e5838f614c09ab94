// A decoded data segment kept as numbers, its offset expression and payload view made when
// read. A module may hold 100,000 segments that live as long as its analysis, and in a
// fresh analysis worker each object that survives costs its garbage collections (about
// 0.4 µs, copied by the young generation and promoted): as plain objects a segment was six
// (itself, its expression, the instruction array and its store, the instruction, the
// view), as this it is one.

import { BinaryCursor } from "./binary-cursor";
import { readConstExpr } from "./const-expr";
import type { ConstExpr, DataSegment } from "./module-types";

export class DecodedDataSegment implements DataSegment {
  constructor(
    /** The module's bytes, which every offset below is into. */
    private readonly bytes: Uint8Array,
    readonly index: number,
    readonly entryOffset: number,
    readonly memory: number | null,
    /** Where the offset expression starts; -1 for a passive segment. */
    private readonly exprStart: number,
    readonly i32Offset: number,
    readonly lengthOffset: number,
    readonly dataOffset: number,
    readonly size: number,
  ) {}

  get mode(): "active" | "passive" {
    return this.memory === null ? "passive" : "active";
  }

  /** Decoded again on each read: it was decoded (and checked) when the module was read,
   *  and ends where the payload's length begins. */
  get offsetExpr(): ConstExpr | null {
    if (this.exprStart < 0) return null;
    const cursor = new BinaryCursor(this.bytes, this.exprStart, this.lengthOffset);
    return readConstExpr(cursor, `data segment ${this.index} offset`);
  }

  get data(): Uint8Array {
    return this.bytes.subarray(this.dataOffset, this.dataOffset + this.size);
  }
}
