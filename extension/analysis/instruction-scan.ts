// The instruction level of the feature scan: a table of every opcode (the shape of its
// immediates, the proposals it belongs to, its text-format name) and the skip-only scan
// of code bodies that uses it, with no AST and no allocation per instruction. Numbering
// and proposal membership follow current wasmparser (wasm-tools), which tracks the
// proposals' binary formats; stack switching uses the current numbering (0xe5
// resume_throw_ref, 0xe6 switch), not the older 0xe5 switch.
//
// Every instruction has a code: the opcode byte for single-byte instructions, and
// 256 + (prefix - 0xfb) * 512 + sub-opcode for the 0xfb-0xfe prefixes, so one flat table
// lookup answers for both. The hot loop and the `Imm` const enum share this file so the
// enum's members compile to literals (a jump table), not property loads.

import type { WasmModule } from "./module-types";
import { ABSTRACT_HEAP_TYPES, NUMERIC_TYPES } from "./value-types";
import {
  WASM_FEATURES,
  type FeatureUse,
  type UnknownInstruction,
  type WasmFeature,
} from "../../common/wasm-features";

/** Feature sets are bit masks: bit i is WASM_FEATURES[i]. */
export function featureBit(feature: WasmFeature): number {
  return 1 << WASM_FEATURES.indexOf(feature);
}

// A code's features share an int with its immediate kind and must stay a V8 Smi.
if (WASM_FEATURES.length > 25) throw new Error("too many features for the instruction table");

const SIGN_EXTENSION = featureBit("sign-extension");
const SATURATING = featureBit("saturating-float-to-int");
const MULTI_VALUE = featureBit("multi-value");
const BULK_MEMORY = featureBit("bulk-memory");
const REFERENCE_TYPES = featureBit("reference-types");
const SIMD = featureBit("simd");
const RELAXED_SIMD = featureBit("relaxed-simd");
const THREADS = featureBit("threads");
const EXCEPTIONS = featureBit("exceptions");
const LEGACY_EXCEPTIONS = featureBit("legacy-exceptions");
const TAIL_CALL = featureBit("tail-call");
const FUNCTION_REFERENCES = featureBit("function-references");
const GC = featureBit("gc");
const MULTI_MEMORY = featureBit("multi-memory");
const WIDE_ARITHMETIC = featureBit("wide-arithmetic");
const STACK_SWITCHING = featureBit("stack-switching");
const MEMORY_CONTROL = featureBit("memory-control");
const SHARED_EVERYTHING = featureBit("shared-everything-threads");
const CUSTOM_DESCRIPTORS = featureBit("custom-descriptors");

/** What follows an opcode. */
const enum Imm {
  None,
  /** Not an instruction: the scan stops there. */
  Unknown,
  /** 0xfb-0xfe: a LEB128 sub-opcode, then that instruction's immediates. */
  Prefix,
  /** One LEB128 (any index, label, i32/i64 constant). */
  Leb,
  Leb2,
  Leb3,
  Block,
  BrTable,
  Memarg,
  Bytes4,
  Bytes8,
  Bytes16,
  Lane,
  MemargLane,
  HeapType,
  SelectTypes,
  TryTable,
  /** Type index, then handlers (resume, resume_throw_ref). */
  Resume,
  /** Type index, tag index, then handlers. */
  ResumeThrow,
  BrOnCast,
  /** atomic.fence's reserved 0x00. */
  ZeroByte,
  /** A memory index: anything but a plain 0x00 is multi-memory. */
  Memory,
  LebMemory,
  MemoryMemory,
  /** A table index: anything but a plain 0x00 needs reference types. */
  LebTable,
  TableTable,
}

/** The code space and the instruction table's layout (a const enum: literals in the
 *  hot loop). */
const enum Code {
  PrefixFirst = 0xfb,
  PrefixLast = 0xfe,
  /** Sub-opcodes per prefix (the largest known is 0xfd 0x113). */
  PrefixSpan = 512,
  Space = 256 + (PrefixLast - PrefixFirst + 1) * PrefixSpan,
  /** A single-byte code with no instruction: where unknown sub-opcodes go. */
  Unknown = 0xff,
  /** Each table entry is `kind | features << KindBits`. */
  KindBits = 5,
  KindMask = (1 << KindBits) - 1,
}

/** The code of a prefixed instruction (the sub-opcode must be below Code.PrefixSpan). */
function prefixedCode(prefix: number, sub: number): number {
  return 256 + (prefix - Code.PrefixFirst) * Code.PrefixSpan + sub;
}

/** Immediate kind and features of every code, in one int so the hot loop makes one
 *  load per instruction. */
const INSTRUCTIONS = new Int32Array(Code.Space).fill(Imm.Unknown);
/** Text-format name by code; "" for the MVP numeric instructions and unknown codes.
 *  Exported for the tests, which check every name against wabt. */
export const NAMES: string[] = new Array<string>(Code.Space).fill("");

