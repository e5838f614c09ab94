// The module reader: what it decodes, with which byte offsets, and how it rejects
// malformed binaries. Every expected offset is computed from the builder's pieces (or
// by searching for marker bytes), never taken from the reader.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { constExprText } from "../../extension/analysis/const-expr";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import {
  EXPORT_KIND,
  HEADER,
  SECTION,
  VALTYPE,
  activeData,
  activeDataOn,
  assertDecodeError,
  codeSection,
  concat,
  constExpr,
  customSection,
  dataCountSection,
  dataSection,
  elementSection,
  exportSection,
  funcBody,
  funcType,
  functionSection,
  globalSection,
  globalType,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  indexOfBytes,
  layout,
  memorySection,
  memoryType,
  module,
  name,
  nameSection,
  nameSubsection,
  op,
  passiveData,
  section,
  startSection,
  tableSection,
  tableType,
  tagSection,
  typeSection,
  u32,
  vec,
  type Bytes,
} from "../helpers/binary-builder";

/** Payload start of a section built as `section(id, payload)` and placed at `offset`. */
const payloadStart = (sectionBytes: Bytes, payload: Bytes, offset: number): number =>
  offset + sectionBytes.length - payload.length;

/** Offsets of the entries of a vector payload `vec(entries)` starting at `start`. */
function entryOffsets(start: number, entries: readonly Bytes[]): number[] {
  let at = start + u32(entries.length).length;
  return entries.map((entry) => {
    const here = at;
    at += entry.length;
    return here;
  });
}

