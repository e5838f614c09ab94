// renderMarkdownReport (Export Report as Markdown): the report's integers, each in its
// place. The Markdown is parsed back (grouped digits, hex offsets, table columns by
// header) and compared with the inspection report it was made from.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import { inspectModule } from "../../extension/analysis/inspect";
import { renderComponentMarkdown, renderMarkdownReport } from "../../extension/cli/markdown-report";
import { inspectComponent } from "../../extension/analysis/inspect-component";
import { hex } from "../../common/format";
import { componentWat } from "../helpers/component-wat";
import { exampleModules, TWO_MEMORIES, type ExampleModule } from "../webview/harness/fixtures";
import type { InspectReport } from "../../common/report-types";

let modules: ExampleModule[];

before(async () => {
  modules = [...(await exampleModules()), TWO_MEMORIES];
});

/** "41,947,136" or "41947136" → 41947136n; badly grouped digits fail. */
function ungroup(text: string): bigint {
  assert.match(text, /^(\d+|\d{1,3}(,\d{3})+)$/, `"${text}" is not an integer`);
  return BigInt(text.replace(/,/g, ""));
}

/** The image table: one record per row, keyed by the header's column names. */
function imageTable(markdown: string): Record<string, string>[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^\|\s*memory\s*\|/.test(line));
  assert.ok(start >= 0, "no image table");
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim());
  const header = cells(lines[start]!);
  assert.match(lines[start + 1]!, /^\|(\s*-+\s*\|)+$/);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const values = cells(line);
    assert.equal(values.length, header.length, line);
    rows.push(Object.fromEntries(header.map((name, i) => [name, values[i]!])));
  }
  return rows;
}

/** The integer after `label` in a "- label …" bullet line. */
function bulletIntegers(markdown: string, bullet: string): bigint[] {
  const line = markdown.split("\n").find((l) => l.startsWith(`- ${bullet}`));
  assert.ok(line, `no "- ${bullet}" line`);
  return [...line.matchAll(/(?<![\w.,])\d+(?:,\d{3})*(?![\w.,]*\d)/g)].map((m) => ungroup(m[0]));
}

/** What CommonMark shows for backslash escapes of ASCII punctuation: the character. */
function commonMarkEscapesRead(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

function checkReport(report: InspectReport, markdown: string): void {
  assert.ok(markdown.includes(report.file), "file name");
  assert.ok(markdown.includes(report.sha256), "module sha256");
  assert.deepEqual(bulletIntegers(markdown, "size:"), [BigInt(report.size)]);
  assert.deepEqual(bulletIntegers(markdown, "plan:"), [
    BigInt(report.plan.pageSize),
    BigInt(report.plan.denseLimit),
  ]);
  const active = report.dataSegments.filter((s) => s.mode === "active").length;
  const passive = report.dataSegments.filter((s) => s.mode === "passive").length;
  assert.deepEqual(bulletIntegers(markdown, "data segments:"), [BigInt(active), BigInt(passive)]);

  const rows = imageTable(markdown);
  assert.equal(rows.length, report.memories.length);
  for (const memory of report.memories) {
    const row = rows.find((r) => r.memory === String(memory.index));
    assert.ok(row, `no row for memory ${memory.index}`);
    const image = report.images[memory.index]!;
    const where = `memory ${memory.index}`;
    const limits = row["limits (pages)"]!;
    const [min, max] = /^([\d,]+)\.\.([\d,]*)/.exec(limits)!.slice(1);
    assert.equal(ungroup(min!), memory.minPages, `${where} min`);
    assert.equal(max ? ungroup(max) : null, memory.maxPages, `${where} max`);
    if (memory.import) assert.ok(limits.includes(`${memory.import.module}.${memory.import.name}`));
    assert.equal(row["CoW image"], image.static ? "yes" : "no", where);
    assert.equal(row.reason, image.reason ?? "", where);
    assert.equal(row.offset ? BigInt(row.offset) : null, image.offset, `${where} offset`);
    assert.match(row.offset ?? "", /^(0x[0-9a-f]+)?$/);
    const length = row["length (bytes)"];
    assert.equal(length ? Number(ungroup(length)) : null, image.length, `${where} length`);
    assert.equal(Number(ungroup(row.pages!)), image.pages, `${where} pages`);
    assert.equal(Number(ungroup(row["non-zero pages"]!)), image.nonzeroPages, `${where} nonzero`);
    assert.equal(Number(ungroup(row["data bytes"]!)), image.dataBytes, `${where} data bytes`);
    if (image.sha256) {
      const prefix = /^`([0-9a-f]+)…`$/.exec(row.sha256!)?.[1];
      assert.ok(prefix && prefix.length >= 8 && image.sha256.startsWith(prefix), row.sha256);
    } else {
      assert.equal(row.sha256, "");
    }
    // Explanations and advice are escaped text: what a CommonMark reader shows is them.
    const shown = commonMarkEscapesRead(markdown);
    if (image.explanation) assert.ok(shown.includes(image.explanation), where);
    for (const advice of image.advice) assert.ok(shown.includes(advice), advice);
  }
}

test("the Markdown report carries the report's integers in their places", async (t) => {
  for (const example of modules) {
    for (const pageSize of [4096, 65536]) {
      await t.test(`${example.name}, ${pageSize}-byte pages`, () => {
        const report = inspectModule(example.bytes, {
          fileName: example.name,
          pageSize,
          denseLimit: DEFAULT_DENSE_LIMIT,
        });
        checkReport(report, renderMarkdownReport(report));
      });
    }
  }
});

test("a component's Markdown: its summary, then each core module's report under its path", () => {
  const bytes = componentWat(`(component $app
    (core module $small (memory 1) (data (i32.const 0) "s"))
    (core module $big (memory 2) (data (i32.const 0) "b") (data (i32.const 70000) "big"))
  )`);
  const report = inspectComponent(bytes, {
    fileName: "app.wasm",
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
  });
  const markdown = renderComponentMarkdown(report);
  const lines = markdown.split("\n");
  assert.equal(lines[0], '# Memory images of app.wasm (a component "app")');
  // Images: small's one page, big's 18 (0 to 70003); non-zero pages: small's, big's 0 and 17.
  assert.ok(
    lines.includes(
      `- 2 core modules; static images 76 KiB, 12 KiB of it in pages with a non-zero byte; the largest in component → module 1`,
    ),
  );
  const headings = lines.filter((line) => line.startsWith("## "));
  assert.deepEqual(headings, [
    `## component → module 0 "small": bytes ${hex(report.modules[0]!.offset)}..${hex(report.modules[0]!.offset + report.modules[0]!.length)} of the file`,
    `## component → module 1 "big": bytes ${hex(report.modules[1]!.offset)}..${hex(report.modules[1]!.offset + report.modules[1]!.length)} of the file`,
  ]);
  // Each module's own report follows, its title two levels down, its image table intact.
  const big = markdown.slice(markdown.indexOf(headings[1]!));
  assert.match(big, /^### Memory images of app\.wasm: component → module 1$/m);
  const [row] = imageTable(big);
  assert.equal(
    ungroup(row!["length (bytes)"]!),
    BigInt(report.modules[1]!.report.images[0]!.length!),
  );
});
