// `wasm-cow diff` and `wasm-cow inspect --baseline` in-process: the figures per memory, the
// --fail-if rules and exit codes, the three output forms, and stored reports standing in
// for a module. Expected figures are worked out by hand from the modules below (4 KiB
// target pages).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { captureCli, type CliRun } from "../helpers/cli-capture";
import {
  activeData,
  constExpr,
  dataSection,
  i32Offset,
  importDesc,
  importEntry,
  importSection,
  memorySection,
  module,
  op,
  VALTYPE,
} from "../helpers/binary-builder";

enableWasmFeatures();

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-diff-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const cli = (...argv: string[]): Promise<CliRun> => captureCli(argv);

// OLD: "hello" at 1024 and [1, 2, 3] at 8192: image pages 0–2 (12,288 bytes), pages 0 and 2
// non-zero, 8 data bytes.
const OLD_SEGMENTS = [
  activeData(i32Offset(1024), [0x68, 0x65, 0x6c, 0x6c, 0x6f]),
  activeData(i32Offset(8192), [1, 2, 3]),
];
const OLD = fixture("old.wasm", module(memorySection({ min: 2 }), dataSection(...OLD_SEGMENTS)));
// NEW: OLD plus [9] at 20000 (page 4): pages 0–4 (20,480 bytes), 3 non-zero, 9 data bytes.
const NEW = fixture(
  "new.wasm",
  module(
    memorySection({ min: 2 }),
    dataSection(...OLD_SEGMENTS, activeData(i32Offset(20_000), [9])),
  ),
);
// PIC: the segment's offset comes from an imported global, so no static image.
const PIC = fixture(
  "pic.wasm",
  module(
    importSection(importEntry("env", "base", importDesc.global(VALTYPE.i32))),
    memorySection({ min: 2 }),
    dataSection(activeData(constExpr(op.globalGet(0)), [1])),
  ),
);