describe("a module with every section kind", () => {
  const types = [funcType(), funcType([VALTYPE.i32], [VALTYPE.i32])];
  const imports = [
    importEntry("env", "f", importDesc.func(1)),
    importEntry("env", "tab", importDesc.table(1, 10)),
    importEntry("env", "mem", importDesc.memory({ min: 1, max: 2 })),
    importEntry("env", "g", importDesc.global(VALTYPE.i32)),
    importEntry("env", "tag", importDesc.tag(0)),
  ];
  const importPayload = vec(imports);
  const memoryPayload = vec([memoryType({ min: 3 })]);
  const globalPayload = vec([concat(globalType(VALTYPE.i64, true), i64Offset(7n))]);
  const exportEntries: [string, number, number][] = [
    ["run", EXPORT_KIND.func, 1],
    ["mem", EXPORT_KIND.memory, 1],
    ["g", EXPORT_KIND.global, 1],
    ["t", EXPORT_KIND.tag, 1],
  ];
  const bodies = [funcBody([], [0x0b]), funcBody([[1, VALTYPE.i32]], [0x20, 0x00, 0x0b])];
  const codePayload = vec(bodies);
  const dataPayloads = [
    [0xd1, 0xd2, 0xd3],
    [0xd4, 0xd5],
  ];
  const sections = [
    typeSection(...types),
    section(SECTION.import, importPayload),
    functionSection(0, 1),
    tableSection(tableType(2)),
    section(SECTION.memory, memoryPayload),
    tagSection(0),
    section(SECTION.global, globalPayload),
    exportSection(...exportEntries),
    startSection(1),
    elementSection({ offset: i32Offset(0), funcs: [1, 2] }),
    dataCountSection(2),
    section(SECTION.code, codePayload),
    dataSection(activeDataOn(1, i32Offset(16), dataPayloads[0]!), passiveData(dataPayloads[1]!)),
    customSection("extra", [0xaa, 0xbb]),
    nameSection({ data: [[1, "rodata"]], globals: [[1, "counter"]] }),
  ];
  const { bytes, offsets } = layout(...sections);
  const decoded = readModule(bytes);
  const at = (id: number): number => offsets[sections.findIndex((s) => s[0] === id)]!;

  test("sections in order, with header and payload offsets", () => {
    assert.deepEqual(
      decoded.sections.map((s) => s.id),
      [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11, 0, 0],
    );
    decoded.sections.forEach((s, i) => {
      // Every payload here is under 128 bytes: id byte plus a one-byte size.
      assert.ok(sections[i]!.length - 2 < 128);
      const headerLength = 2;
      assert.equal(s.headerOffset, offsets[i], `section ${i} header`);
      assert.equal(s.end, offsets[i]! + sections[i]!.length, `section ${i} end`);
      assert.equal(s.start, s.headerOffset + headerLength, `section ${i} start`);
      assert.equal(bytes[s.headerOffset], sections[i]![0], `section ${i} id byte`);
    });
    assert.deepEqual(
      decoded.sections.map((s) => s.customName),
      [...new Array<null>(13).fill(null), "extra", "name"],
    );
    assert.equal(decoded.sections[1]!.name, "import");
    assert.equal(decoded.sections[10]!.name, "datacount");
  });

  test("imports of every kind, with entry offsets", () => {
    const expected = entryOffsets(payloadStart(sections[1]!, importPayload, at(2)), imports);
    assert.deepEqual(
      decoded.imports.map((i) => [i.module, i.name, i.desc.kind, i.offset]),
      [
        ["env", "f", "func", expected[0]],
        ["env", "tab", "table", expected[1]],
        ["env", "mem", "memory", expected[2]],
        ["env", "g", "global", expected[3]],
        ["env", "tag", "tag", expected[4]],
      ],
    );
    assert.deepEqual(decoded.imports[0]!.desc, { kind: "func", typeIndex: 1 });
    assert.deepEqual(decoded.imports[4]!.desc, { kind: "tag", typeIndex: 0 });
    assert.deepEqual(decoded.imports[1]!.desc, {
      kind: "table",
      type: { refType: "funcref", min: 1n, max: 10n, table64: false },
    });
  });

  test("index spaces: imports first", () => {
    assert.equal(decoded.typeCount, 2);
    assert.deepEqual(decoded.funcTypes, [
      { params: [], results: [] },
      { params: ["i32"], results: ["i32"] },
    ]);
    assert.equal(decoded.importedFunctionCount, 1);
    assert.deepEqual([...decoded.functionTypes], [1, 0, 1]);
    assert.deepEqual(
      decoded.tables.map((t) => [t.index, t.import?.name ?? null, t.type.min]),
      [
        [0, "tab", 1n],
        [1, null, 2n],
      ],
    );
    assert.equal(decoded.tagTypes.length, 2);
    assert.deepEqual(
      decoded.globals.map((g) => [g.index, g.import?.name ?? null, g.type]),
      [
        [0, "g", { valType: "i32", mutable: false }],
        [1, null, { valType: "i64", mutable: true }],
      ],
    );
    assert.deepEqual(decoded.globals[1]!.init!.instrs, [{ op: "i64.const", value: 7n }]);
  });

  test("memories: the imported one at its import entry, the defined one at its type", () => {
    const importOffsets = entryOffsets(payloadStart(sections[1]!, importPayload, at(2)), imports);
    const memoryOffsets = entryOffsets(payloadStart(sections[4]!, memoryPayload, at(5)), [
      memoryType({ min: 3 }),
    ]);
    assert.deepEqual(
      decoded.memories.map((m) => [m.index, m.offset, m.import, m.type.min, m.type.max]),
      [
        [0, importOffsets[2], { module: "env", name: "mem" }, 1n, 2n],
        [1, memoryOffsets[0], null, 3n, null],
      ],
    );
    const globalOffsets = entryOffsets(payloadStart(sections[6]!, globalPayload, at(6)), [
      concat(globalType(VALTYPE.i64, true), i64Offset(7n)),
    ]);
    assert.equal(decoded.globals[1]!.offset, globalOffsets[0]);
  });

  test("exports, start, elements, data count and code bodies", () => {
    assert.deepEqual(
      decoded.exports.map((e) => [e.name, e.kind, e.index]),
      [
        ["run", "func", 1],
        ["mem", "memory", 1],
        ["g", "global", 1],
        ["t", "tag", 1],
      ],
    );
    assert.equal(decoded.start, 1);
    assert.equal(decoded.elementSegmentCount, 1);
    assert.equal(decoded.dataCount, 2);
    const bodyOffsets = entryOffsets(payloadStart(sections[11]!, codePayload, at(10)), bodies);
    // Each body starts after its one-byte size.
    assert.deepEqual(
      [...decoded.codeBodies],
      bodies.flatMap((body, i) => [bodyOffsets[i]! + 1, bodyOffsets[i]! + body.length]),
    );
  });

  test("data segments, their offsets and names", () => {
    const [active, passive] = decoded.dataSegments;
    const firstData = indexOfBytes(bytes, dataPayloads[0]!);
    assert.equal(active!.mode, "active");
    assert.equal(active!.memory, 1);
    assert.equal(active!.dataOffset, firstData);
    // flags 2, memory index 1, i32.const 16 end, length 3
    assert.equal(active!.entryOffset, firstData - (1 + 1 + i32Offset(16).length + 1));
    assert.equal(passive!.mode, "passive");
    assert.equal(passive!.memory, null);
    assert.equal(passive!.offsetExpr, null);
    assert.equal(passive!.dataOffset, indexOfBytes(bytes, dataPayloads[1]!));
    assert.equal(passive!.entryOffset, passive!.dataOffset - 2);
    assert.deepEqual([...decoded.names.data], [[1, "rodata"]]);
    assert.deepEqual([...decoded.names.globals], [[1, "counter"]]);
    assert.deepEqual(decoded.warnings, []);
  });
});

