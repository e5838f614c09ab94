// A structure-aware mutator of wasm binaries for the fuzz suite: a module is split into
// its sections, and fast-check draws a few mutations to apply, some blind (truncation, bit
// flips), most aimed where the reader and the planner make decisions (section sizes and
// order, LEB128 encodings, memory limits and flags, data segment offsets and lengths,
// custom section names). Parameters are drawn as plain numbers and taken modulo what the
// chosen module offers, so every draw applies to every seed and shrinks well.

import fc from "fast-check";
import { concat, sleb, uleb } from "./binary-builder";

type Part = Uint8Array | readonly number[];

/** Concatenates byte arrays without going through number arrays (seeds reach 688 KB). */
function join(...parts: Part[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const PREAMBLE = 8;
const SECTION = { custom: 0, memory: 5, data: 11 } as const;

interface SplitModule {
  head: Uint8Array;
  sections: { id: number; payload: Uint8Array }[];
  /** Bytes after the last section that parsed (a truncated or garbled tail), kept as is. */
  tail: Uint8Array;
}

/** Splits at section boundaries; whatever does not parse as a section stays the tail. */
export function splitSections(bytes: Uint8Array): SplitModule {
  const sections: SplitModule["sections"] = [];
  let at = Math.min(PREAMBLE, bytes.length);
  while (at < bytes.length) {
    const size = readUleb(bytes, at + 1);
    if (!size || size.end + size.value > bytes.length) break;
    sections.push({ id: bytes[at]!, payload: bytes.subarray(size.end, size.end + size.value) });
    at = size.end + size.value;
  }
  return {
    head: bytes.subarray(0, Math.min(PREAMBLE, bytes.length)),
    sections,
    tail: bytes.subarray(at),
  };
}

export function joinSections(
  split: SplitModule,
  sizeOf = (payload: Uint8Array) => uleb(payload.length),
): Uint8Array {
  return join(
    split.head,
    ...split.sections.flatMap((s) => [[s.id], sizeOf(s.payload), s.payload]),
    split.tail,
  );
}

function readUleb(bytes: Uint8Array, at: number): { value: number; end: number } | null {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (!(byte & 0x80)) return { value, end: at + i + 1 };
  }
  return null;
}

/** One mutation, with raw parameters interpreted against the module it is applied to. */
export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "flipBit"; at: number; bit: number }
  | { kind: "setByte"; at: number; value: number }
  | { kind: "flipInSection"; section: number; at: number; bit: number }
  | { kind: "cutSection"; section: number; keep: number }
  | { kind: "insertInSection"; section: number; at: number; bytes: Uint8Array }
  | { kind: "dropSection"; section: number }
  | { kind: "duplicateSection"; section: number }
  | { kind: "swapSections"; first: number; second: number }
  | { kind: "customSection"; at: number; name: string; payload: Uint8Array }
  | { kind: "spliceSection"; section: number; donor: number; donorSection: number }
  | { kind: "sectionSize"; section: number; delta: number; padTo: number }
  | { kind: "memory"; flags: number; min: bigint; max: bigint; pageSizeLog2: number }
  | { kind: "data"; segments: DataSegmentDraw[] };

interface DataSegmentDraw {
  /** 0 active on memory 0, 1 passive, 2 active with an explicit memory index. */
  mode: number;
  memory: number;
  offset: { op: "i32" | "i64" | "global"; value: bigint };
  length: number;
  fill: number;
}

/** Byte values the reader treats specially: LEB continuation, sign, maximum. */
const INTERESTING_BYTES = [0x00, 0x01, 0x40, 0x7f, 0x80, 0xff];
/** Limits around the 32-bit and 64-bit page-count boundaries. */
const INTERESTING_LIMITS = [
  0n,
  1n,
  0x1_0000n,
  0x1_0001n,
  0xffff_ffffn,
  0x1_0000_0000n,
  2n ** 48n,
  2n ** 64n - 1n,
];
/** Offsets around the sign and width boundaries of i32 and i64 constants. */
const INTERESTING_OFFSETS = [
  0n,
  1n,
  0xffffn,
  0x1_0000n,
  0x7fff_ffffn,
  -1n,
  -(2n ** 31n),
  0xffff_ffffn,
  2n ** 32n,
  2n ** 63n - 1n,
];
/** Names that hurt a terminal or a Markdown table, and plain ones. */
const HOSTILE_NAMES = [
  "name",
  "",
  "\x1b[2J",
  "a\nerror: forged",
  "\u202e",
  "|<b>",
  "\ud800",
  "producers",
  "target_features",
];

