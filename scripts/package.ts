// `npm run package`: the platform-specific .vsix (linux-x64: it carries a compiled Linux
// addon) built with @vscode/vsce from the webpack bundles. `.vscodeignore` decides what goes
// in; this script then reads the archive back and fails if anything outside the allowed set
// slipped in, if a file the extension loads at run time is missing, or if it is too big.

import { createVSIX, listFiles, PackageManager } from "@vscode/vsce";
import { closeSync, openSync, readSync, readFileSync, statSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const TARGET = "linux-x64";
const BUDGET_BYTES = 5 * 1024 * 1024;

/** Files the extension opens at run time (see extension/runner/package-root.ts). */
const REQUIRED = [
  "extension/package.json",
  "extension/dist/extension.js",
  "extension/dist/runner.js",
  "extension/dist/lab-worker.js",
  "extension/dist/analysis-worker.js",
  "extension/dist/webview.js",
  "extension/dist/webview.css",
  "extension/build/Release/wasm_cow_native.node",
  "extension/media/icon.png",
  "extension/readme.md",
  "extension/changelog.md",
  "extension/LICENSE.txt",
];

/** Everything a package may hold: bundles (no source maps), the addon, media, docs. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/[\w-]+\.(js|css)$/,
  /^extension\/dist\/[\w-]+\.js\.LICENSE\.txt$/, // licences of bundled libraries
  /^extension\/build\/Release\/wasm_cow_native\.node$/,
  /^extension\/media\/([\w-]+\.(png|svg)|(walkthrough|samples)\/.+)$/,
  /^extension\/docs\/screenshots\/[\w-]+\.png$/, // the README's screenshots
];

interface Manifest {
  name: string;
  version: string;
  repository?: unknown;
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
}

/** Where `npm run package` writes the archive (git-ignored out/). */
export function vsixPath(): string {
  const { name, version } = manifest();
  return path.join(root, "out", `${name}-${version}-${TARGET}.vsix`);
}

/** Entry names and uncompressed sizes, read from the zip's central directory. */
export function zipEntries(file: string): { name: string; size: number }[] {
  const fd = openSync(file, "r");
  try {
    const total = statSync(file).size;
    const tailLength = Math.min(total, 65536 + 22); // end record + longest comment
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, total - tailLength);
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0) throw new Error(`${file}: not a zip archive`);
    const count = tail.readUInt16LE(end + 10);
    const directory = Buffer.alloc(tail.readUInt32LE(end + 12));
    readSync(fd, directory, 0, directory.length, tail.readUInt32LE(end + 16));
    const entries: { name: string; size: number }[] = [];
    for (let at = 0, i = 0; i < count; i++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad directory`);
      const nameLength = directory.readUInt16LE(at + 28);
      const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
      entries.push({ name, size: directory.readUInt32LE(at + 24) });
      at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

function check(file: string): void {
  const entries = zipEntries(file);
  const names = new Set(entries.map((e) => e.name));
  const unexpected = [...names].filter((n) => !ALLOWED.some((pattern) => pattern.test(n)));
  const missing = REQUIRED.filter((n) => !names.has(n));
  const size = statSync(file).size;
  const problems = [
    ...unexpected.map((n) => `unexpected file in the package: ${n}`),
    ...missing.map((n) => `missing from the package: ${n}`),
    ...(size > BUDGET_BYTES ? [`package is ${size} bytes, over the ${BUDGET_BYTES} budget`] : []),
  ];
  for (const { name, size: bytes } of entries)
    console.log(`  ${String(bytes).padStart(9)}  ${name}`);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log(`${path.relative(process.cwd(), file)}: ${entries.length} files, ${size} bytes`);
}

export async function packageExtension(): Promise<string> {
  // Without a public repository, vsce cannot turn README links into absolute URLs: keep
  // them relative (they resolve inside the installed extension) and say so, instead of
  // inventing a repository URL.
  const hasRepository = manifest().repository !== undefined;
  // `vsce ls`: what .vscodeignore lets through, before vsce adds its manifest files.
  const files = await listFiles({ cwd: root, packageManager: PackageManager.None });
  console.log(`vsce ls: ${files.join(" ")}`);
  const out = vsixPath();
  mkdirSync(path.dirname(out), { recursive: true });
  await createVSIX({
    cwd: root,
    packagePath: out,
    target: TARGET,
    dependencies: false, // everything runs from the bundles; node_modules stays out
    allowMissingRepository: !hasRepository,
    rewriteRelativeLinks: hasRepository,
  });
  check(out);
  return out;
}

if (require.main === module) {
  packageExtension().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
