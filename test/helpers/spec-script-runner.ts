// A small interpreter of wast2json command lists: runs a spec script's commands in
// order against one Engine (a RunnerSession in "cow" or "eager" mode, or ordinary V8
// instantiation) and collects every deviation from what the script expects.
//
// Instance lifetime: the current module's instance is released when the script moves
// on to the next module, unless it is named or registered (later commands or imports
// may still use it); those are released when the script ends. A module instantiated by
// assert_uninstantiable / assert_unlinkable is released at once.

import { readFileSync } from "node:fs";
import path from "node:path";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import { expectsMappedImage } from "./naive-cow-image";
import type { Engine, Instantiation } from "./spec-engines";
import {
  specScriptDir,
  SPECTEST_GLOBALS,
  SPECTEST_MEMORY,
  SPECTEST_TABLE,
  type SpecSet,
} from "./spec-suite";
import { mismatch, resultList, toJs, type SpecValue } from "./spec-values";
import { wat } from "./wat";

interface Action {
  type: "invoke" | "get";
  module?: string;
  field: string;
  args?: SpecValue[];
}

interface Command {
  type: string;
  line: number;
  filename?: string;
  name?: string;
  as?: string;
  action?: Action;
  expected?: SpecValue[];
  text?: string;
  module_type?: string;
}

// The reference interpreter's trap messages and V8's for the same trap. The spec
// message is a prefix ("uninitialized element 2"); V8 prefixes instantiation errors
// with "WebAssembly.Instance(): ".
const V8_TRAPS: [spec: string, v8: RegExp][] = [
  ["out of bounds memory access", /memory access out of bounds|data segment is out of bounds/],
  ["out of bounds table access", /table index is out of bounds|element segment out of bounds/],
  ["undefined element", /table index is out of bounds/],
  ["uninitialized element", /null function or function signature mismatch/],
  ["indirect call type mismatch", /null function or function signature mismatch/],
  ["unreachable", /unreachable/],
];

/** Null when V8's `message` is the trap the spec `text` names. */
export function trapMismatch(text: string, message: string): string | null {
  const entry = V8_TRAPS.find(([spec]) => text.startsWith(spec));
  if (!entry) return `no V8 message known for the spec trap "${text}"`;
  return entry[1].test(message) ? null : `V8 said "${message}", expected a "${text}" trap`;
}

export interface ModuleCounts {
  /** Instantiations with an image in a slot (mapped, or served by userfaultfd). */
  cow: number;
  /** The session chose "cow" (or "userfaultfd") but the module has no non-zero data, so
   *  there was no image. */
  cowWithoutImage: number;
  eager: number;
  plain: number;
  /** Modules with more than one memory, which V8 11.3 cannot compile. */
  multiMemory: number;
}

export interface ScriptReport {
  script: string;
  engine: string;
  /** Commands executed, by type. */
  executed: Record<string, number>;
  /** Commands that act on a multi-memory module V8 could not compile. */
  notRunnable: number;
  modules: ModuleCounts;
  /** Rejections of assert_invalid / assert_malformed modules, by who rejected them. */
  rejectedBy: Record<string, number>;
  failures: string[];
}

interface Live {
  instantiation: Instantiation | null;
  /** Why V8 11.3 cannot run the module (it has several memories, or imports from one
   *  that has), or null. */
  unrunnable: string | null;
}

interface Prepared {
  module: WasmModule;
  bytes: Uint8Array;
  imports: WebAssembly.Imports;
  missing: string[];
  unrunnable: string | null;
}