function featuresOf(code: number): number {
  return INSTRUCTIONS[code]! >> Code.KindBits;
}

function kindOf(code: number): Imm {
  return INSTRUCTIONS[code]! & Code.KindMask;
}

/** Defines consecutive codes from `first`, one per name ("-" leaves a gap). */
function define(first: number, kind: Imm, features: number, names: string): void {
  names
    .trim()
    .split(/\s+/)
    .forEach((name, i) => {
      if (name === "-") return;
      INSTRUCTIONS[first + i] = kind | (features << Code.KindBits);
      NAMES[first + i] = name;
    });
}

const fb = (sub: number): number => prefixedCode(0xfb, sub);
const fc = (sub: number): number => prefixedCode(0xfc, sub);
const fd = (sub: number): number => prefixedCode(0xfd, sub);
const fe = (sub: number): number => prefixedCode(0xfe, sub);

/** `<prefix>.<op>` for every read-modify-write operation and width of `prefix`. */
function rmwNames(widths: string): string {
  const ops = ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"];
  return ops.map((op) => widths.replaceAll("OP", op)).join(" ");
}

function defineSingleByte(): void {
  define(0x00, Imm.None, 0, "unreachable nop");
  define(0x02, Imm.Block, 0, "block loop if");
  define(0x05, Imm.None, 0, "else");
  define(0x06, Imm.Block, LEGACY_EXCEPTIONS, "try");
  define(0x07, Imm.Leb, LEGACY_EXCEPTIONS, "catch");
  define(0x08, Imm.Leb, EXCEPTIONS, "throw");
  define(0x09, Imm.Leb, LEGACY_EXCEPTIONS, "rethrow");
  define(0x0a, Imm.None, EXCEPTIONS, "throw_ref");
  define(0x0b, Imm.None, 0, "end");
  define(0x0c, Imm.Leb, 0, "br br_if");
  define(0x0e, Imm.BrTable, 0, "br_table");
  define(0x0f, Imm.None, 0, "return");
  define(0x10, Imm.Leb, 0, "call");
  define(0x11, Imm.LebTable, 0, "call_indirect");
  define(0x12, Imm.Leb, TAIL_CALL, "return_call");
  define(0x13, Imm.LebTable, TAIL_CALL, "return_call_indirect");
  define(0x14, Imm.Leb, FUNCTION_REFERENCES, "call_ref");
  define(0x15, Imm.Leb, TAIL_CALL | FUNCTION_REFERENCES, "return_call_ref");
  define(0x18, Imm.Leb, LEGACY_EXCEPTIONS, "delegate");
  define(0x19, Imm.None, LEGACY_EXCEPTIONS, "catch_all");
  define(0x1a, Imm.None, 0, "drop select");
  define(0x1c, Imm.SelectTypes, REFERENCE_TYPES, "select");
  define(0x1f, Imm.TryTable, EXCEPTIONS, "try_table");
  define(0x20, Imm.Leb, 0, "local.get local.set local.tee global.get global.set");
  define(0x25, Imm.Leb, REFERENCE_TYPES, "table.get table.set");
  define(
    0x28,
    Imm.Memarg,
    0,
    `i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
     i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
     i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16
     i64.store32`,
  );
  define(0x3f, Imm.Memory, 0, "memory.size memory.grow");
  define(0x41, Imm.Leb, 0, "i32.const i64.const");
  define(0x43, Imm.Bytes4, 0, "f32.const");
  define(0x44, Imm.Bytes8, 0, "f64.const");
  // The MVP numeric instructions take no immediates and need no proposal: never named.
  INSTRUCTIONS.fill(Imm.None, 0x45, 0xc0);
  define(
    0xc0,
    Imm.None,
    SIGN_EXTENSION,
    "i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s",
  );
  define(0xd0, Imm.HeapType, REFERENCE_TYPES, "ref.null");
  define(0xd1, Imm.None, REFERENCE_TYPES, "ref.is_null");
  define(0xd2, Imm.Leb, REFERENCE_TYPES, "ref.func");
  define(0xd3, Imm.None, GC, "ref.eq");
  define(0xd4, Imm.None, FUNCTION_REFERENCES, "ref.as_non_null");
  define(0xd5, Imm.Leb, FUNCTION_REFERENCES, "br_on_null br_on_non_null");
  define(0xe0, Imm.Leb, STACK_SWITCHING, "cont.new");
  define(0xe1, Imm.Leb2, STACK_SWITCHING, "cont.bind");
  define(0xe2, Imm.Leb, STACK_SWITCHING, "suspend");
  define(0xe3, Imm.Resume, STACK_SWITCHING, "resume");
  define(0xe4, Imm.ResumeThrow, STACK_SWITCHING, "resume_throw");
  define(0xe5, Imm.Resume, STACK_SWITCHING, "resume_throw_ref");
  define(0xe6, Imm.Leb2, STACK_SWITCHING, "switch");
}

