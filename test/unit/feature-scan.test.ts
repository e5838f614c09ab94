// The feature scan: which proposals a module uses, and where each is first used. Modules
// are built byte by byte (or written in WAT and encoded by wabt), and every expected
// offset is computed from those bytes, never taken from the scanner. The spec suite and
// real npm modules are cross-checked against wabt's reader and validator, and against
// what Wasmtime and V8 report for them.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import wabtInit from "wabt";
import { scanFeatures } from "../../extension/analysis/feature-scan";
import { NAMES } from "../../extension/analysis/instruction-scan";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import type { FeatureScan, FeatureUse, WasmFeature } from "../../common/wasm-features";
import {
  EXPORT_KIND,
  SECTION,
  VALTYPE,
  concat,
  constExpr,
  dataCountSection,
  funcType,
  functionSection,
  importDesc,
  importEntry,
  importSection,
  layout,
  memoryType,
  op,
  section,
  typeSection,
  u32,
  vec,
  type Bytes,
  type MemoryTypeOptions,
} from "../helpers/binary-builder";
import {
  FEATURE_MODULES,
  REAL_MODULES,
  fetchRealModule,
  type RealModule,
} from "../helpers/npm-wasm";
import { isBinaryModule, readSpecModule, specCommands, where } from "../helpers/spec-suite";
import { seededRandom } from "../helpers/seeded-random";

// --- building modules ----------------------------------------------------------------

interface Fn {
  /** Encoded local declarations; none by default. */
  locals?: Bytes;
  /** Instructions, without the body's final `end`. */
  code: Bytes;
}

interface Built {
  bytes: Uint8Array;
  /** File offset of each `before` section. */
  beforeAt: number[];
  /** File offset of each body's first instruction. */
  codeAt: number[];
  /** File offset of each body's local declarations. */
  localsAt: number[];
}

const IMPORTED_FUNCTIONS = 2;

/** Type 0 is () -> (); two imported functions come first, so body i is function i + 2.
 *  `before` holds sections between the function and code sections, in order. */
function build(fns: Fn[], before: Bytes[] = []): Built {
  const bodies = fns.map(({ locals = [0x00], code }) => {
    const inner = concat(locals, code, op.end);
    return { locals, inner, encoded: concat(u32(inner.length), inner) };
  });
  const payload = vec(bodies.map((b) => b.encoded));
  const code = section(SECTION.code, payload);
  const imports = importSection(
    ...Array.from({ length: IMPORTED_FUNCTIONS }, (_, i) =>
      importEntry("env", `f${i}`, importDesc.func(0)),
    ),
  );
  const { bytes, offsets } = layout(
    typeSection(funcType()),
    imports,
    functionSection(...fns.map(() => 0)),
    ...before,
    code,
  );
  let at = offsets.at(-1)! + code.length - payload.length + u32(bodies.length).length;
  const localsAt: number[] = [];
  const codeAt = bodies.map((body) => {
    localsAt.push(at + body.encoded.length - body.inner.length);
    const first = localsAt.at(-1)! + body.locals.length;
    at += body.encoded.length;
    return first;
  });
  return { bytes, beforeAt: offsets.slice(3, -1), codeAt, localsAt };
}

/** A vector section and the file offset of each item once the section sits at `offset`. */
function items(id: number, entries: Bytes[]): { bytes: number[]; at(offset: number): number[] } {
  const payload = vec(entries);
  const bytes = section(id, payload);
  return {
    bytes,
    at(offset) {
      let next = offset + bytes.length - payload.length + u32(entries.length).length;
      return entries.map((entry) => {
        const start = next;
        next += entry.length;
        return start;
      });
    },
  };
}

const scan = (bytes: Uint8Array): FeatureScan => scanFeatures(readModule(bytes));

let wabtModule: ReturnType<typeof wabtInit> | undefined;
const wabt = (): ReturnType<typeof wabtInit> => (wabtModule ??= wabtInit());

/** Uses in a stable order for comparison: by offset, then feature name. */
function sorted(uses: FeatureUse[]): FeatureUse[] {
  return [...uses].sort((a, b) => a.offset - b.offset || a.feature.localeCompare(b.feature));
}

const use = (
  feature: WasmFeature,
  fn: number | null,
  offset: number,
  what: string,
): FeatureUse => ({ feature, function: fn, offset, what });

/** MVP instructions whose immediates look like the opcodes of later proposals. */
const NOISE: Bytes = [
  ...[0x41, 0x06], // i32.const 6: 0x06 is try
  ...[0x42, 0xc0, 0xfd, 0x7e], // i64.const: sign extension and the SIMD prefix
  ...[0x20, 0x08], // local.get 8: throw
  ...[0x43, 0x06, 0xc0, 0xfb, 0xfe], // f32.const
  ...[0x44, 0x12, 0x13, 0x14, 0x15, 0x1c, 0x1f, 0xd0, 0xe0], // f64.const
  ...[0x28, 0x02, 0x86, 0x0c], // i32.load offset=1542
  ...[0x0e, 0x03, 0x06, 0x07, 0x19, 0x18], // br_table 6 7 25 24
  ...[0x11, 0x06, 0x00], // call_indirect (type 6)
  ...[0x02, 0x7f, 0x41, 0x09, 0x0b], // block (result i32) (i32.const 9) end
  ...[0x3f, 0x00, 0x40, 0x00, 0x1a, 0x1a], // memory.size memory.grow drop drop
];

/** i32.extend8_s after an instruction proves its immediates were skipped exactly; an
 *  instruction of sign extension itself is followed by a saturating conversion. */
function markerFor(features: WasmFeature[]): { bytes: Bytes; use: [WasmFeature, string] } {
  return features.includes("sign-extension")
    ? { bytes: [0xfc, 0x00], use: ["saturating-float-to-int", "i32.trunc_sat_f32_s"] }
    : { bytes: [0xc0], use: ["sign-extension", "i32.extend8_s"] };
}

interface Case {
  bytes: Bytes;
  /** The uses expected at the instruction's opcode. */
  uses: [WasmFeature, string][];
}

const instr = (name: string, features: WasmFeature[], bytes: Bytes): Case => ({
  bytes,
  uses: features.map((f) => [f, name]),
});

/** Scans NOISE, then `bytes` and a marker, in function 3 (after a NOISE-only function 2)
 *  and checks every use: the case's at its opcode, the marker's right after it. */
