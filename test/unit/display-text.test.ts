// The one sanitiser of module-controlled text (common/display-text.ts), then the places it
// guards: `inspect`'s text report, its error lines, the Markdown report, `run`'s report.
// A hostile module's names clear the screen, retitle the terminal, forge `error:` lines,
// reorder text with bidi overrides, or break Markdown tables and inject HTML.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { displayLines, displayText, markdownText } from "../../common/display-text";
import { inspectModule } from "../../extension/analysis/inspect";
import { renderMarkdownReport } from "../../extension/cli/markdown-report";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import {
  codeSection,
  customSection,
  EXPORT_KIND,
  exportSection,
  funcBody,
  funcType,
  functionSection,
  importDesc,
  importEntry,
  importSection,
  module,
  nameSubsection,
  typeSection,
} from "../helpers/binary-builder";
import { captureCli } from "../helpers/cli-capture";

enableWasmFeatures();

const dir = mkdtempSync(path.join(tmpdir(), "wasm-cow-names-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const CLEAR_SCREEN = "\x1b[2J\x1b[H";
const RETITLE = "\x1b]0;pwned\x07";
const FORGED_LINE = "x\nerror: forged";
const BIDI = "abc\u202edcba";
const HTML_CELL = "<img src=x onerror=alert(1)>|cell";

/** Any character a terminal would act on, other than the line breaks of the report. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

describe("displayText", () => {
  test("control characters become escapes, text stays", () => {
    assert.equal(displayText("plain name_1.wasm ünïcødé 🦀"), "plain name_1.wasm ünïcødé 🦀");
    assert.equal(displayText(CLEAR_SCREEN), "\\x1b[2J\\x1b[H");
    assert.equal(displayText(RETITLE), "\\x1b]0;pwned\\x07");
    assert.equal(displayText(FORGED_LINE), "x\\x0aerror: forged");
    assert.equal(displayText("\t\r\0\x7f\x85"), "\\x09\\x0d\\x00\\x7f\\x85");
  });

  test("bidi controls, separators, BOM and lone surrogates become escapes", () => {
    assert.equal(displayText(BIDI), "abc\\u{202e}dcba");
    assert.equal(displayText("\u2066\u2069\u200f\u061c"), "\\u{2066}\\u{2069}\\u{200f}\\u{61c}");
    assert.equal(displayText("a\u2028b\ufeff"), "a\\u{2028}b\\u{feff}");
    assert.equal(
      displayText("lone \ud800 high, pair \ud83e\udd80"),
      "lone \\u{d800} high, pair 🦀",
    );
  });

  test("displayLines keeps the report's lines and escapes breaks inside them", () => {
    assert.equal(displayLines(["a", FORGED_LINE, ""]), "a\nx\\x0aerror: forged\n");
  });

  test("markdownText: no HTML, no table cells, no emphasis, no code spans", () => {
    assert.equal(markdownText(HTML_CELL), "\\<img src=x onerror=alert(1)\\>\\|cell");
    assert.equal(
      markdownText("a_b*c`d[e](f)#g~h&amp;\\"),
      "a\\_b\\*c\\`d\\[e\\](f)\\#g\\~h\\&amp;\\\\",
    );
    assert.equal(markdownText(CLEAR_SCREEN), "\\\\x1b\\[2J\\\\x1b\\[H");
  });
});

/** A module whose every name is hostile: custom section, imported memory, memory name. */
function hostileModule(): Uint8Array {
  return module(
    importSection(
      importEntry(`env${CLEAR_SCREEN}`, `mem${FORGED_LINE}`, importDesc.memory({ min: 1 })),
    ),
    customSection(RETITLE, [1, 2, 3]),
    // Name section, memory names (subsection 6): memory 0 gets a bidi override.
    customSection("name", nameSubsection(6, [[0, BIDI]])),
  );
}

describe("inspect on hostile names", () => {
  const file = path.join(dir, `hostile${RETITLE}.wasm`);
  writeFileSync(file, hostileModule());

  test("the text report shows every name escaped, on its own line", async () => {
    const run = await captureCli(["inspect", file]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    assert.ok(!run.stdout.split("\n").some((line) => line.startsWith("error:")), "no forged line");
    assert.match(run.stdout, /custom "\\x1b\]0;pwned\\x07"/);
    assert.match(run.stdout, /imported from env\\x1b\[2J\\x1b\[H\.memx\\x0aerror: forged/);
    assert.match(run.stdout, /memory 0 "abc\\u\{202e\}dcba"/);
  });

  test("--json keeps the exact names", async () => {
    const run = await captureCli(["inspect", file, "--json"]);
    const report = JSON.parse(run.stdout);
    assert.equal(report.memories[0].import.name, `mem${FORGED_LINE}`);
    assert.equal(report.memories[0].name, BIDI);
  });

  test("an error line that quotes a name stays one line", async () => {
    // Two exports of one name: V8 refuses the module and its message quotes the name.
    const bad = path.join(dir, "duplicate.wasm");
    writeFileSync(
      bad,
      module(
        typeSection(funcType()),
        functionSection(0),
        exportSection([FORGED_LINE, EXPORT_KIND.func, 0], [FORGED_LINE, EXPORT_KIND.func, 0]),
        codeSection(funcBody([], [0x0b])),
      ),
    );
    const run = await captureCli(["inspect", bad]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /^error: .*x\\x0aerror: forged/);
    assert.doesNotMatch(run.stderr, RAW_CONTROL);
  });

  test("the Markdown report keeps its table and carries no HTML", () => {
    const markdown = renderMarkdownReport(
      inspectModule(
        module(
          importSection(importEntry("env", HTML_CELL, importDesc.memory({ min: 1 }))),
          customSection(RETITLE, []),
        ),
        { fileName: `<b>${CLEAR_SCREEN}</b>.wasm`, pageSize: 4096, denseLimit: 16 << 20 },
      ),
    );
    assert.doesNotMatch(markdown, /(?<!\\)<(img|b)/, "every < is escaped");
    assert.match(markdown, /\\<img src=x onerror=alert\(1\)\\>\\\|cell/);
    assert.doesNotMatch(markdown, RAW_CONTROL);
    const rows = markdown.split("\n").filter((line) => line.startsWith("| "));
    const columns = (line: string) => line.split(/(?<!\\)\|/).length;
    assert.equal(new Set(rows.map(columns)).size, 1, "every row has the header's columns");
  });
});

describe("run on a hostile export name", () => {
  test("the step line escapes the name", { timeout: 60_000 }, async () => {
    const exportName = `f${CLEAR_SCREEN}`;
    const file = path.join(dir, "hostile-export.wasm");
    writeFileSync(
      file,
      module(
        typeSection(funcType()),
        functionSection(0),
        exportSection([exportName, EXPORT_KIND.func, 0]),
        codeSection(funcBody([], [0x0b])),
      ),
    );
    const run = await captureCli(["run", file, "--invoke", exportName]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    assert.match(run.stdout, /invoke f\\x1b\[2J\\x1b\[H/);
  });
});