function defineGc(): void {
  define(fb(0x00), Imm.Leb, GC, "struct.new struct.new_default");
  define(fb(0x02), Imm.Leb2, GC, "struct.get struct.get_s struct.get_u struct.set");
  define(fb(0x06), Imm.Leb, GC, "array.new array.new_default");
  define(fb(0x08), Imm.Leb2, GC, "array.new_fixed array.new_data array.new_elem");
  define(fb(0x0b), Imm.Leb, GC, "array.get array.get_s array.get_u array.set");
  define(fb(0x0f), Imm.None, GC, "array.len");
  define(fb(0x10), Imm.Leb, GC, "array.fill");
  define(fb(0x11), Imm.Leb2, GC, "array.copy array.init_data array.init_elem");
  // 0x14/0x16 take a non-null target type, 0x15/0x17 a nullable one.
  define(fb(0x14), Imm.HeapType, GC, "ref.test ref.test ref.cast ref.cast");
  define(fb(0x18), Imm.BrOnCast, GC, "br_on_cast br_on_cast_fail");
  define(
    fb(0x1a),
    Imm.None,
    GC,
    "any.convert_extern extern.convert_any ref.i31 i31.get_s i31.get_u",
  );
  define(fb(0x20), Imm.Leb, CUSTOM_DESCRIPTORS, "struct.new_desc struct.new_default_desc");
  define(fb(0x22), Imm.Leb, CUSTOM_DESCRIPTORS, "ref.get_desc");
  define(fb(0x23), Imm.HeapType, CUSTOM_DESCRIPTORS, "ref.cast_desc_eq ref.cast_desc_eq");
  define(fb(0x25), Imm.BrOnCast, CUSTOM_DESCRIPTORS, "br_on_cast_desc_eq br_on_cast_desc_eq_fail");
}

function defineMisc(): void {
  define(
    fc(0x00),
    Imm.None,
    SATURATING,
    `i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
     i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u`,
  );
  define(fc(0x08), Imm.LebMemory, BULK_MEMORY, "memory.init");
  define(fc(0x09), Imm.Leb, BULK_MEMORY, "data.drop");
  define(fc(0x0a), Imm.MemoryMemory, BULK_MEMORY, "memory.copy");
  define(fc(0x0b), Imm.Memory, BULK_MEMORY, "memory.fill");
  define(fc(0x0c), Imm.LebTable, BULK_MEMORY, "table.init");
  define(fc(0x0d), Imm.Leb, BULK_MEMORY, "elem.drop");
  define(fc(0x0e), Imm.TableTable, BULK_MEMORY, "table.copy");
  define(fc(0x0f), Imm.Leb, REFERENCE_TYPES, "table.grow table.size table.fill");
  define(fc(0x12), Imm.Memory, MEMORY_CONTROL, "memory.discard");
  define(
    fc(0x13),
    Imm.None,
    WIDE_ARITHMETIC,
    "i64.add128 i64.sub128 i64.mul_wide_s i64.mul_wide_u",
  );
}

