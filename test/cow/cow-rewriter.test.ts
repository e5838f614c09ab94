// rewriteForCow: every defined memory becomes an import (after the existing memory
// imports, same type bytes) and the active segments of imaged memories become empty
// (same head bytes, length 0); every other section is kept byte for byte. Checked with
// an independent byte splitter (runner-raw-sections) and with V8 as the oracle of
// behaviour: the rewrite on a memory pre-filled with the planned image must end up
// exactly as the original instantiated the ordinary way.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { rewriteForCow, SLOT_IMPORT_MODULE } from "../../extension/analysis/cow-rewriter";
import { readModule } from "../../extension/analysis/module-reader";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { buildExamples } from "../../scripts/build-examples";
import {
  activeData,
  activeDataOn,
  concat,
  codeSection,
  constExpr,
  customSection,
  dataCountSection,
  dataSection,
  EXPORT_KIND,
  exportSection,
  funcBody,
  funcType,
  functionSection,
  i32Offset,
  i64Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module as moduleOf,
  op,
  passiveData,
  s32,
  typeSection,
  u32,
  VALTYPE,
} from "../helpers/binary-builder";
import { fetchRealModule, REAL_MODULES } from "../helpers/npm-wasm";
import {
  imagedMemories,
  observeOriginal,
  observeRewrite,
  planFor,
} from "../helpers/runner-cow-oracle";
import {
  afterCount,
  hexOf,
  readUleb,
  splitDataSegments,
  splitSections,
  type RawSection,
} from "../helpers/runner-raw-sections";
import { wat } from "../helpers/wat";

enableWasmFeatures();

const IMPORT = 2;
const MEMORY = 5;
const DATA = 11;
const DATACOUNT = 12;
/** Order of the non-custom sections in a module (the tag section sits after memory). */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

interface MemoryImport {
  module: string;
  name: string;
  type: Uint8Array;
}

/** One memory type at `pos`: limits flags, min, optional max and page size. */
function memoryTypeEnd(bytes: Uint8Array, pos: number): number {
  const flags = bytes[pos]!;
  pos = readUleb(bytes, pos + 1)[1];
  if (flags & 1) pos = readUleb(bytes, pos)[1];
  if (flags & 8) pos = readUleb(bytes, pos)[1];
  return pos;
}

function memoryTypes(memoryPayload: Uint8Array): Uint8Array[] {
  const [count, first] = readUleb(memoryPayload, 0);
  const types: Uint8Array[] = [];
  for (let i = 0, pos = first; i < count; i++) {
    const end = memoryTypeEnd(memoryPayload, pos);
    types.push(memoryPayload.subarray(pos, end));
    pos = end;
  }
  return types;
}

function readName(bytes: Uint8Array, pos: number): [string, number] {
  const [length, at] = readUleb(bytes, pos);
  return [new TextDecoder().decode(bytes.subarray(at, at + length)), at + length];
}

/** Memory imports packed back to back (the entries the rewrite appends). */
function memoryImports(bytes: Uint8Array): MemoryImport[] {
  const entries: MemoryImport[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const [module, afterModule] = readName(bytes, pos);
    const [field, afterName] = readName(bytes, afterModule);
    assert.equal(bytes[afterName], 0x02, `import "${module}"."${field}" should be a memory`);
    const end = memoryTypeEnd(bytes, afterName + 1);
    entries.push({ module, name: field, type: bytes.subarray(afterName + 1, end) });
    pos = end;
  }
  return entries;
}

const sectionKey = (s: RawSection): string => (s.id === 0 ? `custom:${s.customName}` : `${s.id}`);