const position = fc.nat({ max: 1 << 30 });
const index = fc.nat({ max: 64 });

/** Aimed mutations weigh more than blind ones: most of the reader's decisions lie past
 *  the first broken byte, and only modules that still decode reach the planner. */
export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: position }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("flipBit" as const),
      at: position,
      bit: fc.nat({ max: 7 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("setByte" as const),
      at: position,
      value: fc.constantFrom(...INTERESTING_BYTES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("flipInSection" as const),
      section: index,
      at: position,
      bit: fc.nat({ max: 7 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("cutSection" as const),
      section: index,
      keep: position,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("insertInSection" as const),
      section: index,
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("dropSection" as const), section: index }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("duplicateSection" as const), section: index }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("swapSections" as const),
      first: index,
      second: index,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("customSection" as const),
      at: index,
      name: fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ maxLength: 12 })),
      payload: fc.uint8Array({ maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("spliceSection" as const),
      section: index,
      donor: index,
      donorSection: index,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("sectionSize" as const),
      section: index,
      delta: fc.integer({ min: -4, max: 4 }),
      padTo: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("memory" as const),
      // Limits flags: bit 0 max present, bit 1 shared, bit 2 memory64, bit 3 custom page size.
      flags: fc.nat({ max: 0x1f }),
      min: fc.oneof(fc.constantFrom(...INTERESTING_LIMITS), fc.bigInt({ min: 0n, max: 0x2_0000n })),
      max: fc.oneof(fc.constantFrom(...INTERESTING_LIMITS), fc.bigInt({ min: 0n, max: 0x2_0000n })),
      pageSizeLog2: fc.constantFrom(0, 1, 12, 16, 17, 64),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("data" as const),
      segments: fc.array(
        fc.record({
          mode: fc.nat({ max: 2 }),
          memory: fc.nat({ max: 2 }),
          offset: fc.record({
            op: fc.constantFrom("i32" as const, "i64" as const, "global" as const),
            value: fc.oneof(
              fc.constantFrom(...INTERESTING_OFFSETS),
              fc.bigInt({ min: 0n, max: 0x4_0000n }),
            ),
          }),
          length: fc.nat({ max: 300 }),
          fill: fc.nat({ max: 0xff }),
        }),
        { maxLength: 4 },
      ),
    }),
  },
);

export function applyMutations(
  seed: Uint8Array,
  mutations: readonly Mutation[],
  corpus: readonly Uint8Array[],
): Uint8Array {
  return mutations.reduce((bytes, mutation) => applyMutation(bytes, mutation, corpus), seed);
}

