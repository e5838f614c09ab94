// Real modules from npm (Emscripten, Rust, Go builds; up to ~40 MB and ~100,000 data
// segments), decoded by the reader and cross-checked against wabt's wasm-objdump, an
// independent C++ decoder. The planner's verdict and images are checked against a naive
// re-implementation of Wasmtime's rules (reference §1.2–1.3) applied to objdump's data.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { before, describe, it } from "node:test";
import { objdumpModule, type DumpSegment, type ObjdumpModule } from "../../bench/wasm-objdump";
import { planImages } from "../../extension/analysis/image-planner";
import { inspectModule } from "../../extension/analysis/inspect";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import { REAL_MODULES, realModulePath, type RealModule } from "../helpers/npm-wasm";

const DENSE_LIMIT = 16 * 1024 * 1024;
const WASM_PAGE = 65536n;

/** objdump's section names → the reader's. */
const SECTION_NAMES: Record<string, string> = {
  Custom: "custom",
  Type: "type",
  Import: "import",
  Function: "function",
  Table: "table",
  Memory: "memory",
  Global: "global",
  Export: "export",
  Start: "start",
  Elem: "element",
  DataCount: "datacount",
  Code: "code",
  Data: "data",
  Tag: "tag",
};

/** The reader's count for the `count: N` that objdump -h prints per section. */
function readerCount(module: WasmModule, section: string): number | null {
  const imported = (kind: string): number =>
    module.imports.filter((i) => i.desc.kind === kind).length;
  switch (section) {
    case "Type":
      return module.typeCount;
    case "Import":
      return module.imports.length;
    case "Function":
    case "Code":
      return module.functionTypes.length - module.importedFunctionCount;
    case "Table":
      return module.tables.length - imported("table");
    case "Memory":
      return module.memories.length - imported("memory");
    case "Global":
      return module.globals.length - imported("global");
    case "Tag":
      return module.tagTypes.length - imported("tag");
    case "Export":
      return module.exports.length;
    case "Elem":
      return module.elementSegmentCount;
    case "DataCount":
      return module.dataCount;
    case "Data":
      return module.dataSegments.length;
    default:
      return null;
  }
}

/** Offset as objdump prints it (an i32 constant is shown unsigned). */
function readerInit(module: WasmModule, index: number): DumpSegment["init"] {
  const expr = module.dataSegments[index]!.offsetExpr;
  if (!expr) return null;
  const [only] = expr.instrs;
  if (expr.instrs.length === 1 && only!.op === "i32.const" && "value" in only!)
    return { kind: "const", type: "i32", value: BigInt.asUintN(32, BigInt(only.value)) };
  if (expr.instrs.length === 1 && only!.op === "i64.const" && "value" in only!)
    return { kind: "const", type: "i64", value: BigInt.asUintN(64, BigInt(only.value)) };
  if (expr.instrs.length === 1 && only!.op === "global.get" && "index" in only!)
    return { kind: "global", index: only.index };
  return { kind: "expr", ops: expr.instrs.map((i) => i.op) };
}

interface ExpectedImage {
  offset: bigint;
  length: number;
  nonzeroPages: number;
  span: number;
  sha256: string | null;
}

/** Wasmtime's `try_static_init` (pass 1 in module order, pass 2 per memory) on
 *  objdump's view of the module: the refusal code, or null for a static module. */
function expectedRefusal(dump: ObjdumpModule): string | null {
  const extents = new Map<number, { data: bigint; min: bigint; max: bigint }>();
  for (const segment of dump.segments) {
    if (segment.memory === null) continue;
    const memory = dump.memories[segment.memory]!;
    if (memory.import) return "imported-memory-segment";
    const init = segment.init!;
    if (init.kind !== "const" || init.type !== (memory.i64 ? "i64" : "i32")) {
      return "non-constant-offset";
    }
    const end = init.value + BigInt(segment.size);
    if (end > memory.initial * WASM_PAGE) return "out-of-bounds";
    if (segment.size === 0) continue;
    const extent = extents.get(segment.memory);
    if (!extent)
      extents.set(segment.memory, { data: BigInt(segment.size), min: init.value, max: end });
    else {
      extent.data += BigInt(segment.size);
      if (init.value < extent.min) extent.min = init.value;
      if (end > extent.max) extent.max = end;
    }
  }
  for (const { data, min, max } of extents.values()) {
    const span = max - min;
    if (span >= 2n * data && span >= BigInt(DENSE_LIMIT)) return "too-sparse";
  }
  return null;
}