describe("memory types", () => {
  const decodeMemories = (...types: Parameters<typeof memoryType>[0][]): WasmModule["memories"] =>
    readModule(module(memorySection(...types))).memories;

  test("shared with a maximum", () => {
    const [memory] = decodeMemories({ min: 1, max: 4, shared: true });
    assert.deepEqual(memory!.type, {
      min: 1n,
      max: 4n,
      shared: true,
      memory64: false,
      pageSizeLog2: 16,
    });
  });

  test("memory64 limits are u64", () => {
    const [memory] = decodeMemories({ min: 1n << 40n, max: 1n << 48n, memory64: true });
    assert.deepEqual(memory!.type, {
      min: 1n << 40n,
      max: 1n << 48n,
      shared: false,
      memory64: true,
      pageSizeLog2: 16,
    });
  });

  test("custom page sizes", () => {
    const [tiny, big] = decodeMemories({ min: 5, pageSizeLog2: 0 }, { min: 1, pageSizeLog2: 16 });
    assert.equal(tiny!.type.pageSizeLog2, 0);
    assert.equal(tiny!.type.min, 5n);
    assert.equal(big!.type.pageSizeLog2, 16);
  });

  test("several memories keep their order and offsets", () => {
    const types = [{ min: 1 }, { min: 2, max: 3 }, { min: 0, memory64: true }];
    const payload = vec(types.map(memoryType));
    const memories = readModule(module(section(SECTION.memory, payload))).memories;
    const expected = entryOffsets(HEADER.length + 2, types.map(memoryType));
    assert.deepEqual(
      memories.map((m) => [m.index, m.offset, m.type.min, m.type.memory64]),
      [
        [0, expected[0], 1n, false],
        [1, expected[1], 2n, false],
        [2, expected[2], 0n, true],
      ],
    );
  });
});