/** Every structural promise of the rewrite, checked on the bytes. */
function checkStructure(bytes: Uint8Array, imaged: ReadonlySet<number>): Uint8Array {
  const module = readModule(bytes);
  const rewrite = rewriteForCow(module, imaged);
  const oldSections = splitSections(bytes);
  const newSections = splitSections(rewrite.bytes);
  assert.deepEqual([...rewrite.bytes.subarray(0, 8)], [...bytes.subarray(0, 8)], "header");

  // Sections other than import, memory and data: the same sections, same order, same bytes.
  const kept = (list: RawSection[]): string[] =>
    list
      .filter((s) => ![IMPORT, MEMORY, DATA].includes(s.id))
      .map((s) => `${sectionKey(s)} ${hexOf(s.payload)}`);
  assert.deepEqual(kept(newSections), kept(oldSections), "untouched sections are byte-identical");
  assert.equal(newSections.filter((s) => s.id === MEMORY).length, 0, "no memory section is left");
  assert.equal(newSections.filter((s) => s.id === IMPORT).length, 1, "exactly one import section");
  const ids = newSections.filter((s) => s.id !== 0).map((s) => ORDER.indexOf(s.id));
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
    `sections in module order: ${newSections.map(sectionKey)}`,
  );
  const withoutImport = (list: RawSection[]): string[] =>
    list.filter((s) => s.id !== IMPORT && s.id !== MEMORY).map(sectionKey);
  assert.deepEqual(withoutImport(newSections), withoutImport(oldSections), "relative order kept");

  // Imports: the old entries verbatim, then one memory import per defined memory with
  // the defined memory's type bytes, in memory order.
  const oldImports = oldSections.find((s) => s.id === IMPORT);
  const oldEntries = oldImports ? afterCount(oldImports.payload) : new Uint8Array(0);
  const newImports = newSections.find((s) => s.id === IMPORT)!.payload;
  const importedMemories = module.memories.filter((m) => m.import).length;
  const definedTypes = (() => {
    const section = oldSections.find((s) => s.id === MEMORY);
    return section ? memoryTypes(section.payload) : [];
  })();
  assert.equal(
    readUleb(newImports, 0)[0],
    module.imports.length + definedTypes.length,
    "import count",
  );
  const entries = afterCount(newImports);
  assert.equal(hexOf(entries.subarray(0, oldEntries.length)), hexOf(oldEntries), "old imports");
  const appended = memoryImports(entries.subarray(oldEntries.length));
  assert.deepEqual(
    appended.map((a) => hexOf(a.type)),
    definedTypes.map(hexOf),
    "memory type bytes copied",
  );
  assert.ok(appended.every((a) => a.module === SLOT_IMPORT_MODULE));
  assert.deepEqual(
    rewrite.memories.map((m) => [m.memory, m.module, m.name]),
    appended.map((a, i) => [importedMemories + i, a.module, a.name]),
    "rewrite.memories describes the appended imports",
  );

  // Decoded again: every memory keeps its index and type; (module, name) pairs are unique.
  const again = readModule(rewrite.bytes);
  assert.equal(again.memories.length, module.memories.length);
  for (const memory of module.memories) {
    const now = again.memories[memory.index]!;
    assert.deepEqual(now.type, memory.type, `memory ${memory.index} type`);
    const expected = memory.import ?? {
      module: SLOT_IMPORT_MODULE,
      name: appended[memory.index - importedMemories]!.name,
    };
    assert.deepEqual(now.import, expected, `memory ${memory.index} import`);
  }
  const pairs = again.imports.map((i) => JSON.stringify([i.module, i.name]));
  assert.equal(new Set(pairs).size, pairs.length, `import names unique: ${pairs}`);

  checkData(oldSections, newSections, imaged, rewrite.emptiedSegments);
  return rewrite.bytes;
}

/** Emptied segments keep their head (flags, memory, offset expression) with length 0;
 *  every other segment is byte-identical; the count and the DataCount section stay. */
function checkData(
  oldSections: RawSection[],
  newSections: RawSection[],
  imaged: ReadonlySet<number>,
  emptied: number[],
): void {
  const oldData = oldSections.find((s) => s.id === DATA);
  const newData = newSections.find((s) => s.id === DATA);
  if (!oldData) {
    assert.equal(newData, undefined, "no data section appears");
    assert.deepEqual(emptied, []);
    return;
  }
  const old = splitDataSegments(oldData.payload);
  const now = splitDataSegments(newData!.payload);
  assert.equal(now.count, old.count, "data segment count");
  const expectedEmptied: number[] = [];
  old.segments.forEach((segment, i) => {
    const empty = segment.memory !== null && imaged.has(segment.memory);
    if (empty) expectedEmptied.push(i);
    const expected = empty ? concat([...segment.head], [0]) : [...segment.entry];
    assert.equal(hexOf(now.segments[i]!.entry), hexOf(new Uint8Array(expected)), `segment ${i}`);
  });
  assert.deepEqual(emptied, expectedEmptied, "emptiedSegments");
  assert.deepEqual(
    newSections.filter((s) => s.id === DATACOUNT).map((s) => hexOf(s.payload)),
    oldSections.filter((s) => s.id === DATACOUNT).map((s) => hexOf(s.payload)),
  );
}