function defineSimd(): void {
  define(
    fd(0x00),
    Imm.Memarg,
    SIMD,
    `v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s
     v128.load32x2_u v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat
     v128.store`,
  );
  define(fd(0x0c), Imm.Bytes16, SIMD, "v128.const i8x16.shuffle");
  define(
    fd(0x0e),
    Imm.None,
    SIMD,
    "i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat",
  );
  define(
    fd(0x15),
    Imm.Lane,
    SIMD,
    `i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane
     i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
     i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane
     f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane`,
  );
  const compare = (shape: string, ops: string): string => ops.replace(/(\S+)/g, `${shape}.$1`);
  define(
    fd(0x23),
    Imm.None,
    SIMD,
    [
      compare("i8x16", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"),
      compare("i16x8", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"),
      compare("i32x4", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"),
      compare("f32x4", "eq ne lt gt le ge"),
      compare("f64x2", "eq ne lt gt le ge"),
      "v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true",
    ].join(" "),
  );
  define(
    fd(0x54),
    Imm.MemargLane,
    SIMD,
    `v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane
     v128.store8_lane v128.store16_lane v128.store32_lane v128.store64_lane`,
  );
  define(fd(0x5c), Imm.Memarg, SIMD, "v128.load32_zero v128.load64_zero");
  define(
    fd(0x5e),
    Imm.None,
    SIMD,
    `f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
     i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask
     i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
     f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
     i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u
     i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor
     i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u
     i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
     i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u

     i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask
     i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
     i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s
     i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
     i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u
     i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul
     i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u
     i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s
     i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u

     i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -
     i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s
     i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
     i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - - i32x4.mul
     i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
     i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s
     i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u

     i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -
     i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s
     i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
     i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - - i64x2.mul
     i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
     i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s
     i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u

     f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div
     f32x4.min f32x4.max f32x4.pmin f32x4.pmax
     f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div
     f64x2.min f64x2.max f64x2.pmin f64x2.pmax
     i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u
     f32x4.convert_i32x4_s f32x4.convert_i32x4_u
     i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero
     f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u`,
  );
  define(
    fd(0x100),
    Imm.None,
    RELAXED_SIMD,
    `i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u
     i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero
     f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
     i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect
     i64x2.relaxed_laneselect f32x4.relaxed_min f32x4.relaxed_max
     f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s
     i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s`,
  );
}

function defineAtomics(): void {
  define(
    fe(0x00),
    Imm.Memarg,
    THREADS,
    "memory.atomic.notify memory.atomic.wait32 memory.atomic.wait64",
  );
  define(fe(0x03), Imm.ZeroByte, THREADS, "atomic.fence");
  define(
    fe(0x10),
    Imm.Memarg,
    THREADS,
    `i32.atomic.load i64.atomic.load i32.atomic.load8_u i32.atomic.load16_u
     i64.atomic.load8_u i64.atomic.load16_u i64.atomic.load32_u
     i32.atomic.store i64.atomic.store i32.atomic.store8 i32.atomic.store16
     i64.atomic.store8 i64.atomic.store16 i64.atomic.store32
     ${rmwNames(
       `i32.atomic.rmw.OP i64.atomic.rmw.OP i32.atomic.rmw8.OP_u i32.atomic.rmw16.OP_u
        i64.atomic.rmw8.OP_u i64.atomic.rmw16.OP_u i64.atomic.rmw32.OP_u`,
     )}`,
  );
  // shared-everything-threads: an ordering immediate, then the indices.
  define(fe(0x4f), Imm.Leb2, SHARED_EVERYTHING, "global.atomic.get global.atomic.set");
  define(fe(0x51), Imm.Leb2, SHARED_EVERYTHING, rmwNames("global.atomic.rmw.OP"));
  define(
    fe(0x58),
    Imm.Leb2,
    SHARED_EVERYTHING,
    "table.atomic.get table.atomic.set table.atomic.rmw.xchg table.atomic.rmw.cmpxchg",
  );
  define(
    fe(0x5c),
    Imm.Leb3,
    SHARED_EVERYTHING,
    `struct.atomic.get struct.atomic.get_s struct.atomic.get_u struct.atomic.set
     ${rmwNames("struct.atomic.rmw.OP")}`,
  );
  define(
    fe(0x67),
    Imm.Leb2,
    SHARED_EVERYTHING,
    `array.atomic.get array.atomic.get_s array.atomic.get_u array.atomic.set
     ${rmwNames("array.atomic.rmw.OP")}`,
  );
  define(fe(0x72), Imm.None, SHARED_EVERYTHING, "ref.i31_shared");
}

defineSingleByte();
INSTRUCTIONS.fill(Imm.Prefix, Code.PrefixFirst, Code.PrefixLast + 1);
defineGc();
defineMisc();
defineSimd();
defineAtomics();

// --- recording ---------------------------------------------------------------------

export interface ScanState {
  bytes: Uint8Array;
  /** Imported globals come first: global.get of a later one in a constant expression
   *  needs GC. */
  importedGlobals: number;
  /** Features recorded so far, as a mask. */
  seen: number;
  uses: FeatureUse[];
  unknown: UnknownInstruction | null;
}

/** Records every feature of `mask` not recorded yet. */
export function note(
  state: ScanState,
  mask: number,
  fn: number | null,
  offset: number,
  what: string,
): void {
  const fresh = mask & ~state.seen;
  for (let bit = 0; bit < WASM_FEATURES.length; bit++) {
    if (fresh & (1 << bit))
      state.uses.push({ feature: WASM_FEATURES[bit]!, function: fn, offset, what });
  }
  state.seen |= fresh;
}

/** Whether `mask` holds a feature not recorded yet (checked before building a `what`). */
export function isNew(state: ScanState, mask: number): boolean {
  return (mask & ~state.seen) !== 0;
}

/** Bytes with a meaning in types. */
const enum TypeByte {
  EmptyBlock = 0x40,
  Exact = 0x62,
  RefNullable = 0x63,
  RefNonNull = 0x64,
  Shared = 0x65,
  Funcref = 0x70,
  V128 = 0x7b,
  /** f64..i32: the number types before v128. */
  F64 = 0x7c,
  I32 = 0x7f,
}

/** Features of each abstract heap type by its byte (a nullable reference); -1 for bytes
 *  that are none. Non-null func/extern references also need function references. */
const ABSTRACT_FEATURES = new Int32Array(0x80).fill(-1);
for (const [byte, name] of Object.entries(ABSTRACT_HEAP_TYPES)) {
  const proposal =
    name === "func" || name === "extern"
      ? 0
      : name === "exn" || name === "noexn"
        ? EXCEPTIONS
        : name === "cont" || name === "nocont"
          ? STACK_SWITCHING
          : GC;
  ABSTRACT_FEATURES[Number(byte)] = REFERENCE_TYPES | proposal;
}

// --- LEB128 and types at byte level --------------------------------------------------

/** Where the last decoded item ends: the helpers below return their value and leave
 *  their end here, so nothing is allocated to return two numbers. */
let next = 0;

/** An unsigned LEB128 of at most 32 bits at p, or -1 when longer or larger. Reading past
 *  the array yields zero bytes (undefined & x is 0), so callers check `next` against
 *  their end. */
export function readU32(bytes: Uint8Array, p: number): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = bytes[p++]!;
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      next = p;
      return shift === 28 && byte > 0x0f ? -1 : result >>> 0;
    }
  }
  next = p;
  return -1;
}

