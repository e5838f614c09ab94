// The official WebAssembly spec tests (wast2json output) in ../shared/spec: every
// script's command list, with module files resolved to absolute paths, plus the
// "spectest" host module that the scripts import from.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ImportBindings } from "../../extension/analysis/segment-layout";
import type { Import, WasmModule } from "../../extension/analysis/module-types";
import { stubGlobal } from "./v8-oracle";

/** Tests run with cwd = repository root; CI puts shared/ beside the clone. */
export const SPEC_ROOT = path.resolve(process.cwd(), "../shared/spec");
export const SPEC_SETS = ["wasm-2.0", "wasm-3.0"] as const;
export type SpecSet = (typeof SPEC_SETS)[number];

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

function requireDir(dir: string, what: string): void {
  if (!existsSync(dir)) {
    throw new Error(
      `${what} not found at ${dir}: the spec tests live in shared/spec beside the repository (tests must run with cwd = repository root)`,
    );
  }
}

let cache: SpecScript[] | undefined;

/** Every `<set>/<name>/<name>.json` of both sets, sorted by set then name. */
export function specScripts(): SpecScript[] {
  if (cache) return cache;
  requireDir(SPEC_ROOT, "spec test folder");
  const scripts: SpecScript[] = [];
  for (const set of SPEC_SETS) {
    const setDir = path.join(SPEC_ROOT, set);
    requireDir(setDir, `spec set ${set}`);
    const names = readdirSync(setDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    if (!names.length) throw new Error(`spec set ${set} at ${setDir} has no scripts`);
    for (const name of names) scripts.push(loadScript(set, name));
  }
  cache = scripts;
  return scripts;
}

function loadScript(set: SpecSet, name: string): SpecScript {
  const dir = path.join(SPEC_ROOT, set, name);
  const jsonPath = path.join(dir, `${name}.json`);
  requireDir(jsonPath, `command list of ${set}/${name}`);
  const raw = JSON.parse(readFileSync(jsonPath, "utf8")) as { commands: RawCommand[] };
  const commands = raw.commands.map((c): SpecCommand => {
    const file = c.filename ? path.join(dir, c.filename) : null;
    if (file) requireDir(file, `module file of ${set}/${name}:${c.line}`);
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