function checkCase({ bytes, uses }: Case): void {
  const marker = markerFor(uses.map(([feature]) => feature));
  const built = build([{ code: NOISE }, { code: concat(NOISE, bytes, marker.bytes) }]);
  const at = built.codeAt[1]! + NOISE.length;
  const result = scan(built.bytes);
  const label = JSON.stringify(bytes.map((b) => b.toString(16)));
  assert.equal(result.unknownInstruction, null, label);
  assert.deepEqual(
    sorted(result.features),
    sorted([
      ...uses.map(([feature, what]) => use(feature, 3, at, what)),
      use(marker.use[0], 3, at + bytes.length, marker.use[1]),
    ]),
    label,
  );
}

// --- instructions --------------------------------------------------------------------

/** Proposals whose instructions wabt 1.0.39 cannot write (or, for call_ref, writes in an
 *  old draft's encoding without the type index): these are built byte by byte below. */
const WABT_CANNOT_WRITE = new Set([
  ...["call_ref", "return_call_ref", "ref.eq", "ref.as_non_null", "br_on_null", "br_on_non_null"],
  ...["cont.new", "cont.bind", "suspend", "resume", "resume_throw", "resume_throw_ref", "switch"],
  ...["memory.discard", "i64.add128", "i64.sub128", "i64.mul_wide_s", "i64.mul_wide_u"],
]);
const WABT_CANNOT_WRITE_PREFIXES =
  /^(struct|array|i31|any|extern|ref\.(test|cast|i31|get_desc)|br_on_cast|global\.atomic|table\.atomic)/;

/** Structured instructions need their partners in WAT; their own offset is not the
 *  body's first byte, so only the marker is checked for them. */
const STRUCTURED: Record<string, string> = {
  block: "block end",
  loop: "loop end",
  if: "if end",
  else: "if else end",
  end: "block end",
  try: "try end",
  catch: "try catch 0 end",
  catch_all: "try catch_all end",
  delegate: "block try delegate 0 end",
  try_table: "try_table end",
};

/** WAT for one instruction: its name and its immediates. Immediates are 12 where wabt
 *  lets them be: misread as opcodes, 0x0c (br) would swallow the marker that follows,
 *  so an immediate skipped with the wrong length cannot go unnoticed. */
function watInstruction(name: string, code: number): string {
  if (STRUCTURED[name]) return STRUCTURED[name];
  if (code === 0x1c) return "select (result i32)";
  if (name === "v128.const") return "v128.const i32x4 12 12 12 12";
  if (name === "i8x16.shuffle") return `i8x16.shuffle ${Array(16).fill(12).join(" ")}`;
  if (name === "ref.null") return "ref.null extern";
  if (/^(call_indirect|return_call_indirect)$/.test(name)) return `${name} (type 12)`;
  const memarg = /\.(load|store)|atomic\.(notify|wait|rmw)/.test(name) ? " offset=12" : "";
  const lane = /_lane(_[su])?$/.test(name) ? " 12" : "";
  const indexed =
    /^(br|br_if|br_table|call|return_call|throw|rethrow|ref\.func|data\.drop|elem\.drop|table\.init)$/.test(
      name,
    ) || /^(local|global)\.|^table\.(get|set|size|grow|fill)$|\.const$|^memory\.init$/.test(name);
  return `${name}${memarg}${lane}${indexed ? " 12" : ""}`;
}

/** The proposal of each instruction wabt can write, by hand from the proposals. */
function expectedFeatures(name: string, code: number): WasmFeature[] {
  const prefix = code >> 8 ? 0xfb + ((code - 256) >> 9) : null;
  const sub = (code - 256) & 511;
  if (prefix === 0xfd) return [name.includes("relaxed") ? "relaxed-simd" : "simd"];
  if (prefix === 0xfe) return ["threads"];
  if (prefix === 0xfc) {
    if (sub <= 7) return ["saturating-float-to-int"];
    return sub <= 14 ? ["bulk-memory"] : ["reference-types"];
  }
  if (/^i(32|64)\.extend(8|16|32)_s$/.test(name)) return ["sign-extension"];
  if (/^(try|catch|catch_all|rethrow|delegate)$/.test(name)) return ["legacy-exceptions"];
  if (/^(throw|throw_ref|try_table)$/.test(name)) return ["exceptions"];
  if (/^return_call/.test(name)) return ["tail-call"];
  if (code === 0x1c || /^(table\.[gs]et|ref\.(null|is_null|func))$/.test(name))
    return ["reference-types"];
  return [];
}

const WABT_FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  gc: true,
  memory64: true,
  extended_const: true,
  relaxed_simd: true,
  multi_memory: true,
};

/** Every named instruction wabt can write, one module each, encoded without validation
 *  (the operands are missing). Returns the names it wrote. */