function assertV8Accepts(bytes: Uint8Array, what: string): void {
  assert.doesNotThrow(
    () => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
    `V8 rejects the rewrite of ${what}`,
  );
}

/** The rewrite with the planned images and the eager rewrite (nothing emptied) both
 *  behave like the original in V8: same memories, same export results. */
function checkSemantics(bytes: Uint8Array, calls: string[], pageSize = 4096): void {
  const module = readModule(bytes);
  const plan = planFor(module, pageSize);
  const original = observeOriginal(module, calls);
  for (const imaged of [imagedMemories(plan), new Set<number>()]) {
    const label = `imaged memories [${[...imaged]}]`;
    const rewritten = observeRewrite(module, plan, imaged, calls);
    assert.equal(rewritten.failure, original.failure, `${label}: instantiation`);
    assert.deepEqual(rewritten.calls, original.calls, `${label}: export results`);
    assert.equal(rewritten.memories.length, original.memories.length);
    rewritten.memories.forEach((memory, i) => {
      assert.ok(memory.equals(original.memories[i]!), `${label}: memory ${i} contents differ`);
    });
  }
}

/** Structure with the planned images and with no images, V8 validation, behaviour. */
function checkAll(bytes: Uint8Array, what: string, calls: string[] = []): void {
  const plan = planFor(readModule(bytes));
  for (const imaged of [imagedMemories(plan), new Set<number>()])
    assertV8Accepts(checkStructure(bytes, imaged), what);
  checkSemantics(bytes, calls);
}

describe("sample modules (examples/build)", () => {
  const files = new Map<string, Uint8Array>();
  before(async () => {
    for (const file of await buildExamples()) files.set(path.basename(file), readFileSync(file));
  });
  const calls: Record<string, string[]> = {
    "tiny.wasm": ["greeting"],
    "stack-first.wasm": ["first_byte"],
    "dirty-per-call.wasm": ["touch", "touch"],
  };

  test("every sample: structure, V8 validation and behaviour", () => {
    assert.ok(files.size >= 6, `built ${[...files.keys()]}`);
    for (const [file, bytes] of files) checkAll(bytes, file, calls[file] ?? []);
  });

  test("the images at 64 KiB target pages behave the same", () => {
    for (const [file, bytes] of files) checkSemantics(bytes, calls[file] ?? [], 65536);
  });

  test("tiny.wasm has no import section: one is inserted right after the type section", () => {
    const bytes = files.get("tiny.wasm")!;
    assert.equal(splitSections(bytes).filter((s) => s.id === IMPORT).length, 0);
    const ids = splitSections(rewriteForCow(readModule(bytes), new Set([0])).bytes).map(
      (s) => s.id,
    );
    assert.equal(ids[ids.indexOf(1) + 1], IMPORT, `sections ${ids}`);
  });
});