/** Features of the heap type at p (in a reference that is `nullable` or not), or -1
 *  when the bytes are no heap type; its end in `next`. */
function heapTypeFeatures(bytes: Uint8Array, p: number, nullable: boolean): number {
  const byte = bytes[p]!;
  if (byte === TypeByte.Shared) {
    const shared = abstractFeatures(bytes[p + 1]!, nullable);
    next = p + 2;
    return shared < 0 ? -1 : shared | SHARED_EVERYTHING;
  }
  if (byte === TypeByte.Exact) {
    const exact = readU32(bytes, p + 1);
    return exact < 0 ? -1 : REFERENCE_TYPES | FUNCTION_REFERENCES | CUSTOM_DESCRIPTORS;
  }
  // A one-byte negative s33 is an abstract heap type; anything else a type index.
  if ((byte & 0xc0) === 0x40) {
    next = p + 1;
    return abstractFeatures(byte, nullable);
  }
  return readU32(bytes, p) < 0 ? -1 : REFERENCE_TYPES | FUNCTION_REFERENCES;
}

/** Features of a heap type as the module reader spells it ("func", "none", "12"). */
export function heapTypeNameFeatures(name: string): number {
  const byte = ABSTRACT_BYTES.get(name);
  return byte === undefined ? REFERENCE_TYPES | FUNCTION_REFERENCES : ABSTRACT_FEATURES[byte]!;
}

const ABSTRACT_BYTES = new Map(
  Object.entries(ABSTRACT_HEAP_TYPES).map(([byte, name]) => [name, Number(byte)]),
);

function abstractFeatures(byte: number, nullable: boolean): number {
  const features = ABSTRACT_FEATURES[byte & 0x7f]!;
  if (features < 0 || byte & 0x80) return -1;
  return nullable || features & ~REFERENCE_TYPES ? features : features | FUNCTION_REFERENCES;
}

/** Features of the value type at p, or -1 when the bytes are no value type; its end in
 *  `next`. */
function valTypeFeatures(bytes: Uint8Array, p: number): number {
  const byte = bytes[p]!;
  if (byte >= TypeByte.F64 && byte <= TypeByte.I32) {
    next = p + 1;
    return 0;
  }
  if (byte === TypeByte.V128) {
    next = p + 1;
    return SIMD;
  }
  if (byte === TypeByte.RefNullable || byte === TypeByte.RefNonNull)
    return heapTypeFeatures(bytes, p + 1, byte === TypeByte.RefNullable);
  // The short forms (funcref, shared anyref, ...) are nullable abstract types only.
  if ((byte & 0xc0) === 0x40 && byte !== TypeByte.Exact) return heapTypeFeatures(bytes, p, true);
  return -1;
}

/** Records the features of the value type at p (a type outside instructions: of a local,
 *  a signature, a global) as "<type> <label> <index>", or "<type> <label>" without an
 *  index; the text is built only when a feature is new. Returns where the type ends, or
 *  -1 when the bytes are no value type. */
export function noteValType(
  state: ScanState,
  fn: number | null,
  p: number,
  label: string,
  index = -1,
): number {
  const features = valTypeFeatures(state.bytes, p);
  const end = next;
  if (features < 0) return -1;
  if (isNew(state, features)) {
    const where = index < 0 ? label : `${label} ${index}`;
    note(state, features, fn, p, `${valTypeText(state.bytes, p)} ${where}`);
  }
  return end;
}

/** The same for a table's element type: a funcref table, in either spelling, is the
 *  MVP's and needs nothing. */
export function noteTableElementType(state: ScanState, p: number, index: number): number {
  const bytes = state.bytes;
  const funcref =
    bytes[p] === TypeByte.Funcref ||
    (bytes[p] === TypeByte.RefNullable && bytes[p + 1] === TypeByte.Funcref);
  if (!funcref) return noteValType(state, null, p, "table", index);
  valTypeFeatures(bytes, p);
  return next;
}

function heapTypeText(bytes: Uint8Array, p: number): string {
  const byte = bytes[p]!;
  if (byte === TypeByte.Shared) return `(shared ${ABSTRACT_HEAP_TYPES[bytes[p + 1]!]})`;
  if (byte === TypeByte.Exact) return `(exact ${readU32(bytes, p + 1)})`;
  return ABSTRACT_HEAP_TYPES[byte] ?? String(readU32(bytes, p));
}

