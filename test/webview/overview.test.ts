// The Overview in Chromium, fed with real analysis output: every value it shows under a
// `data-field` equals the CLI's JSON (`wasm-cow inspect --json`) for that field; it is
// accessible in the three theme kinds, keyboard-reachable, and its Export buttons post.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { captureCli } from "../helpers/cli-capture";
import {
  exampleModules,
  LEGACY_EXCEPTIONS,
  TWO_MEMORIES,
  type ExampleModule,
} from "./harness/fixtures";
import { reportMessage } from "./harness/messages";
import { THEMES } from "./harness/theme";
import {
  formatAxe,
  startHarness,
  type WebviewHarness,
  type WebviewPage,
} from "./harness/webview-harness";

/** Fields whose display is not the JSON value itself: what the text must say. */
type Check = (text: string, report: CliJson, index: number) => void;
type CliJson = Record<string, unknown> & {
  wasmtime: { compiles: boolean | null; reason: string | null };
  v8: { valid: boolean | null; message: string | null };
  features: { feature: string }[];
  dataSegments: { mode: string }[];
  memories: {
    minPages: number;
    maxPages: number | null;
    pageSizeLog2: number;
    memory64: boolean;
    shared: boolean;
    imported: boolean;
    import: { module: string; name: string } | null;
  }[];
  images: { static: boolean }[];
};

const DERIVED: [RegExp, Check][] = [
  [
    /^activeSegments$/,
    (text, report) =>
      assert.equal(text, String(report.dataSegments.filter((s) => s.mode === "active").length)),
  ],
  [
    /^wasmtime\.compiles$/,
    (text, report) => {
      const { compiles, reason } = report.wasmtime;
      const lead =
        compiles === true ? "compiles" : compiles === false ? "CANNOT COMPILE: " : "unknown: ";
      assert.ok(text.startsWith(lead), text);
      if (reason !== null) assert.ok(text.includes(reason), text);
    },
  ],
  [
    /^features$/,
    (text, report) =>
      assert.equal(
        text,
        report.features.map((use) => use.feature).join(", ") || "none beyond Wasm 1.0",
      ),
  ],
  [
    /^v8\.valid$/,
    (text, report) => {
      if (report.v8.valid === true) assert.match(text, /^valid\b/);
      else assert.ok(text.includes(report.v8.message ?? ""), text);
    },
  ],
  [
    /^images\.(\d+)\.static$/,
    (text, report, i) => assert.equal(text, report.images[i]!.static ? "yes" : "no"),
  ],
  [
    /^memories\.(\d+)\.limits$/,
    (text, report, i) => {
      const memory = report.memories[i]!;
      const numbers = text.match(/\d+/g)!.map(Number);
      assert.equal(numbers[0], memory.minPages, text);
      if (memory.maxPages !== null) assert.equal(numbers[1], memory.maxPages, text);
      assert.ok(numbers.includes(2 ** memory.pageSizeLog2), text);
    },
  ],
  [
    /^memories\.(\d+)\.kind$/,
    (text, report, i) => {
      const memory = report.memories[i]!;
      assert.equal(text.includes("64-bit"), memory.memory64, text);
      assert.equal(text.includes("shared"), memory.shared, text);
      assert.equal(text.includes("imported"), memory.imported, text);
      if (memory.import) assert.ok(text.includes(`${memory.import.module}.${memory.import.name}`));
    },
  ],
];

/** Integers the issue asks the Overview to show, per memory. */
const REQUIRED_IMAGE_FIELDS = ["offset", "length", "pages", "nonzeroPages", "dataBytes"];

interface Fixture extends ExampleModule {
  cli: CliJson;
}

let harness: WebviewHarness;
let fixtures: Fixture[];
let scratch: string;

