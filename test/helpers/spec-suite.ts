// The official WebAssembly spec tests: the `.wast` scripts the project carries in
// test/spec/testsuite (see its README for the upstream commits), converted with wast2json
// on first use into .cache/spec; every script's command list, with module files resolved
// to absolute paths, plus the "spectest" host module that the scripts import from.

import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import path from "node:path";
import type { ImportBindings } from "../../extension/analysis/segment-layout";
import type { Import, WasmModule } from "../../extension/analysis/module-types";
import { stubGlobal } from "./v8-oracle";

/** Tests run with cwd = repository root; `.cache/` is git-ignored. */
const SUITE_SOURCE = path.resolve(process.cwd(), "test/spec/testsuite");
const SUITE_CACHE = path.resolve(process.cwd(), ".cache/spec");
export const SPEC_SETS = ["wasm-2.0", "wasm-3.0"] as const;
export type SpecSet = (typeof SPEC_SETS)[number];

/** The 3.0 scripts use memory64, multi-memory and extended-const, which wabt parses
 *  only with its proposals enabled. */
const WAST2JSON_FLAGS: Readonly<Record<SpecSet, readonly string[]>> = {
  "wasm-2.0": [],
  "wasm-3.0": ["--enable-all"],
};

export interface SpecCommand {
  set: SpecSet;
  script: string;
  type: string;
  line: number;
  /** Expected message of assert_* commands. */
  text: string | null;
  /** "binary" or "text" for assert_* on modules; null for plain `module` commands. */
  moduleType: string | null;
  /** Absolute path of the referenced module file, or null for actions. */
  file: string | null;
}

export interface SpecScript {
  set: SpecSet;
  name: string;
  commands: SpecCommand[];
}

interface RawCommand {
  type: string;
  line: number;
  filename?: string;
  text?: string;
  module_type?: string;
}

let wast2jsonVersion: string | undefined;