/** The image of one memory built byte by byte (§1.3): apply in order, trim zeros at
 *  both ends, page-align. Null when some offset is not a constant. */
function expectedImage(
  dump: ObjdumpModule,
  memory: number,
  pageSize: number,
): ExpectedImage | null {
  const placed: { start: number; bytes: Uint8Array }[] = [];
  for (const segment of dump.segments) {
    if (segment.memory !== memory) continue;
    if (segment.init?.kind !== "const") return null;
    if (segment.size) placed.push({ start: Number(segment.init.value), bytes: segment.bytes });
  }
  const empty = { offset: 0n, length: 0, nonzeroPages: 0, sha256: null };
  if (!placed.length) return { ...empty, span: 0 };
  const min = Math.min(...placed.map((p) => p.start));
  const max = Math.max(...placed.map((p) => p.start + p.bytes.length));
  const buffer = new Uint8Array(max - min);
  for (const { start, bytes } of placed) buffer.set(bytes, start - min);
  let first = 0;
  while (first < buffer.length && buffer[first] === 0) first++;
  if (first === buffer.length) return { ...empty, span: buffer.length };
  let last = buffer.length - 1;
  while (buffer[last] === 0) last--;
  const alignedStart = Math.floor((min + first) / pageSize) * pageSize;
  const alignedEnd = Math.ceil((min + last + 1) / pageSize) * pageSize;
  const image = new Uint8Array(alignedEnd - alignedStart);
  image.set(buffer.subarray(first, last + 1), min + first - alignedStart);
  let nonzeroPages = 0;
  for (let page = 0; page < image.length; page += pageSize) {
    if (image.subarray(page, page + pageSize).some((b) => b !== 0)) nonzeroPages++;
  }
  return {
    offset: BigInt(alignedStart),
    length: image.length,
    nonzeroPages,
    span: buffer.length,
    sha256: createHash("sha256").update(image).digest("hex"),
  };
}

/** Each module is fetched and dumped once per run, shared by every test below. */
const loaded = new Map<RealModule, Promise<{ bytes: Uint8Array; dump: ObjdumpModule }>>();
function load(real: RealModule): Promise<{ bytes: Uint8Array; dump: ObjdumpModule }> {
  let entry = loaded.get(real);
  if (!entry) {
    entry = realModulePath(real).then(async (file) => ({
      bytes: new Uint8Array(await readFile(file)),
      dump: await objdumpModule(file),
    }));
    loaded.set(real, entry);
  }
  return entry;
}