describe("WAT fixtures", () => {
  test("imports of every kind before the memory, overlapping segments", async () => {
    const bytes = await wat(`(module
      (import "env" "f" (func $f (param i32) (result i32)))
      (import "env" "g" (global $g i32))
      (import "env" "t" (table 1 funcref))
      (memory (export "memory") 2 5)
      (data (i32.const 0x10) "first")
      (data (i32.const 0x1800) "second page")
      (data (i32.const 0x12) "X")
      (func (export "read") (result i32) (i32.load (i32.const 0x10)))
      (func (export "high") (result i32) (i32.load (i32.const 0x1800)))
      (func (export "g") (result i32) (global.get $g)))`);
    checkAll(bytes, "imports fixture", ["read", "high", "g"]);
  });

  test("passive segments, memory.init and data.drop keep their data indices", async () => {
    const bytes = await wat(`(module
      (memory (export "memory") 1)
      (data $a (i32.const 100) "active")
      (data $p "passive bytes")
      (data $b (i32.const 300) "another")
      (func (export "init") (result i32)
        (memory.init $p (i32.const 200) (i32.const 8) (i32.const 5))
        (i32.load (i32.const 200)))
      (func (export "initDroppedEmpty") (result i32)
        (memory.init $a (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 1))
      (func (export "initDropped") (result i32)
        (memory.init $b (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 1))
      (func (export "drop") (result i32) (data.drop $p) (i32.const 2)))`);
    assert.ok(
      splitSections(bytes).some((s) => s.id === DATACOUNT),
      "wabt wrote DataCount",
    );
    checkAll(bytes, "bulk-memory fixture", [
      "init",
      "initDroppedEmpty",
      "initDropped",
      "drop",
      "init",
    ]);
  });

  test("a start function that writes over image bytes", async () => {
    const bytes = await wat(`(module
      (memory (export "memory") 1)
      (data (i32.const 0) "abcdef")
      (func $s (i32.store8 (i32.const 1) (i32.const 90)))
      (start $s)
      (func (export "word") (result i32) (i32.load (i32.const 0))))`);
    checkAll(bytes, "start fixture", ["word"]);
  });

  test("an out-of-bounds segment fails instantiation the same way", async () => {
    const bytes = await wat(`(module
      (memory (export "memory") 1)
      (data (i32.const 16) "in bounds")
      (data (i32.const 65535) "ab"))`);
    // No image (the plan is segmented), so nothing is emptied and V8 still traps.
    const module = readModule(bytes);
    assert.equal(imagedMemories(planFor(module)).size, 0);
    assert.match(observeOriginal(module, []).failure ?? "", /RuntimeError/);
    checkAll(bytes, "out-of-bounds fixture");
  });

  test("extended-const and global offsets are kept as written", () => {
    // wabt 1.0.39 refuses extended-const data offsets: the module is built by hand.
    const bytes = moduleOf(
      importSection(importEntry("env", "base", importDesc.global(VALTYPE.i32))),
      memorySection({ min: 1 }),
      exportSection(["memory", EXPORT_KIND.memory, 0]),
      dataSection(
        activeData(constExpr(op.i32Const(1000), op.i32Const(24), op.i32Add), [
          ...Buffer.from("sum"),
        ]),
        activeData(constExpr(op.globalGet(0)), [...Buffer.from("based")]),
        activeData(i32Offset(2000), [...Buffer.from("plain")]),
      ),
    );
    checkAll(bytes, "offset expressions fixture");
    // Emptying them anyway (structure only) keeps every head byte.
    assertV8Accepts(checkStructure(bytes, new Set([0])), "forced offset expressions");
  });

  test("a module with no memory and no import section still validates", async () => {
    for (const source of ["(module)", `(module (func (export "f") (result i32) (i32.const 3)))`]) {
      const bytes = await wat(source);
      assertV8Accepts(checkStructure(bytes, new Set()), source);
      checkSemantics(bytes, source === "(module)" ? [] : ["f"]);
    }
  });
});