/** Text of a value type the byte-level decoders accepted. */
function valTypeText(bytes: Uint8Array, p: number): string {
  const byte = bytes[p]!;
  if (byte === TypeByte.RefNullable || byte === TypeByte.RefNonNull)
    return `(ref ${byte === TypeByte.RefNullable ? "null " : ""}${heapTypeText(bytes, p + 1)})`;
  if (byte === TypeByte.Shared) return `(ref null ${heapTypeText(bytes, p)})`;
  return NUMERIC_TYPES[byte] ?? `${ABSTRACT_HEAP_TYPES[byte]}ref`;
}

// --- code ----------------------------------------------------------------------------

/** Scans every code body: features into `state`, the first unreadable instruction into
 *  `state.unknown`. */
export function scanCode(state: ScanState, module: WasmModule): void {
  const bodies = module.codeBodies;
  for (let i = 0; i < bodies.length; i += 2) {
    scanBody(state, module.importedFunctionCount + i / 2, bodies[i]!, bodies[i + 1]!);
  }
}

/** The hot loop: one table lookup per instruction, immediates skipped inline where they
 *  are common and simple, everything rarer (prefixed instructions too) out of line, which
 *  keeps the loop small enough for V8 to compile it tightly. A position past `end` means
 *  "stop": an unknown opcode or an immediate that runs past the body. */
function scanBody(state: ScanState, fn: number, start: number, end: number): void {
  const bytes = state.bytes;
  // A local, not a module binding, in the loop.
  const instructions = INSTRUCTIONS;
  let p = scanLocals(state, fn, start, end);
  let at = p;
  let seen = state.seen;
  while (p < end) {
    at = p;
    const code = bytes[p++]!;
    const instruction = instructions[code]!;
    switch (instruction & Code.KindMask) {
      case Imm.None:
        break;
      case Imm.Leb:
        while (bytes[p++]! & 0x80);
        break;
      case Imm.Leb2:
        while (bytes[p++]! & 0x80);
        while (bytes[p++]! & 0x80);
        break;
      case Imm.Memarg:
        // Alignment below 0x40: one byte, no memory index.
        if (bytes[p]! < 0x40) {
          p++;
          while (bytes[p++]! & 0x80);
        } else {
          p = skipImmediates(state, fn, at, code, p, end);
          seen = state.seen;
        }
        break;
      case Imm.Block: {
        const type = bytes[p]!;
        if (type === TypeByte.EmptyBlock || (type >= TypeByte.F64 && type <= TypeByte.I32)) p++;
        else {
          p = skipImmediates(state, fn, at, code, p, end);
          seen = state.seen;
        }
        break;
      }
      case Imm.Bytes4:
        p += 4;
        break;
      case Imm.Bytes8:
        p += 8;
        break;
      case Imm.Prefix:
        p = skipPrefixed(state, fn, at, code, p, end);
        seen = state.seen;
        continue;
      default:
        p = skipImmediates(state, fn, at, code, p, end);
        seen = state.seen;
    }
    if (((instruction >> Code.KindBits) & ~seen) !== 0 && p <= end) {
      note(state, instruction >> Code.KindBits, fn, at, NAMES[code]!);
      seen = state.seen;
    }
  }
  if (p > end) reportUnknown(state, fn, at, end);
}

/** Skips the local declarations, recording the features of their types. */
function scanLocals(state: ScanState, fn: number, start: number, end: number): number {
  const bytes = state.bytes;
  const groups = readU32(bytes, start);
  let p = next;
  if (groups < 0 || groups > end - p) return badLocals(state, fn, start, end);
  for (let g = 0; g < groups; g++) {
    while (bytes[p++]! & 0x80);
    if (p >= end) return badLocals(state, fn, start, end);
    const type = bytes[p]!;
    if (type >= TypeByte.F64 && type <= TypeByte.I32) {
      p++;
      continue;
    }
    const after = noteValType(state, fn, p, "local");
    if (after < 0 || after > end) return badLocals(state, fn, start, end);
    p = after;
  }
  return p;
}

/** Local declarations the scan cannot read (only in bodies changed after the reader
 *  accepted them): the whole body is unknown, reported at its start. */
function badLocals(state: ScanState, fn: number, start: number, end: number): number {
  reportUnknown(state, fn, start, end);
  return end;
}

function reportUnknown(state: ScanState, fn: number, at: number, end: number): void {
  // Bodies are scanned in file order: the first report is the first by offset.
  state.unknown ??= { function: fn, offset: at, opcode: opcodeHex(state.bytes, at, end) };
}

/** The opcode bytes at `at` as hex: the prefix and its LEB128 sub-opcode, or one byte. */
function opcodeHex(bytes: Uint8Array, at: number, end: number): string {
  let last = at;
  const code = bytes[at]!;
  if (code >= Code.PrefixFirst && code <= Code.PrefixLast) {
    do last++;
    while (last < end && last - at < 5 && bytes[last]! & 0x80);
  }
  return Array.from(bytes.subarray(at, Math.min(last, end - 1) + 1), hexByte).join(" ");
}