for (const real of REAL_MODULES) {
  describe(`${real.label}: ${real.spec}`, () => {
    let bytes: Uint8Array;
    let module: WasmModule;
    let dump: ObjdumpModule;

    before(async () => {
      ({ bytes, dump } = await load(real));
      module = readModule(bytes);
    });

    it("has the same sections, payload ranges and counts as wasm-objdump -h", () => {
      assert.deepEqual(
        module.sections.map((s) => [s.name, s.customName, s.start, s.end]),
        dump.sections.map((s) => [SECTION_NAMES[s.name], s.customName, s.start, s.end]),
      );
      for (const s of dump.sections) {
        if (s.count !== null) assert.equal(readerCount(module, s.name), s.count, s.name);
      }
    });

    it("has the same memories (limits, sharing, index type, import)", () => {
      assert.deepEqual(
        module.memories.map((m) => ({
          index: m.index,
          initial: m.type.min,
          max: m.type.max,
          shared: m.type.shared,
          i64: m.type.memory64,
          import: m.import ? `${m.import.module}.${m.import.name}` : null,
        })),
        dump.memories,
      );
      for (const m of module.memories) assert.equal(m.type.pageSizeLog2, 16);
    });

    it("has the same imports and exports", () => {
      assert.equal(module.imports.length, dump.importCount);
      // Per-kind index spaces: the n-th import of a kind has index n.
      const seen = new Map<string, number>();
      const imports = module.imports.map((i) => {
        const index = seen.get(i.desc.kind) ?? 0;
        seen.set(i.desc.kind, index + 1);
        return { kind: i.desc.kind, index, from: `${i.module}.${i.name}` };
      });
      assert.deepEqual(imports, dump.imports);
      assert.deepEqual(
        module.exports.map((e) => ({ kind: e.kind, index: e.index, name: e.name })),
        dump.exports,
      );
    });

    it("has the same data segments: mode, memory, size, offset and payload bytes", () => {
      assert.equal(module.dataSegments.length, dump.dataHeaderCount);
      assert.equal(module.dataSegments.length, dump.segments.length);
      const data = dump.sections.find((s) => s.name === "Data")!;
      for (const [i, expected] of dump.segments.entries()) {
        const segment = module.dataSegments[i]!;
        const where = `segment ${i}`;
        assert.equal(segment.index, expected.index, where);
        assert.equal(segment.mode, expected.memory === null ? "passive" : "active", where);
        assert.equal(segment.memory, expected.memory, where);
        assert.deepEqual(readerInit(module, i), expected.init, where);
        assert.equal(segment.data.length, expected.size, where);
        // The payload is a view of the input at dataOffset, inside the data section.
        assert.equal(segment.data.buffer, bytes.buffer, where);
        assert.equal(segment.data.byteOffset - bytes.byteOffset, segment.dataOffset, where);
        assert.ok(
          segment.dataOffset >= data.start && segment.dataOffset + expected.size <= data.end,
        );
        assert.ok(Buffer.from(segment.data).equals(Buffer.from(expected.bytes)), `${where} bytes`);
      }
    });

    for (const pageSize of [4096, 65536]) {
      it(`plans what Wasmtime's rules give on objdump's segments (${pageSize}-byte pages)`, () => {
        const plan = planImages(module, { pageSize, denseLimit: DENSE_LIMIT });
        const refusal = expectedRefusal(dump);
        assert.equal(plan.segmentedBy?.code ?? null, refusal);
        assert.equal(plan.initialization, refusal ? "segmented" : "static");
        if (dump.segments.some((s) => s.init !== null && s.init.kind !== "const")) {
          assert.equal(plan.initialization, "segmented");
        }
        const importsMemory = dump.memories.some((m) => m.import);
        for (const [index, memory] of dump.memories.entries()) {
          const actual = plan.memories[index]!;
          const active = dump.segments.filter((s) => s.memory === index);
          assert.equal(actual.activeSegments, active.length);
          assert.equal(
            actual.dataBytes,
            active.reduce((n, s) => n + s.size, 0),
          );
          const image = expectedImage(dump, index, pageSize);
          if (image === null) assert.equal(actual.image, null);
          else {
            assert.ok(actual.image);
            const { offset, length, nonzeroPages, span, sha256 } = actual.image;
            assert.deepEqual({ offset, length, nonzeroPages, span, sha256 }, image);
          }
          const fits =
            image !== null && image.offset + BigInt(image.length) <= memory.initial * WASM_PAGE;
          const expectStatic =
            !refusal &&
            !memory.import &&
            !importsMemory &&
            image !== null &&
            image.length > 0 &&
            fits;
          assert.equal(actual.static, expectStatic, `memory ${index}`);
        }
      });
    }

    it("inspectModule: V8 accepts it and the report agrees with objdump", () => {
      assert.equal(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), true);
      const report = inspectModule(bytes, {
        fileName: real.file,
        pageSize: 4096,
        denseLimit: DENSE_LIMIT,
      });
      assert.equal(report.v8.valid, true);
      assert.equal(report.size, bytes.length);
      assert.equal(report.plan.segmentedBy, expectedRefusal(dump));
      assert.equal(report.dataSegments.length, dump.segments.length);
      for (const [i, expected] of dump.segments.entries()) {
        const offset = report.dataSegments[i]!.offset;
        const init = expected.init;
        if (init === null) assert.equal(offset, null);
        else if (init.kind === "const")
          assert.deepEqual(offset, { kind: "const", value: init.value });
        else if (init.kind === "global")
          assert.deepEqual(offset, { kind: "global", global: init.index });
        else assert.equal(offset?.kind, "expr");
      }
      for (const image of report.images) {
        const expected = expectedImage(dump, image.memory, 4096);
        assert.equal(image.sha256, expected?.sha256 ?? null);
      }
    });
  });
}

describe("the real-module set", () => {
  it("covers ~100,000 segments, tens of MB and a non-constant offset", async () => {
    const dumps = await Promise.all(REAL_MODULES.map(load));
    assert.ok(dumps.some(({ dump }) => dump.segments.length >= 90_000));
    assert.ok(dumps.some(({ bytes }) => bytes.length >= 30 * 1024 * 1024));
    assert.ok(dumps.some(({ dump }) => dump.segments.some((s) => s.init?.kind === "global")));
  });
});
