// Constant expressions (data offsets, global and element initialisers): decoding with
// exact byte ranges, rendering as folded WAT text, and evaluation where the inputs
// are known. Only instructions that may appear in a constant expression are accepted;
// anything else is an error because its immediates could not be skipped reliably.

import { whatText, type BinaryCursor, type What } from "./binary-cursor";
import type { ConstExpr, ConstInstr, DataSegment } from "./module-types";
import { readHeapType } from "./value-types";

const BINARY_OPS: Record<number, ConstInstr["op"]> = {
  0x6a: "i32.add",
  0x6b: "i32.sub",
  0x6c: "i32.mul",
  0x7c: "i64.add",
  0x7d: "i64.sub",
  0x7e: "i64.mul",
};

/** GC instructions allowed in constant expressions: 0xFB sub-opcode → name and
 *  number of u32 immediates. */
const GC_CONST_OPS: Record<number, [string, number]> = {
  0x00: ["struct.new", 1],
  0x01: ["struct.new_default", 1],
  0x06: ["array.new", 1],
  0x07: ["array.new_default", 1],
  0x08: ["array.new_fixed", 2],
  0x1a: ["any.convert_extern", 0],
  0x1b: ["extern.convert_any", 0],
  0x1c: ["ref.i31", 0],
};

export function readConstExpr(cursor: BinaryCursor, what: What): ConstExpr {
  const start = cursor.pos;
  // Descriptions made only when a read fails (see What): this runs for every segment.
  const about =
    (part: string): What =>
    () =>
      `${whatText(what)}: ${part}`;
  const instrs: ConstInstr[] = [];
  for (;;) {
    const opOffset = cursor.pos;
    // Peeked, so the opcode's description is made only at the end of the input.
    const opcode = cursor.peek();
    if (opcode < 0) cursor.u8(about("an instruction or end (0x0b)"));
    cursor.pos++;
    switch (opcode) {
      case 0x0b:
        return { instrs, start, end: cursor.pos };
      case 0x41:
        instrs.push({ op: "i32.const", value: cursor.s32(about("i32.const immediate")) });
        break;
      case 0x42:
        instrs.push({ op: "i64.const", value: cursor.s64(about("i64.const immediate")) });
        break;
      case 0x43:
        cursor.skip(4, about("f32.const immediate"));
        instrs.push({ op: "f32.const" });
        break;
      case 0x44:
        cursor.skip(8, about("f64.const immediate"));
        instrs.push({ op: "f64.const" });
        break;
      case 0x23:
        instrs.push({ op: "global.get", index: cursor.u32(about("global index")) });
        break;
      case 0xd0:
        instrs.push({
          op: "ref.null",
          heapType: readHeapType(cursor, about("ref.null heap type")),
        });
        break;
      case 0xd2:
        instrs.push({ op: "ref.func", index: cursor.u32(about("function index")) });
        break;
      case 0xfb: {
        const sub = cursor.u32(about("GC instruction sub-opcode"));
        const gc = GC_CONST_OPS[sub];
        if (!gc)
          cursor.fail(
            `constant expression required: ${whatText(what)} has opcode 0xfb ${sub}`,
            opOffset,
          );
        const immediates: number[] = [];
        for (let i = 0; i < gc[1]; i++) immediates.push(cursor.u32(about(`${gc[0]} immediate`)));
        instrs.push({ op: gc[0], immediates });
        break;
      }
      case 0xfd: {
        const sub = cursor.u32(about("SIMD instruction sub-opcode"));
        if (sub !== 12)
          cursor.fail(
            `constant expression required: ${whatText(what)} has opcode 0xfd ${sub}`,
            opOffset,
          );
        cursor.skip(16, about("v128.const immediate"));
        instrs.push({ op: "v128.const" });
        break;
      }
      default: {
        const binary = BINARY_OPS[opcode];
        if (!binary) {
          cursor.fail(
            `constant expression required: ${whatText(what)} has opcode 0x${opcode.toString(16).padStart(2, "0")}`,
            opOffset,
          );
        }
        instrs.push({ op: binary } as ConstInstr);
      }
    }
  }
}

/** Reads a constant expression that is exactly `i32.const v` and `end`, making no object,
 *  and returns v as unsigned (what a 32-bit memory's segment offset means); anything else
 *  is left unread and gives -1, for `readConstExpr` to decode (and to say what is wrong). */
