// Real-world .wasm modules from well-known npm packages, fetched at test time with
// `npm pack` (never committed) and cached under .cache/npm-wasm/ (git-ignored), so a
// second run needs no network.
//
// Sizes and data-segment counts below were read with `wasm-objdump -h` when the versions
// were pinned; the tests re-derive everything from wasm-objdump, these are only notes.

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RealModule {
  label: string;
  spec: string /* "name@exact-version" */;
  file: string /* path inside the package tarball, e.g. "package/dist/x.wasm" */;
}

export const REAL_MODULES: RealModule[] = [
  // Rust wasm-bindgen, 48 KB, 1 segment.
  {
    label: "source-map mappings (Rust)",
    spec: "source-map@0.8.0",
    file: "package/lib/mappings.wasm",
  },
  // Emscripten C, 462 KB, 180 segments.
  {
    label: "vscode-oniguruma (Emscripten)",
    spec: "vscode-oniguruma@2.0.1",
    file: "package/release/onig.wasm",
  },
  // Emscripten C with bulk memory (DataCount section), 688 KB, 397 segments.
  { label: "sql.js (Emscripten)", spec: "sql.js@1.16.0", file: "package/dist/sql-wasm.wasm" },
  // Rust wasm-bindgen, 2.4 MB, 229 segments.
  {
    label: "resvg (Rust wasm-bindgen)",
    spec: "@resvg/resvg-wasm@2.6.2",
    file: "package/index_bg.wasm",
  },
  // Rust (napi-rs wasm32-wasip1), 15.8 MB, 790 segments.
  {
    label: "lightningcss (Rust)",
    spec: "lightningcss-wasm@1.33.0",
    file: "package/lightningcss_node.wasm",
  },
  // Go: the linker splits data into ~98,450 segments. 14 MB.
  { label: "esbuild (Go)", spec: "esbuild-wasm@0.28.2", file: "package/esbuild.wasm" },
  // Emscripten, 32 MB, 28,951 segments.
  {
    label: "ffmpeg core (Emscripten, large)",
    spec: "@ffmpeg/core@0.12.10",
    file: "package/dist/esm/ffmpeg-core.wasm",
  },
  // Emscripten dynamic-linking build, 39 MB: imported memory, one segment placed at
  // `global.get $__memory_base` (non-constant offset), ~75,000 exports.
  {
    label: "duckdb mvp (Emscripten PIC, large)",
    spec: "@duckdb/duckdb-wasm@1.32.0",
    file: "package/dist/duckdb-mvp.wasm",
  },
];

/** Modules that use proposals beyond Wasm 2.0, for the feature scan. Kept apart from
 *  REAL_MODULES: V8 does not instantiate all of them with its default features. */
export const FEATURE_MODULES: RealModule[] = [
  // Emscripten CPython, 9.6 MB: legacy exception handling (try/catch/rethrow).
  {
    label: "pyodide (legacy exceptions)",
    spec: "pyodide@314.0.8",
    file: "package/pyodide.asm.wasm",
  },
  // Emscripten PHP built for JSPI, 23 MB: legacy exception handling.
  {
    label: "php-wasm JSPI (legacy exceptions)",
    spec: "@php-wasm/node-8-3@3.1.56",
    file: "package/jspi/8_3_33/php_8_3.wasm",
  },
  // Emscripten ONNX Runtime built for JSPI, 18 MB: SIMD, threads, exnref.
  {
    label: "onnxruntime-web JSPI (SIMD, threads, exnref)",
    spec: "onnxruntime-web@1.31.1",
    file: "package/dist/ort-wasm-simd-threaded.jspi.wasm",
  },
];

/** Tests run with cwd = repository root; `.cache/` is git-ignored. */
export const NPM_WASM_CACHE = path.resolve(process.cwd(), ".cache/npm-wasm");

const PACK_TIMEOUT_MS = 5 * 60_000;
const TAR_TIMEOUT_MS = 2 * 60_000;

/** Where the extracted file of `m` is cached. */
export function cachedPath(m: RealModule): string {
  const dir = m.spec.replace(/[^A-Za-z0-9._@-]/g, "_");
  return path.join(NPM_WASM_CACHE, dir, m.file);
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Downloads (once) and returns the bytes of the module's .wasm file. */
export async function fetchRealModule(m: RealModule): Promise<Uint8Array> {
  const target = cachedPath(m);
  if (!(await exists(target))) await download(m, target);
  return new Uint8Array(await readFile(target));
}

/** Path of the cached file, downloading it first if needed (for tools that take paths). */
export async function realModulePath(m: RealModule): Promise<string> {
  const target = cachedPath(m);
  if (!(await exists(target))) await download(m, target);
  return target;
}

async function download(m: RealModule, target: string): Promise<void> {
  await mkdir(NPM_WASM_CACHE, { recursive: true });
  // A private work directory: test files run in parallel processes and may fetch the
  // same module at once; the final rename is atomic, so readers never see half a file.
  const work = await mkdtemp(path.join(NPM_WASM_CACHE, ".work-"));
  try {
    let tarball: string;
    try {
      const { stdout } = await run(
        "npm",
        ["pack", m.spec, "--json", "--silent", "--pack-destination", work],
        { cwd: work, timeout: PACK_TIMEOUT_MS, maxBuffer: 64 << 20 },
      );
      tarball = path.join(work, parsePackFilename(stdout));
    } catch (error) {
      throw new Error(`npm pack ${m.spec} failed (needs the npm registry): ${describe(error)}`, {
        cause: error,
      });
    }
    try {
      await run("tar", ["-xzf", tarball, "-C", work, m.file], { timeout: TAR_TIMEOUT_MS });
    } catch (error) {
      throw new Error(`${m.spec} has no ${m.file}: ${describe(error)}`, { cause: error });
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(work, m.file), target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function parsePackFilename(stdout: string): string {
  const parsed: unknown = JSON.parse(stdout);
  const first = Array.isArray(parsed) ? (parsed[0] as { filename?: unknown }) : undefined;
  if (typeof first?.filename !== "string") throw new Error(`unexpected npm pack output`);
  // npm ≥ 9 reports scoped names as "@scope/name-1.0.0.tgz" but writes "scope-name-1.0.0.tgz".
  return first.filename.replace(/^@/, "").replace(/\//g, "-");
}

/** First line of the failure plus what the tool said (npm --json reports errors on stdout). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
  const said = [stderr, stdout]
    .map((text) => (typeof text === "string" ? text.trim() : ""))
    .filter((text) => text !== "");
  return [error.message.split("\n")[0], ...said].join(": ");
}