function applyMutation(
  bytes: Uint8Array,
  mutation: Mutation,
  corpus: readonly Uint8Array[],
): Uint8Array {
  const split = splitSections(bytes);
  const count = split.sections.length;
  const pick = (n: number) => (count ? n % count : -1);
  switch (mutation.kind) {
    case "truncate":
      return bytes.slice(0, mutation.at % (bytes.length + 1));
    case "flipBit":
    case "setByte": {
      if (!bytes.length) return bytes;
      const out = bytes.slice();
      const at = mutation.at % out.length;
      out[at] = mutation.kind === "flipBit" ? out[at]! ^ (1 << mutation.bit) : mutation.value;
      return out;
    }
    case "flipInSection":
    case "cutSection":
    case "insertInSection": {
      const chosen = pick(mutation.section);
      if (chosen < 0) return bytes;
      const payload = split.sections[chosen]!.payload;
      split.sections[chosen]!.payload = editPayload(payload, mutation);
      return joinSections(split);
    }
    case "dropSection":
      if (count) split.sections.splice(pick(mutation.section), 1);
      return joinSections(split);
    case "duplicateSection":
      if (count)
        split.sections.splice(pick(mutation.section), 0, split.sections[pick(mutation.section)]!);
      return joinSections(split);
    case "swapSections": {
      if (count < 2) return bytes;
      const [a, b] = [pick(mutation.first), pick(mutation.second)];
      [split.sections[a], split.sections[b]] = [split.sections[b]!, split.sections[a]!];
      return joinSections(split);
    }
    case "customSection": {
      const name = new TextEncoder().encode(mutation.name);
      const payload = join(uleb(name.length), name, mutation.payload);
      split.sections.splice(mutation.at % (count + 1), 0, { id: SECTION.custom, payload });
      return joinSections(split);
    }
    case "spliceSection": {
      const donor = splitSections(corpus[mutation.donor % corpus.length]!);
      if (!count || !donor.sections.length) return bytes;
      split.sections[pick(mutation.section)] =
        donor.sections[mutation.donorSection % donor.sections.length]!;
      return joinSections(split);
    }
    case "sectionSize": {
      const chosen = pick(mutation.section);
      if (chosen < 0) return bytes;
      // One section's size field is re-encoded: off by `delta`, or padded to an over-long LEB.
      const target = split.sections[chosen]!.payload;
      return joinSections(split, (payload) =>
        payload === target
          ? uleb(Math.max(0, payload.length + mutation.delta), { padTo: mutation.padTo })
          : uleb(payload.length),
      );
    }
    case "memory":
      return replaceSection(split, SECTION.memory, concat([1], memoryType(mutation)));
    case "data":
      return replaceSection(
        split,
        SECTION.data,
        concat(uleb(mutation.segments.length), ...mutation.segments.map(dataSegment)),
      );
  }
}

function editPayload(
  payload: Uint8Array,
  edit: Extract<Mutation, { kind: "flipInSection" | "cutSection" | "insertInSection" }>,
): Uint8Array {
  switch (edit.kind) {
    case "flipInSection": {
      if (!payload.length) return payload;
      const out = payload.slice();
      out[edit.at % out.length]! ^= 1 << edit.bit;
      return out;
    }
    case "cutSection":
      return payload.slice(0, edit.keep % (payload.length + 1));
    case "insertInSection": {
      const at = edit.at % (payload.length + 1);
      return join(payload.subarray(0, at), edit.bytes, payload.subarray(at));
    }
  }
}

/** Replaces the first section with this id (or adds one, in id order) by `payload`. */
function replaceSection(split: SplitModule, id: number, payload: Part): Uint8Array {
  const section = { id, payload: join(payload) };
  const existing = split.sections.findIndex((s) => s.id === id);
  if (existing >= 0) split.sections[existing] = section;
  else {
    const after = split.sections.findIndex((s) => s.id > id && s.id !== SECTION.custom);
    split.sections.splice(after < 0 ? split.sections.length : after, 0, section);
  }
  return joinSections(split);
}

function memoryType(memory: Extract<Mutation, { kind: "memory" }>): number[] {
  const hasMax = (memory.flags & 1) !== 0;
  const customPage = (memory.flags & 8) !== 0;
  return concat(
    [memory.flags],
    uleb(memory.min),
    hasMax ? uleb(memory.max) : [],
    customPage ? uleb(memory.pageSizeLog2) : [],
  );
}

function dataSegment(segment: DataSegmentDraw): number[] {
  const payload = concat(
    uleb(segment.length),
    new Array<number>(segment.length).fill(segment.fill),
  );
  if (segment.mode === 1) return concat([1], payload);
  const offset =
    segment.offset.op === "global"
      ? [0x23, ...uleb(((segment.offset.value % 4n) + 4n) % 4n), 0x0b]
      : [segment.offset.op === "i32" ? 0x41 : 0x42, ...sleb(segment.offset.value), 0x0b];
  return segment.mode === 0
    ? concat([0], offset, payload)
    : concat([2], uleb(segment.memory), offset, payload);
}