async function checkWabtWrittenInstructions(): Promise<Set<string>> {
  const wat = await wabt();
  const written = new Set<string>();
  NAMES.forEach((name, code) => {
    if (!name || WABT_CANNOT_WRITE.has(name) || WABT_CANNOT_WRITE_PREFIXES.test(name)) return;
    const features = expectedFeatures(name, code);
    const marker = markerFor(features);
    const markerText = marker.use[1];
    const source = `(module (type (func)) (memory 1) (table 1 funcref)
      (func ${watInstruction(name, code)} ${markerText}))`;
    const parsed = wat.parseWat("instruction.wat", source, WABT_FEATURES);
    let bytes: Uint8Array;
    try {
      parsed.resolveNames();
      bytes = new Uint8Array(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
    const module = readModule(bytes);
    const [start, end] = module.codeBodies;
    // The body: no locals (0x00), the instruction, the marker, end.
    const at = start! + 1;
    const markerUse = use(marker.use[0], 0, end! - 1 - marker.bytes.length, markerText);
    const result = scanFeatures(module);
    assert.equal(result.unknownInstruction, null, name);
    if (STRUCTURED[name]) {
      const found = result.features.find((u) => u.feature === markerUse.feature);
      assert.deepEqual(found, markerUse, name);
    } else {
      const uses = [markerUse, ...features.map((f) => use(f, 0, at, name))];
      assert.deepEqual(sorted(result.features), sorted(uses), name);
    }
    written.add(name);
  });
  return written;
}

/** Instructions of the proposals wabt cannot write, and every kind of immediate. */
const HAND_BUILT: Case[] = [
  instr("call_ref", ["function-references"], [0x14, 0x00]),
  instr("return_call_ref", ["tail-call", "function-references"], [0x15, 0x00]),
  instr("ref.eq", ["gc"], [0xd3]),
  instr("ref.as_non_null", ["function-references"], [0xd4]),
  instr("br_on_null", ["function-references"], [0xd5, 0x00]),
  instr("br_on_non_null", ["function-references"], [0xd6, 0x01]),
  instr("catch", ["legacy-exceptions"], [0x07, 0x00]),
  instr("catch_all", ["legacy-exceptions"], [0x19]),
  instr("delegate", ["legacy-exceptions"], [0x18, 0x00]),
  // try_table (catch 0 0) (catch_ref 1 0) (catch_all 1) (catch_all_ref 2)
  instr("try_table", ["exceptions"], [0x1f, 0x40, 0x04, 0, 0, 0, 1, 1, 0, 2, 1, 3, 2]),
  instr("cont.new", ["stack-switching"], [0xe0, 0x01]),
  instr("cont.bind", ["stack-switching"], [0xe1, 0x01, 0x02]),
  instr("suspend", ["stack-switching"], [0xe2, 0x00]),
  // resume 1 (on 0 $label 2) (on 1 switch)
  instr("resume", ["stack-switching"], [0xe3, 0x01, 0x02, 0x00, 0x00, 0x02, 0x01, 0x01]),
  instr("resume_throw", ["stack-switching"], [0xe4, 0x01, 0x00, 0x01, 0x01, 0x00]),
  instr("resume_throw_ref", ["stack-switching"], [0xe5, 0x01, 0x00]),
  instr("switch", ["stack-switching"], [0xe6, 0x01, 0x00]),
  instr("memory.discard", ["memory-control"], [0xfc, 0x12, 0x00]),
  instr("i64.add128", ["wide-arithmetic"], [0xfc, 0x13]),
  instr("i64.sub128", ["wide-arithmetic"], [0xfc, 0x14]),
  instr("i64.mul_wide_s", ["wide-arithmetic"], [0xfc, 0x15]),
  instr("i64.mul_wide_u", ["wide-arithmetic"], [0xfc, 0x16]),
  ...gcCases(),
  ...sharedEverythingCases(),
  // Relaxed SIMD sub-opcodes take two LEB128 bytes.
  instr("i8x16.relaxed_swizzle", ["relaxed-simd"], [0xfd, 0x80, 0x02]),
  instr("i32x4.relaxed_dot_i8x16_i7x16_add_s", ["relaxed-simd"], [0xfd, 0x93, 0x02]),
  // An overlong but valid sub-opcode encoding.
  instr("i32.trunc_sat_f32_u", ["saturating-float-to-int"], [0xfc, 0x81, 0x00]),
];

/** 0xfb: GC and custom descriptors, with immediates from the proposals. */
function gcCases(): Case[] {
  const gc = (sub: number, name: string, immediates: Bytes = []): Case =>
    instr(name, ["gc"], [0xfb, sub, ...immediates]);
  const desc = (sub: number, name: string, immediates: Bytes): Case =>
    instr(name, ["custom-descriptors"], [0xfb, sub, ...immediates]);
  return [
    gc(0x00, "struct.new", [1]),
    gc(0x01, "struct.new_default", [1]),
    gc(0x02, "struct.get", [1, 2]),
    gc(0x03, "struct.get_s", [1, 2]),
    gc(0x04, "struct.get_u", [1, 2]),
    gc(0x05, "struct.set", [1, 2]),
    gc(0x06, "array.new", [1]),
    gc(0x07, "array.new_default", [1]),
    gc(0x08, "array.new_fixed", [1, 0x80, 0x01]),
    gc(0x09, "array.new_data", [1, 2]),
    gc(0x0a, "array.new_elem", [1, 2]),
    gc(0x0b, "array.get", [1]),
    gc(0x0c, "array.get_s", [1]),
    gc(0x0d, "array.get_u", [1]),
    gc(0x0e, "array.set", [1]),
    gc(0x0f, "array.len"),
    gc(0x10, "array.fill", [1]),
    gc(0x11, "array.copy", [1, 2]),
    gc(0x12, "array.init_data", [1, 2]),
    gc(0x13, "array.init_elem", [1, 2]),
    gc(0x14, "ref.test", [0x6e]),
    gc(0x15, "ref.test", [0x81, 0x01]), // type index 129
    gc(0x16, "ref.cast", [0x6b]),
    gc(0x17, "ref.cast", [0x00]),
    gc(0x18, "br_on_cast", [0x03, 0x00, 0x6e, 0x6c]),
    gc(0x19, "br_on_cast_fail", [0x01, 0x02, 0x6e, 0x05]),
    gc(0x1a, "any.convert_extern"),
    gc(0x1b, "extern.convert_any"),
    gc(0x1c, "ref.i31"),
    gc(0x1d, "i31.get_s"),
    gc(0x1e, "i31.get_u"),
    desc(0x20, "struct.new_desc", [1]),
    desc(0x21, "struct.new_default_desc", [1]),
    desc(0x22, "ref.get_desc", [1]),
    desc(0x23, "ref.cast_desc_eq", [1]),
    desc(0x24, "ref.cast_desc_eq", [1]),
    desc(0x25, "br_on_cast_desc_eq", [0x00, 0x00, 0x01, 0x02]),
    desc(0x26, "br_on_cast_desc_eq_fail", [0x03, 0x00, 0x01, 0x02]),
  ];
}

/** 0xfe 0x4f-0x72: an ordering, then the indices. */
function sharedEverythingCases(): Case[] {
  const rmw = ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"];
  const names = [
    "global.atomic.get",
    "global.atomic.set",
    ...rmw.map((o) => `global.atomic.rmw.${o}`),
    ...["get", "set", "rmw.xchg", "rmw.cmpxchg"].map((o) => `table.atomic.${o}`),
    ...["get", "get_s", "get_u", "set"].map((o) => `struct.atomic.${o}`),
    ...rmw.map((o) => `struct.atomic.rmw.${o}`),
    ...["get", "get_s", "get_u", "set"].map((o) => `array.atomic.${o}`),
    ...rmw.map((o) => `array.atomic.rmw.${o}`),
  ];
  const cases = names.map((name, i) => {
    // Struct accesses name a field as well as the type.
    const immediates = name.startsWith("struct.") ? [0x01, 0x02, 0x03] : [0x01, 0x02];
    return instr(name, ["shared-everything-threads"], [0xfe, 0x4f + i, ...immediates]);
  });
  return [...cases, instr("ref.i31_shared", ["shared-everything-threads"], [0xfe, 0x72])];
}

/** Features that come from an instruction's immediates rather than its opcode. */
const FROM_IMMEDIATES: Case[] = [
  { bytes: [0x02, 0x00], uses: [["multi-value", "block (type 0)"]] },
  { bytes: [0x03, 0xc8, 0x01], uses: [["multi-value", "loop (type 200)"]] },
  { bytes: [0x04, 0x7b], uses: [["simd", "if (result v128)"]] },
  { bytes: [0x02, 0x6f], uses: [["reference-types", "block (result externref)"]] },
  {
    bytes: [0x02, 0x64, 0x00],
    uses: [
      ["reference-types", "block (result (ref 0))"],
      ["function-references", "block (result (ref 0))"],
    ],
  },
  {
    bytes: [0x02, 0x6e],
    uses: [
      ["reference-types", "block (result anyref)"],
      ["gc", "block (result anyref)"],
    ],
  },
  {
    bytes: [0x02, 0x63, 0x69],
    uses: [
      ["reference-types", "block (result (ref null exn))"],
      ["exceptions", "block (result (ref null exn))"],
    ],
  },
  {
    bytes: [0x06, 0x7b],
    uses: [
      ["legacy-exceptions", "try"],
      ["simd", "try (result v128)"],
    ],
  },
  {
    bytes: [0x1c, 0x01, 0x7b],
    uses: [
      ["reference-types", "select"],
      ["simd", "select (result v128)"],
    ],
  },
  {
    bytes: [0xd0, 0x71],
    uses: [
      ["reference-types", "ref.null"],
      ["gc", "ref.null none"],
    ],
  },
  {
    bytes: [0xd0, 0x65, 0x6e],
    uses: [
      ["reference-types", "ref.null"],
      ["gc", "ref.null (shared any)"],
      ["shared-everything-threads", "ref.null (shared any)"],
    ],
  },
  {
    // GC implies typed references: only the exact type adds a proposal.
    bytes: [0xfb, 0x14, 0x62, 0x00],
    uses: [
      ["gc", "ref.test"],
      ["custom-descriptors", "ref.test (exact 0)"],
    ],
  },
  { bytes: [0x28, 0x42, 0x01, 0x00], uses: [["multi-memory", "i32.load (memory 1)"]] },
  // Bit 6 alone already needs multi-memory: without it the memarg cannot be read.
  { bytes: [0x36, 0x40, 0x00, 0x00], uses: [["multi-memory", "i32.store (memory 0)"]] },
  { bytes: [0x40, 0x02], uses: [["multi-memory", "memory.grow (memory 2)"]] },
  {
    bytes: [0x3f, 0x80, 0x00],
    uses: [["multi-memory", "memory.size (memory 0 as a 2-byte LEB128)"]],
  },
  {
    bytes: [0xfc, 0x0a, 0x00, 0x01],
    uses: [
      ["bulk-memory", "memory.copy"],
      ["multi-memory", "memory.copy (memory 1)"],
    ],
  },
  {
    bytes: [0xfc, 0x08, 0x05, 0x03],
    uses: [
      ["bulk-memory", "memory.init"],
      ["multi-memory", "memory.init (memory 3)"],
    ],
  },
  {
    bytes: [0xfd, 0x00, 0x44, 0x01, 0x10],
    uses: [
      ["simd", "v128.load"],
      ["multi-memory", "v128.load (memory 1)"],
    ],
  },
  {
    bytes: [0xfd, 0x54, 0x40, 0x02, 0x00, 0x0f],
    uses: [
      ["simd", "v128.load8_lane"],
      ["multi-memory", "v128.load8_lane (memory 2)"],
    ],
  },
  {
    bytes: [0xfe, 0x10, 0x42, 0x01, 0x00],
    uses: [
      ["threads", "i32.atomic.load"],
      ["multi-memory", "i32.atomic.load (memory 1)"],
    ],
  },
  { bytes: [0x11, 0x00, 0x01], uses: [["reference-types", "call_indirect (table 1)"]] },
  {
    // LLVM pads relocatable table indices to five bytes; only reference types allow it.
    bytes: [0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00],
    uses: [["reference-types", "call_indirect (table 0 as a 5-byte LEB128)"]],
  },
  {
    bytes: [0x13, 0x00, 0x03],
    uses: [
      ["tail-call", "return_call_indirect"],
      ["reference-types", "return_call_indirect (table 3)"],
    ],
  },
  {
    bytes: [0xfc, 0x0e, 0x00, 0x02],
    uses: [
      ["bulk-memory", "table.copy"],
      ["reference-types", "table.copy (table 2)"],
    ],
  },
];

describe("instructions", () => {
  test("every instruction wabt can write, by its text-format name, and the rest by hand: named, its proposal, its immediates skipped exactly", async () => {
    const written = await checkWabtWrittenInstructions();
    for (const c of HAND_BUILT) checkCase(c);
    const handBuilt = new Set(HAND_BUILT.flatMap((c) => c.uses.map(([, what]) => what)));
    const uncovered = [...new Set(NAMES)].filter(
      (name) => name && !written.has(name) && !handBuilt.has(name),
    );
    assert.deepEqual(uncovered, []);
    assert.ok(written.size > 350, `only ${written.size} instructions written by wabt`);
  });

  test("features from immediates: block and select types, heap types, memory and table indices", () => {
    for (const c of FROM_IMMEDIATES) checkCase(c);
  });

  test("the noise alone uses nothing", () => {
    assert.deepEqual(scan(build([{ code: NOISE }]).bytes), {
      features: [],
      unknownInstruction: null,
    });
  });

  test("immediates that look like opcodes are skipped", () => {
    const v128 = [0xfd, 0x0c, ...Array(16).fill(0x06)]; // v128.const of try bytes
    const shuffle = [0xfd, 0x0d, 0x06, 0xfb, 0xfc, 0xfd, 0xfe, 0x1f, ...Array(10).fill(0x06)];
    // br_table with 300 targets: the count takes two bytes, every target is 0x06.
    const brTable = [0x0e, 0xac, 0x02, ...Array(300).fill(0x06), 0x19];
    const memarg = [0x28, 0x40, 0x06, 0x06]; // i32.load on memory 6, offset 6
    const f64 = [0x44, 0xfd, 0xfd, 0xfd, 0xfd, 0x06, 0x06, 0x06, 0x06];
    const code = concat(v128, shuffle, brTable, memarg, f64, [0xc0]);
    const built = build([{ code }]);
    const at = built.codeAt[0]!;
    assert.deepEqual(
      sorted(scan(built.bytes).features),
      sorted([
        use("simd", 2, at, "v128.const"),
        use(
          "multi-memory",
          2,
          at + v128.length + shuffle.length + brTable.length,
          "i32.load (memory 6)",
        ),
        use("sign-extension", 2, at + code.length - 1, "i32.extend8_s"),
      ]),
    );
  });

  test("the first use is the lowest offset: functions in file order, imported functions counted", () => {
    const built = build([
      { code: NOISE },
      { code: concat(NOISE, [0xfd, 0x0f, 0xc1]) }, // i8x16.splat, i32.extend16_s
      { code: [0xfd, 0x0f, 0x06, 0x40, 0xc0, 0x0b] }, // i8x16.splat, try, i32.extend8_s
    ]);
    const [, second, third] = built.codeAt;
    assert.deepEqual(scan(built.bytes).features, [
      use("simd", 3, second! + NOISE.length, "i8x16.splat"),
      use("sign-extension", 3, second! + NOISE.length + 2, "i32.extend16_s"),
      use("legacy-exceptions", 4, third! + 2, "try"),
    ]);
  });

  test("local declarations: v128 and reference types", () => {
    const cases: [Bytes, number, [WasmFeature, string][]][] = [
      // 2 i32, 1 v128: the v128 byte is the fifth
      [[0x02, 0x02, 0x7f, 0x01, 0x7b], 4, [["simd", "v128 local"]]],
      [[0x01, 0x03, 0x6f], 2, [["reference-types", "externref local"]]],
      [
        [0x01, 0x01, 0x63, 0x00],
        2,
        [
          ["reference-types", "(ref null 0) local"],
          ["function-references", "(ref null 0) local"],
        ],
      ],
      [
        [0x01, 0x01, 0x64, 0x70],
        2,
        [
          ["reference-types", "(ref func) local"],
          ["function-references", "(ref func) local"],
        ],
      ],
      [
        [0x01, 0x01, 0x69],
        2,
        [
          ["reference-types", "exnref local"],
          ["exceptions", "exnref local"],
        ],
      ],
    ];
    for (const [locals, typeAt, uses] of cases) {
      const built = build([{ code: [] }, { locals, code: NOISE }]);
      const at = built.localsAt[1]! + typeAt;
      assert.deepEqual(
        sorted(scan(built.bytes).features),
        sorted(uses.map(([feature, what]) => use(feature, 3, at, what))),
      );
    }
  });
});

// --- outside code --------------------------------------------------------------------

describe("outside code", () => {
  test("memories: memory64, shared, custom page sizes, a second memory counting imports", () => {
    const memories = (...types: MemoryTypeOptions[]) =>
      items(SECTION.memory, types.map(memoryType));
    const single = (options: MemoryTypeOptions, feature: WasmFeature, what: string): void => {
      const memory = memories(options);
      const { bytes, offsets } = layout(memory.bytes);
      assert.deepEqual(scan(bytes).features, [
        use(feature, null, memory.at(offsets[0]!)[0]!, what),
      ]);
    };
    single({ min: 1, memory64: true }, "memory64", "memory 0 is memory64");
    single({ min: 1, max: 2, shared: true }, "threads", "memory 0 is shared");
    single({ min: 1, pageSizeLog2: 0 }, "custom-page-sizes", "memory 0 has 1-byte pages");

    const imported = items(SECTION.import, [
      importEntry("env", "memory", importDesc.memory({ min: 1 })),
    ]);
    const defined = memories({ min: 1 });
    const { bytes, offsets } = layout(imported.bytes, defined.bytes);
    assert.deepEqual(scan(bytes).features, [
      use("multi-memory", null, defined.at(offsets[1]!)[0]!, "memory 1 (a second memory)"),
    ]);
  });

  test("tables: table64, reference element types, a second table, an initialiser", () => {
    const tables = items(SECTION.table, [
      [0x70, 0x00, 0x01], // funcref: the MVP's
      [0x6f, 0x04, 0x01], // externref, table64
      [0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xd2, 0x00, 0x0b], // (ref func) with ref.func 0
    ]);
    const { bytes, offsets } = layout(
      typeSection(funcType()),
      functionSection(0),
      tables.bytes,
      section(SECTION.code, vec([[0x02, 0x00, 0x0b]])),
    );
    const [, second, third] = tables.at(offsets[2]!);
    assert.deepEqual(
      sorted(scan(bytes).features),
      sorted([
        use("memory64", null, second!, "table 1 is table64"),
        use("reference-types", null, second!, "table 1 (a second table)"),
        use("function-references", null, third!, "table 2 with an initialiser"),
      ]),
    );
  });

  test("types: GC types, rec groups, sub types, continuations, multiple results, value types", () => {
    const types = [
      [0x60, 0x01, 0x7b, 0x02, 0x7f, 0x7f], // (func (param v128) (result i32 i32))
      [0x4f, 0x00, 0x60, 0x00, 0x00], // (sub final (func)): a plain type
      [0x60, 0x01, 0x63, 0x00, 0x01, 0x69], // (func (param (ref null 0)) (result exnref))
      [0x4e, 0x01, 0x5f, 0x02, 0x78, 0x00, 0x7b, 0x01], // (rec (struct i8 (mut v128)))
      [0x50, 0x00, 0x5e, 0x7f, 0x01], // (sub (array (mut i32)))
      [0x5d, 0x00], // (cont 0)
    ];
    const typeItems = items(SECTION.type, types);
    const { bytes, offsets } = layout(typeItems.bytes);
    const at = typeItems.at(offsets[0]!);
    assert.deepEqual(
      sorted(scan(bytes).features),
      sorted([
        use("multi-value", null, at[0]!, "type 0 has 2 results"),
        use("simd", null, at[0]! + 2, "v128 parameter in type 0"),
        use("reference-types", null, at[2]! + 2, "(ref null 0) parameter in type 2"),
        use("function-references", null, at[2]! + 2, "(ref null 0) parameter in type 2"),
        use("exceptions", null, at[2]! + 5, "exnref result in type 2"),
        use("gc", null, at[3]!, "rec group at type 3"),
        use("stack-switching", null, at[5]!, "cont type 5"),
      ]),
    );
  });

  test("tags, imported and defined", () => {
    const imports = items(SECTION.import, [importEntry("env", "e", importDesc.tag(0))]);
    const { bytes, offsets } = layout(typeSection(funcType()), imports.bytes);
    assert.deepEqual(scan(bytes).features, [
      use("exceptions", null, imports.at(offsets[1]!)[0]!, "imported tag 0"),
    ]);
    const tags = items(SECTION.tag, [[0x00, 0x00]]);
    const defined = layout(typeSection(funcType()), tags.bytes);
    assert.deepEqual(scan(defined.bytes).features, [
      use("exceptions", null, tags.at(defined.offsets[1]!)[0]!, "tag 0"),
    ]);
  });

  test("globals: mutable imports and exports, value types, constant expressions", () => {
    const imports = items(SECTION.import, [
      importEntry("env", "g", importDesc.global(VALTYPE.i32, true)),
      importEntry("env", "v", [0x03, 0x7b, 0x00]), // an immutable v128
    ]);
    const globals = [
      concat([0x7f, 0x00], constExpr(op.i32Const(1), op.i32Const(2), op.i32Add)),
      concat([0x7f, 0x01], constExpr(op.globalGet(0))), // mutable, an imported global
      concat([0x6f, 0x00], constExpr([0xd0, 0x72])), // externref: ref.null noextern
      concat([0x7f, 0x00], constExpr(op.globalGet(2))), // a defined global
    ];
    const globalItems = items(SECTION.global, globals);
    const exports = items(SECTION.export, [
      concat([0x01, 0x6d], [EXPORT_KIND.global], u32(3)), // "m": the mutable global 3
    ]);
    const { bytes, offsets } = layout(imports.bytes, globalItems.bytes, exports.bytes);
    const [mutableImport, v128Import] = imports.at(offsets[0]!);
    const g = globalItems.at(offsets[1]!);
    // An import's type follows the names ("env", one letter) and the kind byte.
    const v128TypeAt = v128Import! + 4 + 2 + 1;
    assert.deepEqual(
      sorted(scan(bytes).features),
      sorted([
        use("mutable-globals", null, mutableImport!, "imported mutable global 0"),
        use("simd", null, v128TypeAt, "v128 global 1"),
        use("extended-const", null, g[0]! + 2, "i32.add in global 2 initialiser"),
        use("reference-types", null, g[2]!, "externref global 4"),
        use("gc", null, g[2]! + 2, "ref.null noextern in global 4 initialiser"),
      ]),
    );
    // The exported global is mutable, but mutable-globals was already used.
    const exportOnly = items(SECTION.export, [concat([0x01, 0x6d], [EXPORT_KIND.global], [0])]);
    const mutable = items(SECTION.global, [concat([0x7f, 0x01], constExpr(op.i32Const(0)))]);
    const second = layout(mutable.bytes, exportOnly.bytes);
    assert.deepEqual(scan(second.bytes).features, [
      use(
        "mutable-globals",
        null,
        exportOnly.at(second.offsets[1]!)[0]!,
        "exported mutable global 0",
      ),
    ]);
    const local = items(SECTION.global, [
      concat([0x7f, 0x00], constExpr(op.i32Const(7))),
      concat([0x7f, 0x00], constExpr(op.globalGet(0))),
    ]);
    const third = layout(local.bytes);
    assert.deepEqual(scan(third.bytes).features, [
      use(
        "gc",
        null,
        local.at(third.offsets[0]!)[1]! + 2,
        "global.get 0 (a defined global) in global 1 initialiser",
      ),
    ]);
    // Ill-typed (an i32 global), but the scan looks at instructions, not types.
    const i31 = items(SECTION.global, [
      concat([0x7f, 0x00], constExpr(op.i32Const(7), [0xfb, 0x1c])),
    ]);
    const fourth = layout(i31.bytes);
    assert.deepEqual(scan(fourth.bytes).features, [
      use("gc", null, i31.at(fourth.offsets[0]!)[0]! + 2, "ref.i31 in global 0 initialiser"),
    ]);
  });

  test("element segments: passive, declarative, another table, expressions", () => {
    const segments = [
      [0x00, ...constExpr(op.i32Const(0)), 0x01, 0x00], // active, function 0: the MVP's
      [0x01, 0x00, 0x01, 0x00], // passive
      [0x02, 0x01, ...constExpr(op.i32Const(0)), 0x00, 0x00], // on table 1, no items
      [0x04, ...constExpr(op.i32Const(0)), 0x01, 0xd2, 0x00, 0x0b], // expressions: ref.func 0
      [0x07, 0x6f, 0x01, 0xd0, 0x6f, 0x0b], // declarative externref: ref.null extern
    ];
    const elements = items(SECTION.element, segments);
    const { bytes, offsets } = layout(
      typeSection(funcType()),
      functionSection(0),
      section(
        SECTION.table,
        vec([
          [0x70, 0x00, 0x01],
          [0x70, 0x00, 0x01],
        ]),
      ),
      elements.bytes,
      section(SECTION.code, vec([[0x02, 0x00, 0x0b]])),
    );
    const e = elements.at(offsets[3]!);
    assert.deepEqual(
      sorted(scan(bytes).features),
      sorted([
        // The second table comes first.
        use("reference-types", null, offsets[2]! + 2 + 1 + 3, "table 1 (a second table)"),
        use("bulk-memory", null, e[1]!, "passive element segment 1"),
      ]),
    );
    // Without the second table, the segment on table 1 is the first reference-types use.
    const alone = items(SECTION.element, segments.slice(2));
    const second = layout(
      typeSection(funcType()),
      functionSection(0),
      section(SECTION.table, vec([[0x70, 0x00, 0x01]])),
      alone.bytes,
      section(SECTION.code, vec([[0x02, 0x00, 0x0b]])),
    );
    const a = alone.at(second.offsets[3]!);
    assert.deepEqual(
      sorted(scan(second.bytes).features),
      sorted([
        use("bulk-memory", null, a[0]!, "element segment 0 with an explicit table index"),
        use("reference-types", null, a[0]!, "element segment 0 on table 1"),
      ]),
    );
    const exprs = items(SECTION.element, segments.slice(3));
    const third = layout(
      typeSection(funcType()),
      functionSection(0),
      section(SECTION.table, vec([[0x70, 0x00, 0x01]])),
      exprs.bytes,
      section(SECTION.code, vec([[0x02, 0x00, 0x0b]])),
    );
    const x = exprs.at(third.offsets[3]!);
    assert.deepEqual(
      sorted(scan(third.bytes).features),
      sorted([
        use("reference-types", null, x[0]!, "element segment 0 of expressions"),
        use("bulk-memory", null, x[1]!, "declarative element segment 1"),
      ]),
    );
  });

  test("data: the data count section, passive segments, explicit memory indices, offsets", () => {
    const segments = [
      [0x00, ...constExpr(op.i32Const(0)), 0x00], // active on memory 0: the MVP's
      [0x02, 0x00, ...constExpr(op.i32Const(1), op.i32Const(2), op.i32Mul), 0x00],
      [0x01, 0x00], // passive
    ];
    const data = items(SECTION.data, segments);
    const count = dataCountSection(3);
    const { bytes, offsets } = layout(
      section(SECTION.memory, vec([memoryType({ min: 1 })])),
      count,
      data.bytes,
    );
    const d = data.at(offsets[2]!);
    assert.deepEqual(scan(bytes).features, [
      use("bulk-memory", null, offsets[1]!, "data count section"),
      use("extended-const", null, d[1]! + 2, "i32.mul in data segment 1 offset"),
    ]);
    const noCount = items(SECTION.data, segments.slice(1));
    const second = layout(section(SECTION.memory, vec([memoryType({ min: 1 })])), noCount.bytes);
    const n = noCount.at(second.offsets[1]!);
    assert.deepEqual(scan(second.bytes).features, [
      use("bulk-memory", null, n[0]!, "data segment 0 with an explicit memory index"),
      use("extended-const", null, n[0]! + 2, "i32.mul in data segment 0 offset"),
    ]);
  });

  test("uses come in file order across sections: memory, code, then data", () => {
    const memory = items(SECTION.memory, [memoryType({ min: 1, memory64: true })]);
    const built = build([{ code: [0xfd, 0x0f] }], [memory.bytes]);
    // A data section after the code: id, size and count come before the segment.
    const withData = concat([...built.bytes], section(SECTION.data, vec([[0x01, 0x00]])));
    assert.deepEqual(scan(new Uint8Array(withData)).features, [
      use("memory64", null, memory.at(built.beforeAt[0]!)[0]!, "memory 0 is memory64"),
      use("simd", 2, built.codeAt[0]!, "i8x16.splat"),
      use("bulk-memory", null, built.bytes.length + 3, "passive data segment 0"),
    ]);
  });
});

// --- unknown and truncated instructions ----------------------------------------------

describe("unknown and truncated instructions", () => {
  test("an unknown opcode ends its body's scan; the next body is scanned", () => {
    const unknowns: [Bytes, string][] = [
      [[0x17], "0x17"],
      [[0xff], "0xff"],
      [[0xfc, 0x1f], "0xfc 0x1f"],
      [[0xfb, 0x1f], "0xfb 0x1f"],
      [[0xfe, 0x04], "0xfe 0x04"],
      [[0xfd, 0x94, 0x02], "0xfd 0x94 0x02"], // 0x114, past relaxed SIMD
      [[0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "0xfc 0x80 0x80 0x80 0x80 0x80"], // too long
      [[0x1f, 0x40, 0x01, 0x04, 0x00], "0x1f"], // try_table: catch kind 4
      [[0xfe, 0x03, 0x01], "0xfe 0x03"], // atomic.fence: the reserved byte is not 0
      [[0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6c], "0xfb 0x18"], // br_on_cast: flags 4
      [[0xe3, 0x00, 0x01, 0x02, 0x00], "0xe3"], // resume: handler kind 2
      [[0x1c, 0x01, 0x40], "0x1c"], // select: 0x40 is no value type
      [[0x02, 0x62, 0x00], "0x02"], // block: an exact type is no block type
      [[0xd0, 0x41], "0xd0"], // ref.null: 0x41 is no abstract heap type
    ];
    for (const [bytes, opcode] of unknowns) {
      const built = build([
        { code: concat([0xc0], bytes, [0xfd, 0x0f]) }, // sign extension, then SIMD after it
        { code: [0xfc, 0x00] },
        { code: bytes },
      ]);
      const [first, second] = built.codeAt;
      assert.deepEqual(
        scan(built.bytes),
        {
          features: [
            use("sign-extension", 2, first!, "i32.extend8_s"),
            use("saturating-float-to-int", 3, second!, "i32.trunc_sat_f32_s"),
          ],
          unknownInstruction: { function: 2, offset: first! + 1, opcode },
        },
        opcode,
      );
    }
  });

  test("an immediate running past the body end is reported, not thrown", () => {
    const truncated: [Bytes, string][] = [
      [[0xfd, 0x0c, 1, 2, 3], "0xfd 0x0c"], // v128.const with 3 of its 16 bytes
      [[0xfd, 0x0d, 1, 2, 3, 4, 5, 6, 7], "0xfd 0x0d"],
      [[0x44, 1, 2, 3], "0x44"],
      [[0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00], "0x0e"], // br_table of 2^32 - 1 targets
      [[0x1c, 0xff, 0xff, 0x03, 0x7f], "0x1c"], // select with 65535 types
      [[0xe3, 0x00, 0x80, 0x80, 0x04, 0x00], "0xe3"], // resume with 65536 handlers
    ];
    for (const [bytes, opcode] of truncated) {
      // Each immediate needs more bytes than the body has left.
      const built = build([{ code: bytes }]);
      const result = scan(built.bytes);
      assert.deepEqual(
        result,
        { features: [], unknownInstruction: { function: 2, offset: built.codeAt[0]!, opcode } },
        opcode,
      );
    }
  });
});

// --- hostile bodies ------------------------------------------------------------------

/** The scan's contract, whatever the bytes. */
function checkContract(module: WasmModule, result: FeatureScan, label: string): void {
  const offsets = result.features.map((u) => u.offset);
  assert.deepEqual(
    offsets,
    [...offsets].sort((a, b) => a - b),
    label,
  );
  assert.equal(new Set(result.features.map((u) => u.feature)).size, offsets.length, label);
  for (const u of result.features) {
    assert.ok(u.offset >= 0 && u.offset < module.bytes.length, label);
    assert.ok(u.what.length > 0, label);
  }
  const unknown = result.unknownInstruction;
  if (unknown) {
    const body = unknown.function - module.importedFunctionCount;
    assert.ok(unknown.offset >= module.codeBodies[2 * body]!, label);
    assert.ok(unknown.offset < module.codeBodies[2 * body + 1]!, label);
    assert.match(unknown.opcode, /^0x[0-9a-f]{2}( 0x[0-9a-f]{2})*$/, label);
  }
}

describe("hostile bodies", () => {
  // Every instruction of the tests above, in one body, with v128 and externref locals.
  const everything = concat(
    ...HAND_BUILT.map((c) => c.bytes),
    ...FROM_IMMEDIATES.map((c) => c.bytes),
    NOISE,
  );
  const template = readModule(
    build([{ locals: [0x02, 0x01, 0x7b, 0x01, 0x6f], code: everything }, { code: NOISE }]).bytes,
  );

  test("thousands of mutated bodies: a clean result every time, quickly", () => {
    const next = seededRandom(0x5eed);
    const [start, end] = template.codeBodies;
    const started = performance.now();
    for (let round = 0; round < 5000; round++) {
      const bytes = new Uint8Array(template.bytes);
      const mutations = 1 + Math.floor(next() * 8);
      for (let m = 0; m < mutations; m++) {
        const at = start! + Math.floor(next() * (end! - start!));
        bytes[at] = next() < 0.5 ? Math.floor(next() * 256) : bytes[at]! ^ (1 << (round % 8));
      }
      const module = { ...template, bytes };
      checkContract(module, scanFeatures(module), `round ${round}`);
    }
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10_000, `5000 mutated modules took ${elapsed.toFixed(0)} ms`);
  });

  test("random bytes, and endless LEB128 continuations, for whole bodies", () => {
    const next = seededRandom(42);
    const [start, end] = template.codeBodies;
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(template.bytes);
      for (let p = start!; p < end!; p++) bytes[p] = Math.floor(next() * 256);
      const module = { ...template, bytes };
      checkContract(module, scanFeatures(module), `random round ${round}`);
    }
    for (const fill of [0x80, 0xff, 0x0e, 0x1c, 0xfd]) {
      const bytes = new Uint8Array(template.bytes).fill(fill, start, end);
      const module = { ...template, bytes };
      checkContract(module, scanFeatures(module), `filled with 0x${fill.toString(16)}`);
    }
  });
});

// --- the spec suite and real modules -------------------------------------------------

/** The wabt feature flag of each proposal wabt 1.0.39 knows. */
const WABT_FLAG: Partial<Record<WasmFeature, keyof typeof WABT_FEATURES>> = {
  "sign-extension": "sign_extension",
  "saturating-float-to-int": "sat_float_to_int",
  "multi-value": "multi_value",
  "mutable-globals": "mutable_globals",
  "bulk-memory": "bulk_memory",
  "reference-types": "reference_types",
  simd: "simd",
  "relaxed-simd": "relaxed_simd",
  threads: "threads",
  exceptions: "exceptions",
  "legacy-exceptions": "exceptions",
  "tail-call": "tail_call",
  "function-references": "function_references",
  gc: "gc",
  "multi-memory": "multi_memory",
  memory64: "memory64",
  "extended-const": "extended_const",
};

/** wabt's reader and validator, with only the proposals the scan found enabled, must
 *  accept the module: a proposal the scan missed would make wabt refuse it. */
async function wabtAccepts(bytes: Uint8Array, result: FeatureScan): Promise<string | null> {
  const reader = await wabt();
  const flags = Object.fromEntries(Object.keys(WABT_FEATURES).map((flag) => [flag, false]));
  for (const { feature } of result.features) {
    const flag = WABT_FLAG[feature];
    if (!flag) return `wabt does not know ${feature}`;
    flags[flag] = true;
  }
  // wabt switches reference types off unless bulk memory is on.
  if (flags.reference_types) flags.bulk_memory = true;
  try {
    const module = reader.readWasm(bytes, { check: true, ...flags });
    try {
      // wabt.js's validate takes the features too (its typings omit the argument).
      (module as unknown as { validate(features: object): void }).validate(flags);
    } finally {
      module.destroy();
    }
    return null;
  } catch (error) {
    return String(error).split("\n")[0]!;
  }
}

describe("the spec suite and real modules", () => {
  test("every spec module is scanned to its end, and wabt needs no proposal the scan missed", async (t) => {
    const modules = specCommands((c) => c.type === "module" && isBinaryModule(c));
    const failures: string[] = [];
    for (const command of modules) {
      const bytes = readSpecModule(command);
      const result = scanFeatures(readModule(bytes));
      if (result.unknownInstruction)
        failures.push(`${where(command)}: ${JSON.stringify(result.unknownInstruction)}`);
      const refusal = await wabtAccepts(bytes, result);
      if (refusal) failures.push(`${where(command)}: ${refusal}`);
    }
    t.diagnostic(`${modules.length} spec modules`);
    assert.ok(modules.length >= 400);
    assert.deepEqual(failures, []);
  });

  const real = async (m: RealModule): Promise<{ bytes: Uint8Array; result: FeatureScan }> => {
    const bytes = await fetchRealModule(m);
    return { bytes, result: scanFeatures(readModule(bytes)) };
  };

  for (const m of [...REAL_MODULES, ...FEATURE_MODULES]) {
    test(`${m.label}: scanned to the end, and wabt needs no proposal the scan missed`, async () => {
      const { bytes, result } = await real(m);
      assert.equal(result.unknownInstruction, null);
      assert.equal(await wabtAccepts(bytes, result), null);
    });
  }

  const feature = (result: FeatureScan, name: WasmFeature): FeatureUse | undefined =>
    result.features.find((u) => u.feature === name);

  test("pyodide: the first legacy try where Wasmtime reports it", async () => {
    // Wasmtime 49: "legacy_exceptions feature required for try instruction
    // (at offset 5949879)", "function[15051]".
    const { result } = await real(FEATURE_MODULES[0]!);
    assert.deepEqual(
      feature(result, "legacy-exceptions"),
      use("legacy-exceptions", 15051, 5949879, "try"),
    );
  });

  test("php-wasm JSPI: the first legacy try where Wasmtime reports it", async () => {
    const { result } = await real(FEATURE_MODULES[1]!);
    assert.deepEqual(
      feature(result, "legacy-exceptions"),
      use("legacy-exceptions", 295, 361509, "try"),
    );
  });

  test("onnxruntime-web JSPI: exnref at the offset V8 names, and no GC", async () => {
    // Node 20's V8 decodes 0x69 with the GC proposal's old numbering: "invalid value type
    // 'noexternref', enable with --experimental-wasm-gc @+82". In the final encoding
    // 0x69 is exn: the module uses exception handling's exnref, not GC.
    const { result } = await real(FEATURE_MODULES[2]!);
    assert.equal(feature(result, "exceptions")?.offset, 82);
    assert.equal(feature(result, "gc"), undefined);
    assert.equal(feature(result, "legacy-exceptions"), undefined);
    assert.ok(feature(result, "simd") && feature(result, "threads"));
  });
});