export function scriptCommands(set: SpecSet, name: string): Command[] {
  const file = path.join(specScriptDir(set, name), `${name}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { commands: Command[] }).commands;
}

/** spectest as the reference interpreter defines it (interpreter/host/spectest.ml);
 *  one per script run, so every module of the script shares its memory and table. */
export function spectestModule(): Record<string, WebAssembly.ImportValue> {
  const print = (): void => {};
  const global = (value: "i32" | "i64" | "f32" | "f64") =>
    new WebAssembly.Global({ value, mutable: false }, SPECTEST_GLOBALS[`global_${value}`]);
  return {
    print,
    print_i32: print,
    print_i64: print,
    print_f32: print,
    print_f64: print,
    print_i32_f32: print,
    print_f64_f64: print,
    global_i32: global("i32"),
    global_i64: global("i64"),
    global_f32: global("f32"),
    global_f64: global("f64"),
    table: new WebAssembly.Table({ element: "anyfunc", ...SPECTEST_TABLE }),
    memory: new WebAssembly.Memory({ ...SPECTEST_MEMORY }),
  };
}

const MAX_FAILURES = 25;

class ScriptRun {
  readonly report: ScriptReport;
  private current: Live | null = null;
  private readonly named = new Map<string, Live>();
  /** Registered exports by name; null for a module V8 could not compile. */
  private readonly registered = new Map<string, WebAssembly.Exports | null>();
  private readonly pinned = new Set<Live>();
  private readonly spectest = spectestModule();
  private failureCount = 0;

  constructor(
    private readonly set: SpecSet,
    private readonly name: string,
    private readonly engine: Engine,
  ) {
    this.report = {
      script: `${set}/${name}`,
      engine: engine.name,
      executed: {},
      notRunnable: 0,
      modules: { cow: 0, cowWithoutImage: 0, eager: 0, plain: 0, multiMemory: 0 },
      rejectedBy: {},
      failures: [],
    };
  }

  fail(command: Command, what: string): void {
    this.failureCount++;
    if (this.report.failures.length < MAX_FAILURES) {
      this.report.failures.push(`${this.report.script}:${command.line} ${command.type}: ${what}`);
    }
  }

  async run(command: Command): Promise<void> {
    switch (command.type) {
      case "module":
        this.module(command);
        break;
      case "register":
        this.register(command);
        break;
      case "action":
      case "assert_return":
      case "assert_trap":
      case "assert_exhaustion":
        this.action(command);
        break;
      case "assert_uninstantiable":
      case "assert_unlinkable":
        this.failingModule(command);
        break;
      case "assert_invalid":
      case "assert_malformed":
        await this.rejectedModule(command);
        break;
      default:
        throw new Error(`${this.report.script}:${command.line}: unknown command ${command.type}`);
    }
  }

  finish(): ScriptReport {
    for (const live of new Set([...this.pinned, ...(this.current ? [this.current] : [])])) {
      live.instantiation?.release();
    }
    this.current = null;
    if (this.failureCount > this.report.failures.length) {
      this.report.failures.push(`… ${this.failureCount - MAX_FAILURES} more failures`);
    }
    for (const problem of this.engine.close()) {
      this.report.failures.push(`${this.report.script}: after the script, ${problem}`);
    }
    return this.report;
  }

  private executed(command: Command): void {
    this.report.executed[command.type] = (this.report.executed[command.type] ?? 0) + 1;
  }

  private moduleBytes(command: Command): Uint8Array {
    if (!command.filename) throw new Error(`${this.report.script}:${command.line}: no filename`);
    const file = path.join(specScriptDir(this.set, this.name), command.filename);
    return new Uint8Array(readFileSync(file));
  }

  /** The imports the module asks for, from spectest and registered modules. */
  private imports(module: WasmModule): { imports: WebAssembly.Imports; missing: string[] } {
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    const missing: string[] = [];
    for (const imp of module.imports) {
      const from = imp.module === "spectest" ? this.spectest : this.registered.get(imp.module);
      const value = from?.[imp.name];
      if (value === undefined) missing.push(`"${imp.module}"."${imp.name}"`);
      else (imports[imp.module] ??= {})[imp.name] = value;
    }
    return { imports, missing };
  }

  /** Instantiates through the engine, counting what the session did; null when V8
   *  could not compile the module (expected exactly for multi-memory modules). */
  private instantiate(command: Command, prepared: Prepared): Instantiation | null {
    const { module, bytes, imports } = prepared;
    const multiMemory = module.memories.length > 1;
    let result: Instantiation;
    try {
      result = this.engine.instantiate(bytes, imports);
    } catch (error) {
      if (multiMemory) this.report.modules.multiMemory++;
      else this.fail(command, `does not compile: ${(error as Error).message}`);
      return null;
    }
    if (multiMemory) this.fail(command, "a multi-memory module compiled; V8 11.3 should reject it");
    const label = result.label;
    if (label === "cow" || label === "userfaultfd")
      this.report.modules[result.mappedImage ? "cow" : "cowWithoutImage"]++;
    else this.report.modules[label]++;
    const init = this.engine.init;
    const expected = (init === "cow" || init === "userfaultfd") && expectsMappedImage(module);
    if (result.mappedImage !== expected) {
      this.fail(
        command,
        `${result.mappedImage ? "an image was mapped" : "no image was mapped"} (${result.label}); the naive Wasmtime rule says ${expected ? "it should be" : "none should be"}`,
      );
    }
    return result;
  }

  private decode(command: Command, bytes: Uint8Array): WasmModule | null {
    try {
      return readModule(bytes);
    } catch (error) {
      this.fail(command, `the reader rejects the module: ${(error as Error).message}`);
      return null;
    }
  }

  /** Decodes the module and gathers its imports; null when the reader rejects it. */
  private prepare(command: Command): Prepared | null {
    const bytes = this.moduleBytes(command);
    const module = this.decode(command, bytes);
    if (!module) return null;
    const { imports, missing } = this.imports(module);
    const dependency = module.imports.find((i) => this.registered.get(i.module) === null);
    const unrunnable =
      module.memories.length > 1
        ? `it has ${module.memories.length} memories`
        : dependency
          ? `it imports from "${dependency.module}", which V8 could not compile`
          : null;
    return { module, bytes, imports, missing, unrunnable };
  }

  /** For a module V8 11.3 cannot run: a multi-memory module must fail to compile (the
   *  failure is counted); one that only depends on such a module is not attempted. */
  private unrunnable(command: Command, prepared: Prepared): void {
    this.report.notRunnable++;
    if (prepared.module.memories.length <= 1) return;
    const result = this.instantiate(command, prepared);
    if (result) result.release();
  }

  private module(command: Command): void {
    // The script moves on: the previous module's instance goes back to the pool.
    if (this.current && !this.pinned.has(this.current)) this.current.instantiation?.release();
    this.current = null;
    const prepared = this.prepare(command);
    if (!prepared) return this.executed(command);
    let live: Live;
    if (prepared.unrunnable) {
      this.unrunnable(command, prepared);
      live = { instantiation: null, unrunnable: prepared.unrunnable };
    } else {
      this.executed(command);
      if (prepared.missing.length) {
        return this.fail(command, `unknown imports ${prepared.missing.join(", ")}`);
      }
      const instantiation = this.instantiate(command, prepared);
      if (instantiation?.failure) {
        this.fail(command, `instantiation failed: ${instantiation.failure.message}`);
      }
      live = { instantiation, unrunnable: null };
    }
    this.current = live;
    if (command.name) {
      this.named.set(command.name, live);
      this.pinned.add(live);
    }
  }

  private register(command: Command): void {
    const live = command.name ? this.named.get(command.name) : this.current;
    if (live?.unrunnable) {
      this.report.notRunnable++;
      this.registered.set(command.as!, null);
      return;
    }
    this.executed(command);
    const exports = live?.instantiation?.exports;
    if (!live || !exports) return this.fail(command, `no instance to register as ${command.as}`);
    this.registered.set(command.as!, exports);
    this.pinned.add(live);
  }

  private action(command: Command): void {
    const action = command.action!;
    const live = action.module ? this.named.get(action.module) : this.current;
    if (live?.unrunnable) {
      this.report.notRunnable++;
      return;
    }
    this.executed(command);
    const exports = live?.instantiation?.exports;
    if (!exports) return this.fail(command, "no instance to act on");
    let returned: unknown;
    try {
      returned = perform(exports, action);
    } catch (error) {
      return this.caught(command, error);
    }
    if (command.type === "assert_trap" || command.type === "assert_exhaustion") {
      return this.fail(command, `returned ${String(returned)} instead of trapping`);
    }
    if (command.type === "action") return;
    const expected = command.expected ?? [];
    const results = resultList(returned, expected.length);
    const problems = expected
      .map((value, i) => mismatch(results[i], value))
      .filter((p): p is string => p !== null);
    if (problems.length) this.fail(command, `${describeAction(action)}: ${problems.join("; ")}`);
  }

  private caught(command: Command, error: unknown): void {
    const what = describeAction(command.action!);
    if (command.type === "assert_trap") {
      if (!(error instanceof WebAssembly.RuntimeError)) {
        return this.fail(command, `${what} threw ${String(error)}, not a RuntimeError`);
      }
      const problem = trapMismatch(command.text!, error.message);
      if (problem) this.fail(command, `${what}: ${problem}`);
      return;
    }
    if (command.type === "assert_exhaustion") {
      // V8 reports stack exhaustion as a RangeError, not as a wasm trap.
      if (!(error instanceof RangeError)) this.fail(command, `${what} threw ${String(error)}`);
      return;
    }
    this.fail(command, `${what} threw ${String(error)}`);
  }

  private failingModule(command: Command): void {
    const prepared = this.prepare(command);
    if (!prepared) return this.executed(command);
    if (prepared.unrunnable) return this.unrunnable(command, prepared);
    const { missing } = prepared;
    if (missing.length && this.engine.standsInForMissingImports) {
      // The session would stand in for them; linking fails in the interpreter already.
      this.executed(command);
      if (command.type !== "assert_unlinkable" || !command.text!.startsWith("unknown import")) {
        this.fail(command, `unknown imports ${missing.join(", ")}`);
      }
      return;
    }
    const result = this.instantiate(command, prepared);
    if (!result) return this.executed(command);
    this.executed(command);
    result.release();
    if (!result.failure) return this.fail(command, "instantiated; expected it to fail");
    const { errorClass, message } = result.failure;
    if (command.type === "assert_uninstantiable") {
      if (errorClass !== null && errorClass !== "RuntimeError") {
        return this.fail(command, `${errorClass}: ${message}, not a trap`);
      }
      const problem = trapMismatch(command.text!, message);
      if (problem) this.fail(command, problem);
      return;
    }
    const linkError =
      errorClass === null
        ? /Import #\d+/.test(message)
        : errorClass === "LinkError" || errorClass === "TypeError";
    if (!linkError)
      this.fail(command, `failed with ${errorClass ?? "error"}: ${message}, not a link error`);
  }

  private async rejectedModule(command: Command): Promise<void> {
    this.executed(command);
    let bytes: Uint8Array;
    if (command.module_type === "text") {
      try {
        bytes = await wat(
          readFileSync(path.join(specScriptDir(this.set, this.name), command.filename!), "utf8"),
        );
      } catch (_error) {
        this.rejectedBy("wabt (text)");
        return;
      }
    } else {
      bytes = this.moduleBytes(command);
    }
    let readerRejects = false;
    try {
      readModule(bytes);
    } catch (_error) {
      readerRejects = true;
    }
    const engineRejection = this.engine.rejection(bytes);
    if (engineRejection !== null) this.rejectedBy(readerRejects ? "reader and engine" : "engine");
    else if (readerRejects) this.rejectedBy("reader only");
    else
      this.fail(
        command,
        `accepted by the reader and ${this.engine.name}; expected "${command.text}"`,
      );
  }

  private rejectedBy(who: string): void {
    this.report.rejectedBy[who] = (this.report.rejectedBy[who] ?? 0) + 1;
  }
}

function perform(exports: WebAssembly.Exports, action: Action): unknown {
  const target = exports[action.field];
  if (action.type === "get") {
    if (!(target instanceof WebAssembly.Global)) throw new Error(`no global "${action.field}"`);
    return target.value;
  }
  if (typeof target !== "function") throw new Error(`no function "${action.field}"`);
  return (target as (...args: unknown[]) => unknown)(...(action.args ?? []).map(toJs));
}

function describeAction(action: Action): string {
  const args = (action.args ?? []).map((a) => `${a.type}:${String(a.value)}`).join(", ");
  return action.type === "get" ? `get ${action.field}` : `${action.field}(${args})`;
}

/** Runs one script against one engine; the engine is closed at the end. */
export async function runScript(set: SpecSet, name: string, engine: Engine): Promise<ScriptReport> {
  const run = new ScriptRun(set, name, engine);
  try {
    for (const command of scriptCommands(set, name)) await run.run(command);
  } catch (error) {
    run.finish(); // release instances and unload modules before giving up
    throw error;
  }
  return run.finish();
}