describe("data segments", () => {
  // Memories for the segments: i32 memory 0, i64 memory 1; global 0 imported i32,
  // global 1 imported i64.
  const imports = importSection(
    importEntry("env", "base", importDesc.global(VALTYPE.i32)),
    importEntry("env", "base64", importDesc.global(VALTYPE.i64)),
  );
  const memories = memorySection({ min: 1 }, { min: 1, memory64: true });

  /** Decodes one segment and returns it with the module bytes. */
  function decodeSegment(segment: Bytes) {
    const bytes = module(imports, memories, dataSection(segment));
    return { bytes, segment: readModule(bytes).dataSegments[0]! };
  }

  const cases: {
    title: string;
    offset: Bytes;
    memory: number;
    instrs: unknown[];
    text: string;
  }[] = [
    {
      title: "i32.const, read as signed",
      offset: i32Offset(-1),
      memory: 0,
      instrs: [{ op: "i32.const", value: -1 }],
      text: "(i32.const -1)",
    },
    {
      title: "i64.const",
      offset: i64Offset(1n << 40n),
      memory: 1,
      instrs: [{ op: "i64.const", value: 1n << 40n }],
      text: "(i64.const 1099511627776)",
    },
    {
      title: "global.get",
      offset: constExpr(op.globalGet(0)),
      memory: 0,
      instrs: [{ op: "global.get", index: 0 }],
      text: "(global.get 0)",
    },
    {
      title: "extended const add",
      offset: constExpr(op.globalGet(0), op.i32Const(16), op.i32Add),
      memory: 0,
      instrs: [{ op: "global.get", index: 0 }, { op: "i32.const", value: 16 }, { op: "i32.add" }],
      text: "(i32.add (global.get 0) (i32.const 16))",
    },
    {
      title: "extended const sub and mul",
      offset: constExpr(op.globalGet(1), op.i64Const(3n), op.i64Sub, op.i64Const(2n), op.i64Mul),
      memory: 1,
      instrs: [
        { op: "global.get", index: 1 },
        { op: "i64.const", value: 3n },
        { op: "i64.sub" },
        { op: "i64.const", value: 2n },
        { op: "i64.mul" },
      ],
      text: "(i64.mul (i64.sub (global.get 1) (i64.const 3)) (i64.const 2))",
    },
  ];

  for (const c of cases) {
    test(`offset ${c.title}: kept exactly, flags 0 or 2`, () => {
      const payload = [0xc1, 0xc2, 0xc3, 0xc4];
      const encoded =
        c.memory === 0 ? activeData(c.offset, payload) : activeDataOn(c.memory, c.offset, payload);
      const { bytes, segment } = decodeSegment(encoded);
      assert.equal(segment.mode, "active");
      assert.equal(segment.memory, c.memory);
      assert.deepEqual(segment.offsetExpr!.instrs, c.instrs);
      assert.equal(constExprText(segment.offsetExpr!), c.text);
      const dataOffset = indexOfBytes(bytes, payload);
      const entryOffset = dataOffset - (encoded.length - payload.length);
      const flagsAndMemory = c.memory === 0 ? 1 : 2;
      assert.equal(segment.entryOffset, entryOffset);
      assert.equal(segment.offsetExpr!.start, entryOffset + flagsAndMemory);
      assert.equal(segment.offsetExpr!.end, entryOffset + flagsAndMemory + c.offset.length);
      assert.equal(segment.dataOffset, dataOffset);
      assert.deepEqual([...segment.data], payload);
    });
  }

  test("flags 2 may name memory 0", () => {
    const { segment } = decodeSegment(activeDataOn(0, i32Offset(8), [1]));
    assert.equal(segment.memory, 0);
    assert.equal(segment.mode, "active");
  });

  test("passive segments have no memory and no offset", () => {
    const { bytes, segment } = decodeSegment(passiveData([0xe1, 0xe2]));
    assert.equal(segment.mode, "passive");
    assert.equal(segment.memory, null);
    assert.equal(segment.offsetExpr, null);
    assert.equal(segment.dataOffset, indexOfBytes(bytes, [0xe1, 0xe2]));
  });

  test("payloads are views of the input, at their file offsets", () => {
    const payloads = [[0xf1, 0xf2, 0xf3], [], [0xf4], [0xf5, 0xf6]];
    const fileBytes = module(
      memories,
      dataSection(
        activeData(i32Offset(0), payloads[0]!),
        passiveData(payloads[1]!),
        activeDataOn(1, i64Offset(9n), payloads[2]!),
        passiveData(payloads[3]!),
      ),
    );
    // The same bytes inside a larger buffer, 16 bytes in.
    const backing = new Uint8Array(fileBytes.length + 32);
    backing.set(fileBytes, 16);
    for (const [input, base] of [
      [fileBytes, 0],
      [backing.subarray(16, 16 + fileBytes.length), 16],
    ] as const) {
      const segments = readModule(input).dataSegments;
      segments.forEach((segment, i) => {
        assert.equal(segment.data.buffer, input.buffer, `segment ${i} shares the buffer`);
        assert.equal(segment.data.byteOffset, base + segment.dataOffset, `segment ${i} view`);
        assert.deepEqual([...segment.data], payloads[i]);
        if (payloads[i]!.length)
          assert.equal(segment.dataOffset, indexOfBytes(fileBytes, payloads[i]!));
      });
    }
    // The empty passive segment's payload starts right after its length byte.
    const second = readModule(fileBytes).dataSegments[1]!;
    assert.equal(second.dataOffset, second.entryOffset + 2);
  });
});