const hexByte = (byte: number): string => `0x${byte.toString(16).padStart(2, "0")}`;

/** A memarg whose flags are not a single byte below 0x40: bit 6 announces a memory
 *  index (multi-memory). */
function skipMemarg(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  const flags = readU32(bytes, p);
  p = next;
  const memory = flags & 0x40 ? readU32(bytes, p) : 0;
  if (flags & 0x40) p = next;
  while (bytes[p++]! & 0x80); // the offset
  if (flags < 0 || memory < 0 || p > end) return end + 1;
  if (flags & 0x40 && isNew(state, MULTI_MEMORY))
    note(state, MULTI_MEMORY, fn, at, `${NAMES[code]} (memory ${memory})`);
  return p;
}

/** A block type other than empty or a number type: a reference or v128 result, or a
 *  type index (multi-value). */
function skipBlockType(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  const byte = bytes[p]!;
  if (byte === TypeByte.EmptyBlock) return p + 1;
  // A value type is a one-byte negative s33; anything else is a type index.
  if ((byte & 0xc0) === 0x40) {
    const features = valTypeFeatures(bytes, p);
    const after = next;
    if (features < 0 || after > end) return end + 1;
    const extra = extraFeatures(features, code);
    if (isNew(state, extra))
      note(state, extra, fn, at, `${NAMES[code]} (result ${valTypeText(bytes, p)})`);
    return after;
  }
  const index = readU32(bytes, p);
  if (index < 0 || next > end) return end + 1;
  if (isNew(state, MULTI_VALUE)) note(state, MULTI_VALUE, fn, at, `${NAMES[code]} (type ${index})`);
  return next;
}

/** The features an immediate adds to its instruction's own (and to what those imply:
 *  GC is built on reference types and typed function references). */
function extraFeatures(features: number, code: number): number {
  const own = featuresOf(code);
  const implied = own & (GC | CUSTOM_DESCRIPTORS) ? REFERENCE_TYPES | FUNCTION_REFERENCES | GC : 0;
  return features & ~(own | implied);
}

/** Skips a LEB128 vector count's worth of items only after checking the count can fit:
 *  every item takes at least one byte, so a hostile count ends the body at once. */
function vectorCount(bytes: Uint8Array, p: number, end: number): number {
  const count = readU32(bytes, p);
  return count < 0 || count > end - next ? -1 : count;
}

/** A prefixed instruction: its sub-opcode, immediates and features. */
function skipPrefixed(
  state: ScanState,
  fn: number,
  at: number,
  prefix: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  let sub = bytes[p++]!;
  if (sub & 0x80) {
    sub = readU32(bytes, p - 1);
    p = next;
  }
  const code = sub >= 0 && sub < Code.PrefixSpan ? prefixedCode(prefix, sub) : Code.Unknown;
  p = skipImmediates(state, fn, at, code, p, end);
  const features = featuresOf(code);
  if (isNew(state, features) && p <= end) note(state, features, fn, at, NAMES[code]!);
  return p;
}

/** The immediates of any instruction (the hot loop keeps the common cases inline). */
function skipImmediates(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  switch (kindOf(code)) {
    case Imm.None:
      return p;
    case Imm.Leb:
      while (bytes[p++]! & 0x80);
      return p;
    case Imm.Leb2:
      while (bytes[p++]! & 0x80);
      while (bytes[p++]! & 0x80);
      return p;
    case Imm.Leb3:
      for (let i = 0; i < 3; i++) while (bytes[p++]! & 0x80);
      return p;
    case Imm.BrTable: {
      // The targets, then the default.
      const targets = vectorCount(bytes, p, end);
      if (targets < 0) return end + 1;
      p = next;
      for (let i = 0; i <= targets; i++) while (bytes[p++]! & 0x80);
      return p;
    }
    case Imm.Memarg:
      return skipMemarg(state, fn, at, code, p, end);
    case Imm.Block:
      return skipBlockType(state, fn, at, code, p, end);
    case Imm.Bytes4:
      return p + 4;
    case Imm.Bytes8:
      return p + 8;
    case Imm.Bytes16:
      return p + 16;
    case Imm.Lane:
      return p + 1;
    case Imm.MemargLane:
      return skipMemarg(state, fn, at, code, p, end) + 1;
    case Imm.HeapType:
      return skipHeapType(state, fn, at, code, p, end);
    case Imm.SelectTypes:
      return skipSelectTypes(state, fn, at, code, p, end);
    case Imm.TryTable:
      return skipTryTable(state, fn, at, code, p, end);
    case Imm.Resume:
      while (bytes[p++]! & 0x80);
      return skipHandlers(bytes, p, end);
    case Imm.ResumeThrow:
      while (bytes[p++]! & 0x80);
      while (bytes[p++]! & 0x80);
      return skipHandlers(bytes, p, end);
    case Imm.BrOnCast:
      return skipBrOnCast(state, fn, at, code, p, end);
    case Imm.ZeroByte:
      return bytes[p] === 0 ? p + 1 : end + 1;
    case Imm.Memory:
      return skipIndex(state, fn, at, code, p, end, "memory");
    case Imm.LebMemory:
      while (bytes[p++]! & 0x80);
      return skipIndex(state, fn, at, code, p, end, "memory");
    case Imm.MemoryMemory:
      p = skipIndex(state, fn, at, code, p, end, "memory");
      return skipIndex(state, fn, at, code, p, end, "memory");
    case Imm.LebTable:
      while (bytes[p++]! & 0x80);
      return skipIndex(state, fn, at, code, p, end, "table");
    case Imm.TableTable:
      p = skipIndex(state, fn, at, code, p, end, "table");
      return skipIndex(state, fn, at, code, p, end, "table");
    default:
      return end + 1;
  }
}