export function skipSingleI32Const(cursor: BinaryCursor): number {
  const start = cursor.pos;
  if (cursor.peek() !== 0x41) return -1;
  cursor.pos++;
  try {
    const value = cursor.s32("i32.const immediate");
    if (cursor.peek() === 0x0b) {
      cursor.pos++;
      return value >>> 0;
    }
  } catch {
    // Malformed: read again by readConstExpr, whose error names the expression.
  }
  cursor.pos = start;
  return -1;
}

/** `singleConstant` of a data segment's offset, without decoding the common `i32.const`. */
export function segmentConstant(segment: DataSegment): bigint | null {
  if (segment.i32Offset >= 0) return BigInt(segment.i32Offset);
  return segment.offsetExpr ? singleConstant(segment.offsetExpr) : null;
}

/** A plain constant: exactly one i32.const or i64.const. This is the only offset form
 *  Wasmtime accepts for a static memory image. */
export function singleConstant(expr: ConstExpr): bigint | null {
  if (expr.instrs.length !== 1) return null;
  const [only] = expr.instrs;
  if (only!.op === "i32.const") return BigInt((only as { value: number }).value >>> 0);
  if (only!.op === "i64.const") return BigInt.asUintN(64, (only as { value: bigint }).value);
  return null;
}

/** Exactly one global.get: the position-independent-code pattern. */
export function singleGlobalGet(expr: ConstExpr): number | null {
  const [only] = expr.instrs;
  return expr.instrs.length === 1 && only!.op === "global.get"
    ? (only as { index: number }).index
    : null;
}

function instrText(instr: ConstInstr): string {
  if ("value" in instr) return `${instr.op} ${instr.value}`;
  if ("index" in instr) return `${instr.op} ${instr.index}`;
  if ("heapType" in instr) return `${instr.op} ${instr.heapType}`;
  if ("immediates" in instr && instr.immediates.length)
    return `${instr.op} ${instr.immediates.join(" ")}`;
  return instr.op;
}

/** Folded WAT text, e.g. `(i32.add (global.get 0) (i32.const 16))`; falls back to a
 *  flat sequence when the stack shape is not a single value. */
export function constExprText(expr: ConstExpr): string {
  const stack: string[] = [];
  for (const instr of expr.instrs) {
    if (instr.op in BINARY_OPS_BY_NAME && stack.length >= 2) {
      const right = stack.pop()!;
      const left = stack.pop()!;
      stack.push(`(${instr.op} ${left} ${right})`);
    } else {
      stack.push(`(${instrText(instr)})`);
    }
  }
  return stack.join(" ");
}

const BINARY_OPS_BY_NAME: Record<string, true> = Object.fromEntries(
  Object.values(BINARY_OPS).map((name) => [name, true]),
);

/** Evaluates an integer constant expression. `globalValue` answers for globals whose
 *  value is known (defined constants, or imports the caller binds); the result is the
 *  unsigned bit pattern, or null when any input is unknown. */
export function evaluateIntExpr(
  expr: ConstExpr,
  globalValue: (index: number) => bigint | null,
): bigint | null {
  const stack: bigint[] = [];
  for (const instr of expr.instrs) {
    switch (instr.op) {
      case "i32.const":
        stack.push(BigInt.asUintN(32, BigInt((instr as { value: number }).value)));
        break;
      case "i64.const":
        stack.push(BigInt.asUintN(64, (instr as { value: bigint }).value));
        break;
      case "global.get": {
        const value = globalValue((instr as { index: number }).index);
        if (value === null) return null;
        stack.push(value);
        break;
      }
      case "i32.add":
      case "i32.sub":
      case "i32.mul":
      case "i64.add":
      case "i64.sub":
      case "i64.mul": {
        const width = instr.op.startsWith("i32") ? 32 : 64;
        const right = stack.pop();
        const left = stack.pop();
        if (left === undefined || right === undefined) return null;
        const kind = instr.op.slice(4);
        const raw = kind === "add" ? left + right : kind === "sub" ? left - right : left * right;
        stack.push(BigInt.asUintN(width, raw));
        break;
      }
      default:
        return null;
    }
  }
  return stack.length === 1 ? stack[0]! : null;
}