describe("the name section", () => {
  const memory = memorySection({ min: 1 });
  const data = dataSection(activeData(i32Offset(0), [1]), passiveData([2]), passiveData([3]));

  test("data segment names (subsection 9) and global names (subsection 7)", () => {
    const decoded = readModule(
      module(
        memory,
        data,
        nameSection({
          data: [
            [0, ".rodata"],
            [2, ".data"],
          ],
          globals: [[0, "__stack_pointer"]],
        }),
      ),
    );
    assert.deepEqual(
      [...decoded.names.data],
      [
        [0, ".rodata"],
        [2, ".data"],
      ],
    );
    assert.deepEqual([...decoded.names.globals], [[0, "__stack_pointer"]]);
  });

  test("a malformed name section is a warning; names before the problem are kept", () => {
    // Data names: entry 0 fine, entry 1 with malformed UTF-8.
    const entries = concat([2], u32(0), name("ok"), u32(1), [2, 0xc3, 0x28]);
    const subsection = concat([9], u32(entries.length), entries);
    const sections = [memory, data, customSection("name", subsection)];
    const { bytes, offsets } = layout(...sections);
    const decoded = readModule(bytes);
    assert.deepEqual([...decoded.names.data], [[0, "ok"]]);
    assert.equal(decoded.dataSegments.length, 3);
    assert.equal(decoded.warnings.length, 1);
    // The bad name's length byte: after the section header, "name", id, size, the
    // count, and entry 0 (index byte + "ok").
    const badName = offsets[2]! + 2 + name("name").length + 2 + 1 + 1 + name("ok").length + 1;
    assert.equal(bytes[badName], 2);
    assert.match(
      decoded.warnings[0]!,
      new RegExp(`^name section ignored from byte 0x${badName.toString(16)}: malformed UTF-8`),
    );
  });

  test("a name subsection longer than the section is a warning", () => {
    const decoded = readModule(module(memory, customSection("name", [9, 0x40, 0x01])));
    assert.equal(decoded.warnings.length, 1);
    assert.match(decoded.warnings[0]!, /^name section ignored from byte 0x[0-9a-f]+: /);
    assert.equal(decoded.memories.length, 1);
  });

  test("an unknown subsection is skipped", () => {
    const decoded = readModule(
      module(
        memory,
        data,
        customSection("name", concat([4, 2, 0xaa, 0xbb], nameSubsection(9, [[1, "x"]]))),
      ),
    );
    assert.deepEqual([...decoded.names.data], [[1, "x"]]);
    assert.deepEqual(decoded.warnings, []);
  });
});

