// Where Wasmtime's C API library is and which Wasmtime it is, before anything loads it:
// a path the user gave (the library, a `wasmtime` Python package, or a C API release
// directory), else the `wasmtime` Python package python3 imports, else a release
// directory among the configured ones. The version comes from what ships beside the
// library (the wheel's METADATA, the release's include/wasmtime.h): the engine is written
// against one version's C API types, so a library of another version is refused.

import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The Wasmtime whose C API the engine is written against. */
export const SUPPORTED_WASMTIME_MAJOR = 49;

export interface WasmtimeLibrary {
  path: string;
  version: string;
  foundBy: "path given" | "python package" | "release directory";
}

export type WasmtimeSearch = { found: WasmtimeLibrary } | { missing: string };

export interface WasmtimeSearchOptions {
  /** A path the user gave (`wasmCow.wasmtime.library`, the CLI): nothing else is tried. */
  given?: string;
  /** C API release directories to look in when python3 has no `wasmtime` package. */
  releaseDirs?: readonly string[];
  /** The Python interpreter to ask (default python3 on PATH). */
  python?: string;
}

const HOW_TO_GET =
  "install the wheel (`python3 -m pip install wasmtime==49.0.0`) or unpack a Wasmtime 49 C API release and give its directory";

export function findWasmtime(options: WasmtimeSearchOptions = {}): WasmtimeSearch {
  const python = options.given === undefined ? pythonPackageDir(options.python ?? "python3") : null;
  return located(options, python);
}

/** The same search, with python3 asked without blocking the caller's event loop (the
 *  extension host: python3 takes about 0.3 s to answer). */
export async function findWasmtimeAsync(
  options: WasmtimeSearchOptions = {},
): Promise<WasmtimeSearch> {
  const python =
    options.given === undefined ? await pythonPackageDirAsync(options.python ?? "python3") : null;
  return located(options, python);
}

/** The search, given where python3 imports `wasmtime` from (null: nowhere, or not asked). */
function located(options: WasmtimeSearchOptions, python: string | null): WasmtimeSearch {
  if (options.given !== undefined) return checked(fromGivenPath(options.given), "path given");
  if (python) return checked(fromWheel(python), "python package");
  for (const dir of options.releaseDirs ?? []) {
    const release = fromRelease(dir);
    if (!("missing" in release)) return checked(release, "release directory");
  }
  return { missing: `no Wasmtime C API library found: ${HOW_TO_GET}` };
}

type Located = { path: string; version: string } | { missing: string };

function checked(located: Located, foundBy: WasmtimeLibrary["foundBy"]): WasmtimeSearch {
  if ("missing" in located) return located;
  const major = Number(located.version.split(".")[0]);
  if (major !== SUPPORTED_WASMTIME_MAJOR) {
    return {
      missing: `${located.path} is Wasmtime ${located.version}; the engine supports ${SUPPORTED_WASMTIME_MAJOR}.x only (its C API types are compiled in): ${HOW_TO_GET}`,
    };
  }
  return { found: { ...located, foundBy } };
}

/** A library file, a wheel's package directory, or a release directory. */
function fromGivenPath(given: string): Located {
  const resolved = path.resolve(given);
  if (!existsSync(resolved)) return { missing: `${resolved} does not exist` };
  if (statSync(resolved).isDirectory()) {
    const wheel = fromWheel(resolved);
    return "missing" in wheel ? fromRelease(resolved) : wheel;
  }
  // The library itself: the wheel keeps it in <package>/linux-x86_64/, a release in lib/.
  const parent = path.dirname(resolved);
  for (const candidate of [fromWheel(path.dirname(parent)), fromRelease(path.dirname(parent))]) {
    if (!("missing" in candidate) && candidate.path === resolved) return candidate;
  }
  return {
    missing: `cannot tell which Wasmtime ${resolved} is: give the \`wasmtime\` Python package or the C API release directory it came with`,
  };
}

/** `<site-packages>/wasmtime`: the library in linux-x86_64/, the version in the
 *  sibling wasmtime-<version>.dist-info/METADATA. */
function fromWheel(packageDir: string): Located {
  const library = path.join(packageDir, "linux-x86_64", "_libwasmtime.so");
  if (!existsSync(library))
    return { missing: `${packageDir} holds no linux-x86_64/_libwasmtime.so` };
  const siteDir = path.dirname(packageDir);
  const distInfo = readdirSync(siteDir).find((name) => /^wasmtime-.+\.dist-info$/.test(name));
  const metadata = distInfo ? path.join(siteDir, distInfo, "METADATA") : null;
  const version =
    metadata && existsSync(metadata)
      ? /^Version: (.+)$/m.exec(readFileSync(metadata, "utf8"))?.[1]?.trim()
      : undefined;
  if (!version)
    return { missing: `no wasmtime-*.dist-info/METADATA with a version beside ${packageDir}` };
  return { path: library, version };
}

/** A C API release: lib/libwasmtime.so and include/wasmtime.h with WASMTIME_VERSION. */
function fromRelease(dir: string): Located {
  const library = path.join(dir, "lib", "libwasmtime.so");
  const header = path.join(dir, "include", "wasmtime.h");
  if (!existsSync(library) || !existsSync(header)) {
    return {
      missing: `${dir} is no Wasmtime C API release (lib/libwasmtime.so, include/wasmtime.h)`,
    };
  }
  const version = /#define WASMTIME_VERSION "([^"]+)"/.exec(readFileSync(header, "utf8"))?.[1];
  if (!version) return { missing: `${header} defines no WASMTIME_VERSION` };
  return { path: library, version };
}

// find_spec locates the package without importing it (importing loads the library).
const FIND_PACKAGE = [
  "-c",
  "import importlib.util, os; s = importlib.util.find_spec('wasmtime'); print(os.path.dirname(s.origin) if s and s.origin else '')",
];
const PYTHON_TIMEOUT_MS = 10_000;

/** Where python3 imports `wasmtime` from, or null (no python3, no package, a hang). */
function pythonPackageDir(python: string): string | null {
  const found = spawnSync(python, FIND_PACKAGE, { encoding: "utf8", timeout: PYTHON_TIMEOUT_MS });
  return packageDirIn(found.status === 0 ? found.stdout : "");
}

function pythonPackageDirAsync(python: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      python,
      FIND_PACKAGE,
      { encoding: "utf8", timeout: PYTHON_TIMEOUT_MS },
      (error, stdout) => resolve(packageDirIn(error ? "" : stdout)),
    );
  });
}

function packageDirIn(stdout: string): string | null {
  const dir = stdout.trim();
  return dir && existsSync(dir) ? dir : null;
}