async function stored(file: string, ...flags: string[]): Promise<string> {
  const run = await cli("inspect", file, "--json", ...flags);
  assert.equal(run.code, 0, run.stderr);
  return fixture(`${path.basename(file)}${flags.join("")}.json`, run.stdout);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function diffJson(...argv: string[]): Promise<Json> {
  const run = await cli("diff", ...argv, "--json");
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe("wasm-cow diff", () => {
  test("per memory the image before and after, with signed changes", async () => {
    const run = await cli("diff", OLD, NEW);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split("\n").map((line) => line.trim().split(/ {2,}/));
    const row = (label: string): string[] => rows.find((cells) => cells[0] === label)!.slice(1);
    assert.deepEqual(row("static image"), ["yes", "yes", "same"]);
    assert.deepEqual(row("image offset"), ["0x0", "0x0", "same"]);
    assert.deepEqual(row("image bytes"), ["12,288", "20,480", "+8,192 (+66.7%)"]);
    assert.deepEqual(row("image pages"), ["3", "5", "+2 (+66.7%)"]);
    assert.deepEqual(row("non-zero pages"), ["2", "3", "+1 (+50.0%)"]);
    assert.deepEqual(row("data bytes"), ["8", "9", "+1 (+12.5%)"]);
    assert.match(run.stdout, /^data segments: 1 changed, 2 unchanged$/m);
  });

  test("the JSON lists every difference in address order", async () => {
    const json = await diffJson(OLD, NEW);
    assert.deepEqual(
      json.differences.map((d: Json) => [d.kind, d.firstPage, d.endPage]),
      [
        ["image", 0, 5],
        // Page 3 was outside the image and is a zero page of it now; page 4 (from 0x4000)
        // holds data now, and the added segment starts inside it, at 20,000.
        ["pages", 3, 4],
        ["pages", 4, 5],
        ["segment", 4, 5],
      ],
    );
    assert.deepEqual(
      json.segments.map((s: Json) => [s.kind, s.right.index, s.right.start, s.right.size]),
      [["added", 2, 20_000, 1]],
    );
    assert.equal(json.memories[0].marked, undefined, "no per-page markers in the JSON");
  });

  test("--fail-if rules: growth in units or percent, static-lost; exit 4 when broken", async () => {
    const cases: [string, boolean, string][] = [
      ["image-bytes>8192", false, "held"],
      ["image-bytes>8191", true, "memory 0 grew by 8,192 bytes (66.7%: 12,288 → 20,480)"],
      ["image-pages>66.7%", false, "held"],
      ["image-pages>66.6%", true, "memory 0 grew by 2 pages (66.7%: 3 → 5)"],
      ["nonzero-pages>0", true, "memory 0 grew by 1 non-zero pages (50.0%: 2 → 3)"],
      ["data-bytes>1", false, "held"],
      ["static-lost", false, "held"],
    ];
    for (const [rule, broken, detail] of cases) {
      const run = await cli("diff", OLD, NEW, "--fail-if", rule);
      assert.equal(run.code, broken ? 4 : 0, rule);
      assert.ok(
        run.stdout.includes(`${broken ? "FAILED" : "passed"} ${rule}: ${detail}`),
        `${rule}:\n${run.stdout}`,
      );
    }
    const lost = await cli("diff", OLD, PIC, "--fail-if", "static-lost");
    assert.equal(lost.code, 4);
    assert.match(lost.stdout, /FAILED static-lost: memory 0 lost its static image \(\S+\)/);
    // Shrinking breaks no growth rule.
    assert.equal((await cli("diff", NEW, OLD, "--fail-if", "image-bytes>0")).code, 0);
  });

  test("Markdown for a CI job summary: verdicts first, a table per memory", async () => {
    const run = await cli("diff", OLD, NEW, "--markdown", "--fail-if", "image-pages>1");
    assert.equal(run.code, 4);
    const lines = run.stdout.split("\n");
    assert.match(lines[0]!, /^# Memory layout: .*old\.wasm → .*new\.wasm$/);
    assert.ok(lines.includes("- FAILED image-pages\\>1: memory 0 grew by 2 pages (66.7%: 3 → 5)"));
    assert.ok(lines.includes("|  | before | after | change |"));
    assert.ok(lines.includes("| image bytes | 12,288 | 20,480 | +8,192 (+66.7%) |"));
  });

  test("a stored report (inspect --json --pages) stands in for its module", async () => {
    const oldReport = await stored(OLD, "--pages");
    const fromModules = await diffJson(OLD, NEW);
    const fromReport = await diffJson(oldReport, NEW);
    assert.deepEqual({ ...fromReport, left: null }, { ...fromModules, left: null });
    const same = await diffJson(oldReport, OLD);
    assert.deepEqual(same.differences, []);
    // inspect --baseline is the same diff.
    const baseline = await cli("inspect", NEW, "--baseline", oldReport, "--json");
    assert.equal(baseline.code, 0, baseline.stderr);
    assert.deepEqual(JSON.parse(baseline.stdout), fromReport);
  });

  test("a module is planned at the stored report's page size unless told otherwise", async () => {
    const report16k = await stored(OLD, "--pages", "--page-size", "16384");
    const json = await diffJson(report16k, NEW);
    assert.equal(json.pageSize, 16_384);
    // NEW's last byte (20,000) is on the second 16 KiB page.
    assert.deepEqual(json.memories[0].pages, { left: 1, right: 2, delta: 1, changed: true });
    const mismatch = await cli("diff", report16k, NEW, "--page-size", "4096");
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /different page sizes \(16384 and 4096\)/);
  });

  test("a side that cannot be read: exit 1 with the file and the reason", async () => {
    const withoutPages = await stored(OLD);
    const cases: [string, RegExp][] = [
      [
        withoutPages,
        /has no page map for memory 0's image: write it with `wasm-cow inspect --json --pages`/,
      ],
      [
        fixture("empty-object.json", "{}"),
        /is not a report of `wasm-cow inspect --json`: it has no plan\.pageSize/,
      ],
      [fixture("broken.json", "{"), /broken\.json: .*JSON/],
      [path.join(dir, "missing.json"), /missing\.json: ENOENT/],
      [
        fixture("truncated.wasm", new Uint8Array([0, 0x61, 0x73])),
        /truncated\.wasm: .*\(at byte 0x[0-9a-f]+\)/,
      ],
    ];
    for (const [file, message] of cases) {
      const run = await cli("diff", file, NEW);
      assert.equal(run.code, 1, file);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, message);
    }
  });

  test("usage errors exit 2", async () => {
    const cases: string[][] = [
      ["diff", OLD],
      ["diff", OLD, NEW, NEW],
      ["diff", OLD, NEW, "--json", "--markdown"],
      ["diff", OLD, NEW, "--fail-if", "image-bytes>>1"],
      ["diff", OLD, NEW, "--fail-if", "heap-bytes>1"],
      ["diff", OLD, NEW, "--page-size", "1000"],
      ["inspect", OLD, "--fail-if", "static-lost"],
      ["inspect", OLD, "--markdown"],
    ];
    for (const argv of cases) {
      const run = await cli(...argv);
      assert.equal(run.code, 2, argv.join(" "));
      assert.match(run.stderr, /^error: /, argv.join(" "));
    }
  });
});