describe("malformed modules", () => {
  const memory = memorySection({ min: 1 });
  /** Offset of byte `i` of the first section. */
  const first = (i: number): number => HEADER.length + i;

  test("bad magic", () => {
    assertDecodeError(
      () => readModule(new Uint8Array([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0])),
      "magic header not detected",
      0,
    );
    assertDecodeError(
      () => readModule(new Uint8Array([0x00, 0x61])),
      "magic header not detected",
      0,
    );
    assertDecodeError(() => readModule(new Uint8Array([])), "magic header not detected", 0);
  });

  test("bad or missing version", () => {
    assertDecodeError(
      () => readModule(new Uint8Array([...HEADER.slice(0, 4), 2, 0, 0, 0])),
      "unknown binary version",
      4,
    );
    assertDecodeError(
      () => readModule(new Uint8Array([...HEADER.slice(0, 4), 1, 0])),
      "unexpected end",
      4,
    );
  });

  test("a component-model header", () => {
    const error = assertDecodeError(
      () => readModule(new Uint8Array([...HEADER.slice(0, 4), 0x0d, 0x00, 0x01, 0x00])),
      "unknown binary version",
      4,
    );
    assert.match(error.message, /component/);
  });

  test("an overlong LEB128 in a section size", () => {
    const bytes = new Uint8Array([...HEADER, SECTION.type, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    assertDecodeError(() => readModule(bytes), "integer representation too long", first(1));
    // Five bytes are the limit, and allowed.
    const padded = module(concat([SECTION.type], u32(1, { padTo: 5 }), [0]));
    assert.equal(readModule(padded).typeCount, 0);
  });

  test("a section size past the end of the file", () => {
    const bytes = new Uint8Array([...HEADER, SECTION.type, 0x05, 0x00]);
    assertDecodeError(() => readModule(bytes), "length out of bounds", first(0));
    // The spec's "2 types declared, 1 given" with a section size past the end.
    assertDecodeError(
      () => readModule(module([0x01, 0x07, 0x02, 0x60, 0x00, 0x00])),
      "length out of bounds",
      first(0),
    );
  });

  test("a section payload longer than its contents", () => {
    // binary.wast: 1 type declared, 2 given, section size 7. Contents end after
    // the count and one type, 4 bytes into the payload.
    const bytes = module([0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00]);
    assertDecodeError(() => readModule(bytes), "section size mismatch", first(2 + 4));
    // 1 data segment declared, 2 given.
    const data = module(
      memory,
      [0x0b, 0x0d, 0x01],
      [0x00, 0x41, 0x00, 0x0b, 0x01, 0x61],
      [0x00, 0x41, 0x01, 0x0b, 0x01, 0x62],
    );
    assertDecodeError(
      () => readModule(data),
      "section size mismatch",
      first(memory.length + 3 + 6),
    );
  });

  test("a section payload shorter than its contents", () => {
    // 2 exports declared, 1 given: the second export's name is missing at the end of
    // the payload (the count itself is plausible: 3 bytes per export at least).
    const exports = module(section(SECTION.export, concat([2], name("hello"), [0x00, 0x00])));
    assertDecodeError(() => readModule(exports), "unexpected end", first(2 + 1 + 8));
    // A global section cut one byte early: its `end` opcode falls outside, where it
    // would be read as the next section id.
    const cut = module([0x06, 0x05, 0x01, 0x7f, 0x00, 0x41, 0x00], [0x0b]);
    assertDecodeError(() => readModule(cut), "unexpected end", first(2 + 5));
    // A data payload running past its section.
    const data = module(memory, [0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x05, 0x61], [0x62]);
    assertDecodeError(() => readModule(data), "length out of bounds", first(memory.length + 2 + 6));
  });

  test("out-of-order sections", () => {
    const type = typeSection(funcType());
    assertDecodeError(
      () => readModule(module(memory, type)),
      "unexpected content after last section",
      first(memory.length),
    );
    // The tag section sits between memory and global.
    const global = globalSection({ type: globalType(VALTYPE.i32), init: i32Offset(0) });
    assertDecodeError(
      () => readModule(module(type, global, tagSection(0))),
      "unexpected content after last section",
      first(type.length + global.length),
    );
    // The data-count section sits before code.
    const code = codeSection();
    assertDecodeError(
      () => readModule(module(code, dataCountSection(0))),
      "unexpected content after last section",
      first(code.length),
    );
    // Custom sections may go anywhere.
    const custom = customSection("x", []);
    assert.equal(
      readModule(module(custom, memory, custom, dataCountSection(0), custom)).dataCount,
      0,
    );
  });

  test("duplicate sections", () => {
    assertDecodeError(
      () => readModule(module(memory, memory)),
      "unexpected content after last section",
      first(memory.length),
    );
    const count = dataCountSection(0);
    assertDecodeError(
      () => readModule(module(count, count)),
      "unexpected content after last section",
      first(count.length),
    );
  });

  test("an unknown section id", () => {
    assertDecodeError(
      () => readModule(module(memory, section(14, []))),
      "malformed section id",
      first(memory.length),
    );
    assertDecodeError(
      () => readModule(module(section(0x7f, [1]))),
      "malformed section id",
      first(0),
    );
  });

  test("counts past the end", () => {
    assertDecodeError(
      () => readModule(module(section(SECTION.memory, [5, 0x00, 0x01]))),
      "length out of bounds",
      first(2),
    );
    assertDecodeError(
      () => readModule(module(section(SECTION.import, concat(u32(1000), name("m"), name("f"))))),
      "length out of bounds",
      first(2),
    );
    assertDecodeError(
      () => readModule(module(memory, section(SECTION.data, [3, 1, 0]))),
      "length out of bounds",
      first(memory.length + 2),
    );
  });

  test("function and code counts disagree", () => {
    const type = typeSection(funcType());
    const functions = functionSection(0, 0);
    const code = codeSection(funcBody([], [0x0b]));
    assertDecodeError(
      () => readModule(module(type, functions, code)),
      "function and code section have inconsistent lengths",
      first(type.length + functions.length),
    );
    // No code section at all: reported at the end of the file.
    const noCode = module(type, functions);
    assertDecodeError(
      () => readModule(noCode),
      "function and code section have inconsistent lengths",
      noCode.length,
    );
    // Bodies without a function section.
    assertDecodeError(
      () => readModule(module(type, code)),
      "function and code section have inconsistent lengths",
      first(type.length),
    );
  });

  test("data count and data section disagree", () => {
    const count = dataCountSection(2);
    const data = dataSection(passiveData([1]));
    assertDecodeError(
      () => readModule(module(count, data)),
      "data count and data section have inconsistent lengths",
      first(count.length),
    );
    const noData = module(dataCountSection(1));
    assertDecodeError(
      () => readModule(noData),
      "data count and data section have inconsistent lengths",
      noData.length,
    );
  });

  test("bad data segment flags", () => {
    for (const flags of [3, 4, 8]) {
      const bytes = module(
        memory,
        dataSection(passiveData([1]), concat([flags], [0x41, 0, 0x0b, 0])),
      );
      // Section header (2 bytes), count, then the first segment (flags, length, byte).
      assertDecodeError(
        () => readModule(bytes),
        "malformed data segment flags",
        first(memory.length + 2 + 1 + 3),
      );
    }
  });

  test("a bad import kind", () => {
    const entry = concat(name("env"), name("x"), [0x05, 0x00]);
    const bytes = module(section(SECTION.import, vec([entry])));
    // Header (2), count (1), the two names, then the kind byte.
    assertDecodeError(
      () => readModule(bytes),
      "malformed import kind",
      first(2 + 1 + name("env").length + name("x").length),
    );
  });

  test("bad limits flags", () => {
    // Memory flags beyond 0xf, including a LEB128-looking "\x81\x00".
    for (const flags of [0x10, 0x81]) {
      assertDecodeError(
        () => readModule(module(section(SECTION.memory, [1, flags, 0x00, 0x00]))),
        "malformed limits flags",
        first(3),
      );
    }
    // Shared without a maximum.
    assertDecodeError(
      () => readModule(module(section(SECTION.memory, [1, 0x02, 0x01]))),
      "malformed limits flags",
      first(3),
    );
    // Table limits flags 2 (shared) are not allowed.
    assertDecodeError(
      () => readModule(module(section(SECTION.table, [1, VALTYPE.funcref, 0x02, 0x00]))),
      "malformed limits flags",
      first(4),
    );
  });

  test("a custom page size beyond 2^64 is reported at the page size", () => {
    // flags 8, min 1, then the page size log2 (65) as a two-byte LEB128.
    const bytes = module(section(SECTION.memory, concat([1, 0x08, 0x01], u32(65, { padTo: 2 }))));
    assertDecodeError(() => readModule(bytes), "malformed page size", first(2 + 3));
  });

  test("overlong LEB128s inside sections", () => {
    // Memory minimum as 6 bytes.
    const bytes = module(
      section(SECTION.memory, concat([1, 0x00], [0x81, 0x80, 0x80, 0x80, 0x80, 0x00])),
    );
    assertDecodeError(() => readModule(bytes), "integer representation too long", first(4));
    // i32.const with bad sign-extension padding in a data offset.
    const data = module(
      memory,
      dataSection(concat([0], [0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x0b], [0])),
    );
    assertDecodeError(
      () => readModule(data),
      "integer too large",
      first(memory.length + 2 + 1 + 2),
    );
  });

  test("a malformed custom section name", () => {
    const bytes = module(memory, section(SECTION.custom, [2, 0xc3, 0x28]));
    assertDecodeError(
      () => readModule(bytes),
      "malformed UTF-8 encoding",
      first(memory.length + 2),
    );
  });
});
