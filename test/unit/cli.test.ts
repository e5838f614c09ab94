// `wasm-cow inspect` in-process through runCli (options, JSON fields, exit codes and
// the one-line errors), plus one run of the built dist/cli.js for the real process.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { captureCli, type CliRun } from "../helpers/cli-capture";
import {
  VALTYPE,
  activeData,
  codeSection,
  dataSection,
  funcBody,
  funcType,
  functionSection,
  i32Offset,
  importDesc,
  importEntry,
  importSection,
  indexOfBytes,
  memorySection,
  module,
  nameSection,
  passiveData,
  typeSection,
} from "../helpers/binary-builder";

enableWasmFeatures();

const root = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function cli(...argv: string[]): Promise<CliRun> {
  return captureCli(argv);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function inspectJson(...argv: string[]): Promise<Json> {
  const run = await cli("inspect", ...argv, "--json");
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  return JSON.parse(run.stdout);
}

const ONE_LINE_ERROR = /^error: .+: .+ \(at byte 0x[0-9a-f]+\)$/;

// A valid single-memory module: "hello" at 1024, a passive segment, and [0, b7, b8]
// at 70000, with data-segment names.
const HELLO = [0x68, 0x65, 0x6c, 0x6c, 0x6f];
const PASSIVE = [0xa1, 0xa2, 0xa3];
const TAIL = [0x00, 0xb7, 0xb8];
const simpleBytes = module(
  memorySection({ min: 2, max: 10 }),
  dataSection(
    activeData(i32Offset(1024), HELLO),
    passiveData(PASSIVE),
    activeData(i32Offset(70_000), TAIL),
  ),
  nameSection({
    data: [
      [0, ".rodata"],
      [2, ".data"],
    ],
  }),
);
const simple = fixture("simple.wasm", simpleBytes);

describe("inspect --json", () => {
  test("the module as a whole", async () => {
    assert.equal(WebAssembly.validate(simpleBytes), true, "fixture is valid for V8");
    const report = await inspectJson(simple);
    assert.equal(report.file, simple);
    assert.equal(report.size, simpleBytes.length);
    assert.equal(report.sha256, createHash("sha256").update(simpleBytes).digest("hex"));
  });

  test("memories", async () => {
    assert.deepEqual(
      (await inspectJson(simple)).memories.map((m: Json) => ({
        index: m.index,
        imported: m.imported,
        import: m.import,
        minPages: m.minPages,
        maxPages: m.maxPages,
        shared: m.shared,
        memory64: m.memory64,
        pageSizeLog2: m.pageSizeLog2,
      })),
      [
        {
          index: 0,
          imported: false,
          import: null,
          minPages: 2,
          maxPages: 10,
          shared: false,
          memory64: false,
          pageSizeLog2: 16,
        },
      ],
    );
  });

  test("memory flags: shared, imported, memory64, custom page size", async () => {
    const bytes = module(
      importSection(importEntry("env", "shm", importDesc.memory({ min: 1, max: 2, shared: true }))),
      memorySection({ min: 1, max: 1n << 48n, memory64: true }, { min: 3, pageSizeLog2: 0 }),
    );
    const report = await inspectJson(fixture("flags.wasm", bytes));
    assert.deepEqual(
      report.memories.map((m: Json) => [
        m.index,
        m.imported,
        m.import,
        m.minPages,
        m.maxPages,
        m.shared,
        m.memory64,
        m.pageSizeLog2,
      ]),
      [
        [0, true, { module: "env", name: "shm" }, 1, 2, true, false, 16],
        [1, false, null, 1, 2 ** 48, false, true, 16],
        [2, false, null, 3, null, false, false, 0],
      ],
    );
  });

  test("data segments", async () => {
    assert.deepEqual(
      (await inspectJson(simple)).dataSegments.map((s: Json) => ({
        index: s.index,
        mode: s.mode,
        memory: s.memory,
        offset: s.offset,
        size: s.size,
        fileOffset: s.fileOffset,
        name: s.name,
      })),
      [
        {
          index: 0,
          mode: "active",
          memory: 0,
          offset: { kind: "const", value: 1024 },
          size: 5,
          fileOffset: indexOfBytes(simpleBytes, HELLO),
          name: ".rodata",
        },
        {
          index: 1,
          mode: "passive",
          memory: null,
          offset: null,
          size: 3,
          fileOffset: indexOfBytes(simpleBytes, PASSIVE),
          name: null,
        },
        {
          index: 2,
          mode: "active",
          memory: 0,
          offset: { kind: "const", value: 70_000 },
          size: 3,
          fileOffset: indexOfBytes(simpleBytes, TAIL),
          name: ".data",
        },
      ],
    );
  });

  test("images, by hand: bytes 1024..1028 and 70001..70002 at 4 KiB pages", async () => {
    // First non-zero byte 1024 → offset 0; last 70002 → end 18 × 4096 = 73728.
    const image = new Uint8Array(73_728);
    image.set(HELLO, 1024);
    image.set(TAIL, 70_000);
    const [json] = (await inspectJson(simple)).images;
    assert.deepEqual(
      {
        memory: json.memory,
        static: json.static,
        reason: json.reason,
        offset: json.offset,
        length: json.length,
        pages: json.pages,
        nonzeroPages: json.nonzeroPages,
        dataBytes: json.dataBytes,
        sha256: json.sha256,
      },
      {
        memory: 0,
        static: true,
        reason: null,
        offset: 0,
        length: 73_728,
        pages: 18,
        nonzeroPages: 2,
        dataBytes: 8,
        sha256: createHash("sha256").update(image).digest("hex"),
      },
    );
  });

  test("integers are plain JSON numbers", async () => {
    const report = await inspectJson(simple);
    const integers = [
      report.size,
      ...report.memories.flatMap((m: Json) => [m.index, m.minPages, m.maxPages, m.pageSizeLog2]),
      ...report.dataSegments.flatMap((s: Json) => [
        s.index,
        s.size,
        s.fileOffset,
        s.offset?.value ?? 0,
      ]),
      ...report.images.flatMap((i: Json) => [
        i.memory,
        i.offset,
        i.length,
        i.pages,
        i.nonzeroPages,
        i.dataBytes,
      ]),
    ];
    for (const value of integers)
      assert.ok(Number.isSafeInteger(value), `${JSON.stringify(value)}`);
  });

  test("--page-size 16384 changes the alignment", async () => {
    // One byte at 30000: 4 KiB pages → [28672, +4096); 16 KiB pages → [16384, +16384).
    const bytes = module(
      memorySection({ min: 1 }),
      dataSection(activeData(i32Offset(30_000), [1])),
    );
    const file = fixture("aligned.wasm", bytes);
    const at = async (...options: string[]) => {
      const [image] = (await inspectJson(file, ...options)).images;
      return [image.offset, image.length, image.pages];
    };
    assert.deepEqual(await at(), [28_672, 4096, 1]);
    assert.deepEqual(await at("--page-size", "16384"), [16_384, 16_384, 1]);
    assert.deepEqual(await at("--page-size", "65536"), [0, 65_536, 1]);
  });

  test("--dense-limit flips a sparse module to static", async () => {
    // Two bytes 16 MiB apart: span 16 MiB + 1, not below the default 16 MiB limit.
    const span = 16 * 1024 * 1024 + 1;
    const bytes = module(
      memorySection({ min: 257 }),
      dataSection(activeData(i32Offset(0), [1]), activeData(i32Offset(span - 1), [2])),
    );
    const file = fixture("sparse.wasm", bytes);
    const sparse = await inspectJson(file);
    assert.equal(sparse.images[0].static, false);
    assert.equal(sparse.images[0].reason, "too-sparse");
    assert.equal((await inspectJson(file, "--dense-limit", String(span))).images[0].static, false);
    const dense = await inspectJson(file, "--dense-limit", String(span + 1));
    assert.equal(dense.images[0].static, true);
    assert.equal(dense.plan.initialization, "static");
  });

  test("--pages adds a page map", async () => {
    // Pages of 4 KiB: 1024 → page 0 (segment 0), 70000 → page 17 (segment 2).
    const [plain] = (await inspectJson(simple)).images;
    assert.equal(plain.pageMap, undefined);
    const [image] = (await inspectJson(simple, "--pages")).images;
    assert.equal(image.pageMap.length, 18);
    image.pageMap.forEach((page: Json, i: number) => {
      const expected = i === 0 ? [true, [0]] : i === 17 ? [true, [2]] : [false, [] as number[]];
      assert.deepEqual(
        [page.page, page.address, page.nonzero, page.segments],
        [i, i * 4096, ...expected],
        `page ${i}`,
      );
    });
  });
});

describe("text output", () => {
  test("the default report", async () => {
    const run = await cli("inspect", simple);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /CoW image: yes/);
    assert.ok(!run.stdout.startsWith("{"), "not JSON");
  });

  test("--pages on a static image of 131,073 pages (512 MiB + 1 page): one line per page", async () => {
    const large = fixture(
      "large-image.wasm",
      module(
        memorySection({ min: 8200 }),
        dataSection(activeData(i32Offset(0), [1]), activeData(i32Offset(512 * 1024 * 1024), [2])),
      ),
    );
    for (const json of [false, true]) {
      const run = await cli(
        "inspect",
        large,
        "--pages",
        "--dense-limit",
        "1073741824",
        ...(json ? ["--json"] : []),
      );
      assert.equal(run.code, 0, run.stderr.slice(0, 500));
      if (json) {
        const pages = JSON.parse(run.stdout).images[0].pageMap;
        assert.equal(pages.length, 131_073);
        assert.deepEqual(pages.at(-1).segments, [1]);
      } else {
        const lines = run.stdout.split("\n").filter((line) => /^ +\d+ +0x/.test(line));
        assert.equal(lines.length, 131_073);
        assert.match(lines.at(-1)!, /^ +131072 +0x20000000 +yes +1$/);
      }
    }
  });
});