/** A memory or table index. Before multi-memory (reference types for tables) it was a
 *  single 0x00 byte; any other value, or an overlong zero, needs the proposal. */
function skipIndex(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
  space: "memory" | "table",
): number {
  const bytes = state.bytes;
  if (bytes[p] === 0) return p + 1;
  const index = readU32(bytes, p);
  if (index < 0 || next > end) return end + 1;
  const feature = extraFeatures(space === "memory" ? MULTI_MEMORY : REFERENCE_TYPES, code);
  if (isNew(state, feature)) {
    const which = index ? `${index}` : `0 as a ${next - p}-byte LEB128`;
    note(state, feature, fn, at, `${NAMES[code]} (${space} ${which})`);
  }
  return next;
}

/** A heap type immediate (ref.null, ref.test, ref.cast): its features beyond the
 *  instruction's own. */
function skipHeapType(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const features = heapTypeFeatures(state.bytes, p, true);
  const after = next;
  if (features < 0 || after > end) return end + 1;
  const extra = extraFeatures(features, code);
  if (isNew(state, extra))
    note(state, extra, fn, at, `${NAMES[code]} ${heapTypeText(state.bytes, p)}`);
  return after;
}

/** `select` with its result types (reference types). */
function skipSelectTypes(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  const count = vectorCount(bytes, p, end);
  if (count < 0) return end + 1;
  const first = next;
  let q = first;
  let features = 0;
  for (let i = 0; i < count; i++) {
    const type = valTypeFeatures(bytes, q);
    if (type < 0) return end + 1;
    features |= type;
    q = next;
  }
  if (q > end) return end + 1;
  const extra = extraFeatures(features, code);
  if (isNew(state, extra)) {
    const types: string[] = [];
    for (let t = first, i = 0; i < count; i++, t = next) {
      types.push(valTypeText(bytes, t));
      valTypeFeatures(bytes, t);
    }
    note(state, extra, fn, at, `${NAMES[code]} (result ${types.join(" ")})`);
  }
  return q;
}

/** try_table: a block type, then catch clauses (kind byte, tag for 0/1, label). */
function skipTryTable(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  p = skipBlockType(state, fn, at, code, p, end);
  if (p > end) return p;
  const clauses = vectorCount(bytes, p, end);
  if (clauses < 0) return end + 1;
  p = next;
  for (let i = 0; i < clauses; i++) {
    const kind = bytes[p++]!;
    if (kind > 3) return end + 1;
    if (kind < 2) while (bytes[p++]! & 0x80);
    while (bytes[p++]! & 0x80);
  }
  return p;
}

/** Stack-switching handlers: (on tag label) as 0x00, (on tag switch) as 0x01. */
function skipHandlers(bytes: Uint8Array, p: number, end: number): number {
  const handlers = vectorCount(bytes, p, end);
  if (handlers < 0) return end + 1;
  p = next;
  for (let i = 0; i < handlers; i++) {
    const kind = bytes[p++]!;
    if (kind > 1) return end + 1;
    while (bytes[p++]! & 0x80);
    if (kind === 0) while (bytes[p++]! & 0x80);
  }
  return p;
}

/** br_on_cast and its kin: nullability flags, a label, then the two heap types. */
function skipBrOnCast(
  state: ScanState,
  fn: number,
  at: number,
  code: number,
  p: number,
  end: number,
): number {
  const bytes = state.bytes;
  if (bytes[p]! > 3) return end + 1;
  p++;
  while (bytes[p++]! & 0x80);
  const from = heapTypeFeatures(bytes, p, true);
  const to = from < 0 ? -1 : heapTypeFeatures(bytes, next, true);
  if (to < 0 || next > end) return end + 1;
  const extra = extraFeatures(from | to, code);
  if (isNew(state, extra)) note(state, extra, fn, at, NAMES[code]!);
  return next;
}