before(async () => {
  harness = await startHarness();
  scratch = mkdtempSync(path.join(tmpdir(), "wasm-cow-overview-"));
  // The CLI reads files: the hand-built modules go to a scratch directory.
  const extra = [TWO_MEMORIES, LEGACY_EXCEPTIONS].map((m) => ({
    ...m,
    path: path.join(scratch, m.name),
  }));
  for (const m of extra) writeFileSync(m.path, m.bytes);
  const modules = [...(await exampleModules()), ...extra];
  fixtures = [];
  for (const example of modules) {
    const run = await captureCli(["inspect", example.path, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    fixtures.push({ ...example, cli: JSON.parse(run.stdout) as CliJson });
  }
});

after(async () => {
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function openOverview(fixture: Fixture, theme: (typeof THEMES)[number]) {
  const view = await harness.openWebview({ theme });
  await view.start({ report: reportMessage(fixture.bytes, { fileName: fixture.name }) });
  await view.page.locator("[data-field]").first().waitFor();
  return view;
}

function resolve(json: unknown, field: string): unknown {
  let value: unknown = json;
  for (const part of field.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function assertClean(view: WebviewPage): void {
  assert.deepEqual(view.cspViolations(), []);
  assert.deepEqual(view.collectConsoleErrors(), []);
}

test("every data-field of the Overview equals the CLI's JSON", async (t) => {
  for (const fixture of fixtures) {
    await t.test(fixture.name, async () => {
      const view = await openOverview(fixture, "dark");
      const shown = await view.page
        .locator("[data-field]")
        .evaluateAll((elements) =>
          elements.map(
            (e) =>
              [
                e.getAttribute("data-field")!,
                e.getAttribute("data-value") ?? e.textContent!.trim(),
              ] as const,
          ),
        );
      const fields = new Set(shown.map(([field]) => field));
      for (const [field, text] of shown) {
        const derived = DERIVED.find(([pattern]) => pattern.test(field));
        if (derived) {
          const index = Number(derived[0].exec(field)![1] ?? -1);
          derived[1](text, fixture.cli, index);
          continue;
        }
        const value = resolve(fixture.cli, field);
        assert.ok(value !== undefined, `${field} has no counterpart in the CLI's JSON`);
        assert.ok(typeof value !== "object" || value === null, `${field} is not a scalar`);
        assert.equal(text, value === null ? "—" : String(value), field);
      }
      for (const memory of fixture.cli.memories.keys()) {
        for (const name of REQUIRED_IMAGE_FIELDS) {
          assert.ok(fields.has(`images.${memory}.${name}`), `images.${memory}.${name} missing`);
        }
      }
      for (const field of ["size", "activeSegments", "passiveSegments", "sections.length"]) {
        assert.ok(fields.has(field), `${field} missing`);
      }
      assertClean(view);
      await view.close();
    });
  }
});

// A static image, a refused one with advice, two memories (one imported, V8-invalid), a
// module Wasmtime refuses to compile, and one whose picture has regions.
const AXE_FIXTURES = [
  "stack-first.wasm",
  "regions.wasm",
  "sparse.wasm",
  "two-memories.wasm",
  "legacy-exceptions.wasm",
];

test("axe finds no violations in light, dark and high-contrast", async (t) => {
  for (const theme of THEMES) {
    for (const fixture of fixtures.filter((f) => AXE_FIXTURES.includes(f.name))) {
      await t.test(`${theme}: ${fixture.name}`, async () => {
        const view = await openOverview(fixture, theme);
        const violations = await view.checkAxe();
        assert.deepEqual(violations, [], formatAxe(violations));
        assertClean(view);
        await view.close();
      });
    }
  }
});

test("a module Wasmtime refuses says so before anything else, with advice", async () => {
  const fixture = fixtures.find((f) => f.name === LEGACY_EXCEPTIONS.name)!;
  assert.equal(fixture.cli.wasmtime.compiles, false);
  const view = await openOverview(fixture, "light");
  const first = view.page.locator('section[aria-label="Overview"] > :nth-child(2)');
  assert.equal(await first.getAttribute("aria-label"), "Wasmtime verdict");
  const text = (await first.textContent())!;
  assert.match(
    text,
    /^Wasmtime 49\.0\.0 cannot compile this module\. uses legacy-exceptions \(`try` in function 0 at byte 0x/,
  );
  assert.match(text, /what Wasmtime would map if it compiled/);
  assert.match(text, /-sWASM_LEGACY_EXCEPTIONS=0/);
  const label = await view.page.locator("dt", { hasText: "what Wasmtime would map" }).count();
  assert.equal(label, 1, "the memory's image fact is labelled as hypothetical");
  assertClean(view);
  await view.close();
});

test("Tab reaches the buttons, and the Export buttons post exportReport", async () => {
  const view = await openOverview(
    fixtures.find((f) => f.name === "sparse.wasm")!,
    "light",
  );
  const reached: string[] = [];
  for (let i = 0; i < 40 && !reached.includes("Compare with…"); i++) {
    await view.page.keyboard.press("Tab");
    const focused = await view.focused();
    if (focused?.tag === "vscode-button") reached.push(focused.label);
  }
  assert.deepEqual(reached, ["Export JSON", "Export Markdown", "Compare with…"]);

  // Back to Export JSON and Export Markdown, activated by the keyboard.
  await view.page.keyboard.press("Shift+Tab");
  await view.page.keyboard.press("Shift+Tab");
  assert.equal((await view.focused())?.label, "Export JSON");
  await view.page.keyboard.press("Enter");
  await view.page.keyboard.press("Tab");
  await view.page.keyboard.press("Space");
  // And by the mouse.
  await view.page.getByRole("button", { name: "Export JSON" }).click();

  await view.waitForPosted((m) => m.type === "exportReport" && m.format === "markdown");
  const exports = (await view.posted()).filter((m) => m.type === "exportReport");
  assert.deepEqual(exports, [
    { type: "exportReport", format: "json" },
    { type: "exportReport", format: "markdown" },
    { type: "exportReport", format: "json" },
  ]);
  assertClean(view);
  await view.close();
});