describe("hand-built modules", () => {
  test("non-minimal LEB128s in segments are copied exactly", () => {
    const padded = (offset: number, text: string): number[] =>
      concat([0], constExpr([0x41, ...s32(offset, { padTo: 5 })]), u32(text.length, { padTo: 4 }), [
        ...Buffer.from(text),
      ]);
    const bytes = moduleOf(
      memorySection({ min: 1 }),
      exportSection(["memory", EXPORT_KIND.memory, 0]),
      dataSection(padded(64, "padded"), activeData(i32Offset(4096), [1, 2, 3])),
    );
    checkAll(bytes, "padded LEB fixture");
  });

  test("no type and no import section, custom sections first and last", () => {
    const bytes = moduleOf(
      customSection("first", [1, 2, 3]),
      memorySection({ min: 1, max: 2 }),
      exportSection(["memory", EXPORT_KIND.memory, 0]),
      dataSection(activeData(i32Offset(8), [7, 7, 7])),
      customSection("last", [4]),
    );
    const rewritten = checkStructure(bytes, new Set([0]));
    assert.deepEqual(
      splitSections(rewritten).map(sectionKey),
      ["custom:first", "2", "7", "11", "custom:last"],
      "the import section takes the memory section's place before the exports",
    );
    checkAll(bytes, "custom-first fixture");
  });

  test("imported memories keep indices 0..n-1; defined ones follow with their own types", () => {
    // Multi-memory (V8 11.3 cannot compile it): structure only. Memory 0 and 2 are
    // imported, 3 (with a maximum), 4 (memory64) and 5 (no pages) are defined.
    const bytes = moduleOf(
      typeSection(funcType()),
      importSection(
        importEntry("env", "m0", importDesc.memory({ min: 1 })),
        importEntry("env", "f", importDesc.func(0)),
        importEntry("env", "m1", importDesc.memory({ min: 1, max: 2 })),
      ),
      memorySection({ min: 3, max: 9 }, { min: 1, memory64: true }, { min: 0 }),
      dataCountSection(5),
      dataSection(
        activeData(i32Offset(0), [1]),
        activeDataOn(2, i32Offset(16), [2, 2]),
        passiveData([3]),
        activeDataOn(3, i64Offset(32n), [4, 4, 4]),
        activeDataOn(1, i32Offset(0), [5]),
      ),
    );
    for (const imaged of [new Set([2]), new Set([2, 3]), new Set([0, 1, 2, 3, 4])]) {
      checkStructure(bytes, imaged);
    }
    const rewrite = rewriteForCow(readModule(bytes), new Set([2, 3]));
    assert.deepEqual(
      rewrite.memories.map((m) => m.memory),
      [2, 3, 4],
    );
    assert.deepEqual(rewrite.emptiedSegments, [1, 3]);
  });

  test("names stay unique when the module already imports from wasm-cow:slot", () => {
    const bytes = moduleOf(
      typeSection(funcType([], [VALTYPE.i32])),
      importSection(
        importEntry(SLOT_IMPORT_MODULE, "memory0", importDesc.func(0)),
        importEntry(SLOT_IMPORT_MODULE, "_memory0", importDesc.global(VALTYPE.i32)),
        importEntry(SLOT_IMPORT_MODULE, "__memory0", importDesc.func(0)),
      ),
      functionSection(0, 0),
      memorySection({ min: 1 }),
      exportSection(
        ["memory", EXPORT_KIND.memory, 0],
        ["viaImport", EXPORT_KIND.func, 2],
        ["load", EXPORT_KIND.func, 3],
      ),
      codeSection(
        funcBody([], [0x10, ...u32(0), ...op.end]), // call the imported "memory0"
        funcBody([], [...op.i32Const(32), 0x28, 0x02, 0x00, ...op.end]), // i32.load
      ),
      dataSection(activeData(i32Offset(32), [9, 0, 0, 0])),
    );
    const rewritten = checkStructure(bytes, new Set([0]));
    const names = readModule(rewritten)
      .imports.filter((i) => i.desc.kind === "memory")
      .map((i) => i.name);
    assert.equal(names.length, 1);
    assert.ok(!["memory0", "_memory0", "__memory0"].includes(names[0]!), names[0]);
    assertV8Accepts(rewritten, "slot-name clash fixture");
    // The module's own import gets a function, the memory gets a memory.
    const module = readModule(bytes);
    const observed = observeRewrite(module, planFor(module), new Set([0]), ["viaImport", "load"]);
    assert.equal(observed.failure, null);
    assert.deepEqual(observed.calls.load, { value: 9 });
    assert.ok("trap" in observed.calls.viaImport!, "the stub function import was called");
    checkAll(bytes, "slot-name clash fixture", ["load"]);
  });

  test("a name from the slot module's import of a memory is not reused", () => {
    // Memory 0 imported as wasm-cow:slot.memory1; the defined memory is memory 1.
    const bytes = moduleOf(
      importSection(importEntry(SLOT_IMPORT_MODULE, "memory1", importDesc.memory({ min: 1 }))),
      memorySection({ min: 2 }),
    );
    checkStructure(bytes, new Set([1]));
  });
});

describe("real modules from npm", () => {
  const picks = REAL_MODULES.filter((m) =>
    ["source-map@0.8.0", "vscode-oniguruma@2.0.1", "sql.js@1.16.0"].includes(m.spec),
  );
  for (const real of picks) {
    test(`${real.label}: structure, V8 validation and the same initial memory`, async () => {
      const bytes = await fetchRealModule(real);
      const plan = planFor(readModule(bytes));
      assert.ok(imagedMemories(plan).size > 0, "the module has an image to test with");
      checkAll(bytes, real.label);
    });
  }
  test("picked three real modules", () => assert.equal(picks.length, 3));
});