function wast2json(args: string[], cwd: string): string {
  try {
    return execFileSync("wast2json", args, { cwd, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "wast2json not found: the spec tests are converted from .wast at test time with wabt's wast2json (Debian package wabt: apt-get install wabt)",
        { cause: error },
      );
    }
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`wast2json ${args.join(" ")} failed in ${cwd}: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}

/** The names of a set's scripts, from the carried `.wast` files, sorted. */
function scriptNames(set: SpecSet): string[] {
  const names = readdirSync(path.join(SUITE_SOURCE, set))
    .filter((file) => file.endsWith(".wast"))
    .map((file) => file.slice(0, -".wast".length))
    .sort();
  if (!names.length) throw new Error(`spec set ${set} in ${SUITE_SOURCE} has no .wast scripts`);
  return names;
}

/**
 * The folder holding `<name>.json` and the modules it names, converted on first use. The
 * folder's name carries a hash of the script, the flags and wast2json's version, so an
 * edited script or another wabt converts afresh. Test files run in parallel processes:
 * each converts into a private folder and renames it into place; a process that loses
 * the race keeps the winner's identical output.
 */
export function specScriptDir(set: SpecSet, name: string): string {
  const source = path.join(SUITE_SOURCE, set, `${name}.wast`);
  wast2jsonVersion ??= wast2json(["--version"], SUITE_SOURCE).trim();
  const key = createHash("sha256")
    .update(`${wast2jsonVersion}\0${WAST2JSON_FLAGS[set].join(" ")}\0`)
    .update(readFileSync(source))
    .digest("hex")
    .slice(0, 16);
  const setCache = path.join(SUITE_CACHE, set);
  const dir = path.join(setCache, `${name}-${key}`);
  if (existsSync(path.join(dir, `${name}.json`))) return dir;
  mkdirSync(setCache, { recursive: true });
  const work = mkdtempSync(path.join(setCache, `.${name}-`));
  try {
    // Converted beside a copy of the script so the JSON's source_filename is relative.
    copyFileSync(source, path.join(work, `${name}.wast`));
    wast2json([...WAST2JSON_FLAGS[set], `${name}.wast`, "-o", `${name}.json`], work);
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(path.join(dir, `${name}.json`))) throw error;
  }
  return dir;
}

function requireFile(file: string, what: string): void {
  if (!existsSync(file)) throw new Error(`${what} not found at ${file}`);
}

let cache: SpecScript[] | undefined;

/** Every script of both sets, sorted by set then name. */
export function specScripts(): SpecScript[] {
  cache ??= SPEC_SETS.flatMap((set) => scriptNames(set).map((name) => loadScript(set, name)));
  return cache;
}

function loadScript(set: SpecSet, name: string): SpecScript {
  const dir = specScriptDir(set, name);
  const raw = JSON.parse(readFileSync(path.join(dir, `${name}.json`), "utf8")) as {
    commands: RawCommand[];
  };
  const commands = raw.commands.map((c): SpecCommand => {
    const file = c.filename ? path.join(dir, c.filename) : null;
    if (file) requireFile(file, `module file of ${set}/${name}:${c.line}`);
    return {
      set,
      script: name,
      type: c.type,
      line: c.line,
      text: c.text ?? null,
      moduleType: c.module_type ?? null,
      file,
    };
  });
  return { set, name, commands };
}

/** All commands of all scripts that satisfy `keep`. */
export function specCommands(keep: (c: SpecCommand) => boolean): SpecCommand[] {
  return specScripts().flatMap((s) => s.commands.filter(keep));
}

/** Commands that refer to a binary module: `module` commands and assert_* with
 *  module_type "binary" (wast2json writes `module quote` text as .wat files). */
export function isBinaryModule(c: SpecCommand): boolean {
  return c.file !== null && c.file.endsWith(".wasm");
}

/** "wasm-2.0/data:180 (data.27.wasm)" */
export function where(c: SpecCommand): string {
  return `${c.set}/${c.script}:${c.line}${c.file ? ` (${path.basename(c.file)})` : ""}`;
}

export function readSpecModule(c: SpecCommand): Uint8Array {
  if (!c.file) throw new Error(`${where(c)} refers to no module`);
  return new Uint8Array(readFileSync(c.file));
}

// The spec interpreter's host module (interpreter/host/spectest.ml): memory of 1 page
// (max 2), table of 10 funcrefs (max 20), globals of 666 / 666.6, print functions.
export const SPECTEST_MEMORY = { initial: 1, maximum: 2 } as const;
export const SPECTEST_TABLE = { initial: 10, maximum: 20 } as const;
export const SPECTEST_GLOBALS: Readonly<Record<string, number | bigint>> = {
  global_i32: 666,
  global_i64: 666n,
  global_f32: 666.6,
  global_f64: 666.6,
};

export function isSpectest(imp: Import): boolean {
  return imp.module === "spectest";
}

/** Planner bindings for a module instantiated against spectest: imported integer
 *  globals by their import names, imported memories at spectest's 1 page. */
export function spectestBindings(module: WasmModule): ImportBindings {
  const globals = new Map<number, bigint>();
  for (const g of module.globals) {
    const value = g.import?.module === "spectest" ? SPECTEST_GLOBALS[g.import.name] : undefined;
    if (typeof value === "bigint") globals.set(g.index, value);
    else if (value !== undefined && Number.isInteger(value)) globals.set(g.index, BigInt(value));
  }
  const memoryPages = new Map<number, bigint>();
  for (const m of module.memories) {
    if (m.import) memoryPages.set(m.index, BigInt(SPECTEST_MEMORY.initial));
  }
  return { globals, memoryPages };
}

/** What spectest itself provides for an import from it, for the V8 oracle; other
 *  imports get the oracle's stubs. Each call makes fresh objects. */
export function spectestImport(imp: Import): WebAssembly.ImportValue | undefined {
  if (!isSpectest(imp)) return undefined;
  const { desc } = imp;
  if (desc.kind === "memory" && !desc.type.memory64 && !desc.type.shared) {
    return new WebAssembly.Memory({ ...SPECTEST_MEMORY });
  }
  if (desc.kind === "table" && desc.type.refType === "funcref" && !desc.type.table64) {
    return new WebAssembly.Table({ element: "anyfunc", ...SPECTEST_TABLE });
  }
  const value = SPECTEST_GLOBALS[imp.name];
  if (desc.kind === "global" && value !== undefined) return stubGlobal(desc.type, imp, value);
  return undefined;
}