describe("exit codes and errors", () => {
  const usage = async (...argv: string[]) => {
    const run = await cli(...argv);
    assert.equal(run.code, 2, `${argv.join(" ")}: ${run.stderr}`);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /usage: wasm-cow inspect/);
  };

  test("usage errors exit with 2", async () => {
    await usage();
    await usage("inspect");
    await usage("inspect", simple, simple);
    await usage("inspect", simple, "--page-size", "1000");
    await usage("inspect", simple, "--page-size", "4k");
    await usage("inspect", simple, "--dense-limit", "-1");
    await usage("inspect", simple, "--frobnicate");
    await usage("frobnicate", simple);
  });

  test("--help prints the usage and succeeds", async () => {
    const run = await cli("--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /usage: wasm-cow inspect/);
  });

  const malformed = async (name: string, bytes: Uint8Array, offset: number) => {
    const file = fixture(name, bytes);
    const run = await cli("inspect", file, "--json");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.split("\n").length, 1, run.stderr);
    assert.match(run.stderr, ONE_LINE_ERROR);
    assert.ok(run.stderr.startsWith(`error: ${file}: `), run.stderr);
    assert.ok(run.stderr.endsWith(`(at byte 0x${offset.toString(16)})`), run.stderr);
  };

  test("a malformed file: exit 1, one line naming the byte", async () => {
    await malformed("version.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 4);
    // A truncated file: the data section's size runs past the end, reported at the
    // section's id byte.
    const data = dataSection(activeData(i32Offset(0), [1, 2]));
    const whole = module(memorySection({ min: 1 }), data);
    await malformed(
      "truncated.wasm",
      whole.subarray(0, whole.length - 1),
      whole.length - data.length,
    );
  });

  /** V8's own verdict, as the expected message and offset. */
  function v8Rejection(bytes: Uint8Array<ArrayBuffer>): { message: string; offset: number } {
    try {
      new WebAssembly.Module(bytes);
    } catch (error) {
      const match = /^WebAssembly\.Module\(\): (.*) @\+(\d+)$/.exec((error as Error).message);
      assert.ok(match, (error as Error).message);
      return { message: match[1]!, offset: Number(match[2]) };
    }
    return assert.fail("V8 accepted the module");
  }

  const invalid = async (name: string, bytes: Uint8Array<ArrayBuffer>) => {
    const { message, offset } = v8Rejection(bytes);
    const file = fixture(name, bytes);
    const run = await cli("inspect", file);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      `error: ${file}: invalid module: ${message} (at byte 0x${offset.toString(16)})`,
    );
    assert.match(run.stderr, ONE_LINE_ERROR);
  };

  test("a module V8 rejects: a function body with a type error", async () => {
    await invalid(
      "type-error.wasm",
      module(
        typeSection(funcType([], [VALTYPE.i32])),
        functionSection(0),
        codeSection(funcBody([], [0x42, 0x00, 0x0b])), // i64.const 0 where i32 is due
      ),
    );
  });

  test("a module V8 rejects: an i64 data offset on a 32-bit memory", async () => {
    await invalid(
      "offset-type.wasm",
      module(memorySection({ min: 1 }), dataSection(activeData([0x42, 0x00, 0x0b], [1]))),
    );
  });

  test("a missing file: exit 1", async () => {
    const file = path.join(dir, "missing.wasm");
    const run = await cli("inspect", file);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.split("\n").length, 1);
    assert.ok(run.stderr.startsWith(`error: ${file}: `), run.stderr);
  });
});

describe("the built CLI", () => {
  test("dist/cli.js: exit codes and streams of the real process", () => {
    const bin = path.join(root, "dist/cli.js");
    assert.ok(existsSync(bin), `${bin} is missing: run \`npm run build\` before the tests`);
    const run = (...argv: string[]) =>
      spawnSync(process.execPath, [bin, ...argv], { encoding: "utf8", timeout: 30_000 });

    const ok = run("inspect", simple, "--json");
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stderr, "");
    assert.equal(JSON.parse(ok.stdout).images[0].length, 73_728);

    const bad = run(
      "inspect",
      fixture("bin-bad.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])),
    );
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, "");
    assert.ok(bad.stderr.endsWith("\n"));
    const lines = bad.stderr.slice(0, -1).split("\n");
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0]!, ONE_LINE_ERROR);

    const usage = run("inspect");
    assert.equal(usage.status, 2);
    assert.equal(usage.stdout, "");
    assert.match(usage.stderr, /usage: wasm-cow inspect/);
  });
});
