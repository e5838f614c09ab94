// The README's screenshots: runs the end-to-end theme scenario (test/e2e/themes.e2e.ts:
// the packaged extension in code-server, driven by Chromium, the editor cropped out of a
// 1280×800 window) and the engines scenario (test/e2e/engines.e2e.ts), and copies the
// light and dark overview, page map, stepper and strategies, the side-by-side engines and the
// large-module views (test/e2e/large.e2e.ts: Overview, Slot pool, Compare) into
// docs/screenshots/. Needs the package first: `npm run package`.
//
//   node --import tsx scripts/screenshots.ts            # run the scenario, then copy
//   node --import tsx scripts/screenshots.ts --no-run   # copy what the last e2e run saved

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { screenshotName, type ScreenshotView, type Theme } from "../test/e2e/harness/themes";
import { TEST_RESULTS } from "../test/e2e/harness/workbench";

const root = path.resolve(__dirname, "..");
const DOCS = path.join(root, "docs", "screenshots");
const THEMES: Theme["id"][] = ["light", "dark"];
const VIEWS: ScreenshotView[] = ["overview", "page-map", "stepper", "strategies"];
const SCENARIOS = ["themes.e2e.ts", "engines.e2e.ts", "large.e2e.ts"];
/** test-results/-relative names of the screenshots copied, each to its base name. */
const SCREENSHOTS = [
  ...THEMES.flatMap((theme) => VIEWS.map((view) => screenshotName(theme, view))),
  "screenshots/engines-side-by-side",
  "screenshots/large-overview",
  "screenshots/large-pool",
  "screenshots/large-compare",
];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  if (bytes.toString("latin1", 1, 4) !== "PNG" || bytes.toString("latin1", 12, 16) !== "IHDR") {
    throw new Error(`${file}: not a PNG`);
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function main(): void {
  const { values } = parseArgs({ options: { "no-run": { type: "boolean" } } });
  if (!values["no-run"]) {
    const test = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        "--test-concurrency=1",
        ...SCENARIOS.map((file) => path.join("test", "e2e", file)),
      ],
      { cwd: root, stdio: "inherit" },
    );
    if (test.status !== 0) throw new Error("a scenario failed: no screenshots copied");
  }
  mkdirSync(DOCS, { recursive: true });
  for (const name of SCREENSHOTS) {
    const source = path.join(TEST_RESULTS, `${name}.png`);
    if (!existsSync(source)) {
      throw new Error(`${source} is missing: run \`npm run test:e2e\` (or this without --no-run)`);
    }
    const { width, height } = pngSize(source);
    if (width < 800 || width > 1600 || height < 500 || height > 1000) {
      throw new Error(`${source}: ${width}×${height} is not an editor-sized screenshot`);
    }
    const target = path.join(DOCS, `${path.basename(name)}.png`);
    copyFileSync(source, target);
    const kib = (statSync(target).size / 1024).toFixed(0);
    console.log(`${path.relative(root, target)}: ${width}×${height}, ${kib} KiB`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
