// What an instance gets for its imports: the pool's slot memories for the memories the
// rewrite turned into imports, WASI preview1 through node:wasi (no preopened
// directories, an empty environment, stdout and stderr captured in memory with a cap:
// wasi-output.ts),
// and for everything else a stand-in made from the declared type: functions that trap
// with `unresolved import "module"."name"`, zero-valued globals, empty tables and
// fresh memories.

import { WASI } from "node:wasi";
import type { ImportedSlotMemory } from "../analysis/cow-rewriter";
import type { Import, WasmModule } from "../analysis/module-types";
import type { OutputMirror } from "./output-mirror";
import { OutputCapture } from "./wasi-output";

const WASI_MODULES = new Set(["wasi_snapshot_preview1", "wasi_unstable"]);

export interface InstanceImports {
  imports: WebAssembly.Imports;
  /** Memories created for the module's own memory imports, by memory index. */
  importedMemories: Map<number, WebAssembly.Memory>;
  wasi: WASI | null;
  output: OutputCapture | null;
}

export interface ImportOptions {
  wasi: boolean;
  args: string[];
  /** Bytes of stdout and of stderr kept per step. */
  maxOutputBytes: number;
  /** Where kept output is copied as it is written (the runner's caller), if anywhere. */
  mirror: OutputMirror | null;
  /** Values an in-process caller provides (a spec script's registered modules, say);
   *  they take precedence over stand-ins. The runner process never sets this. */
  provided?: WebAssembly.Imports;
}

/** Whether the module imports WASI preview 1 (either of its module names). */
export function usesWasi(module: WasmModule): boolean {
  return module.imports.some((i) => WASI_MODULES.has(i.module));
}

export function buildImports(
  module: WasmModule,
  slotMemories: { slot: ImportedSlotMemory; memory: WebAssembly.Memory }[],
  options: ImportOptions,
): InstanceImports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const provide = (moduleName: string, name: string, value: WebAssembly.ImportValue): void => {
    (imports[moduleName] ??= {})[name] = value;
  };
  const wasiWanted = options.wasi && usesWasi(module);
  let wasi: WASI | null = null;
  let output: OutputCapture | null = null;
  if (wasiWanted) {
    output = new OutputCapture(options.maxOutputBytes, options.mirror);
    wasi = new WASI({
      version: "preview1",
      args: options.args,
      env: {},
      preopens: {},
      returnOnExit: true,
    });
    const wasiImports = wasi.getImportObject() as Record<
      string,
      Record<string, WebAssembly.ImportValue>
    >;
    const preview1 = { ...wasiImports.wasi_snapshot_preview1 };
    preview1.fd_write = output.fdWrite(
      preview1.fd_write as Parameters<OutputCapture["fdWrite"]>[0],
    );
    for (const [name, value] of Object.entries(preview1)) {
      for (const moduleName of WASI_MODULES) provide(moduleName, name, value);
    }
  }
  const importedMemories = new Map<number, WebAssembly.Memory>();
  let memoryIndex = 0;
  for (const entry of module.imports) {
    const given = options.provided?.[entry.module]?.[entry.name];
    if (entry.desc.kind === "memory") {
      const memory = (given as WebAssembly.Memory | undefined) ?? standInMemory(entry);
      importedMemories.set(memoryIndex++, memory);
      provide(entry.module, entry.name, memory);
    } else if (given !== undefined) {
      provide(entry.module, entry.name, given);
    } else if (!imports[entry.module]?.[entry.name]) {
      provide(entry.module, entry.name, standIn(entry));
    }
  }
  for (const { slot, memory } of slotMemories) provide(slot.module, slot.name, memory);
  return { imports, importedMemories, wasi, output };
}

function standIn(entry: Import): WebAssembly.ImportValue {
  const where = `"${entry.module}"."${entry.name}"`;
  switch (entry.desc.kind) {
    case "func":
      return () => {
        throw new Error(`unresolved import ${where}`);
      };
    case "global": {
      const { valType, mutable } = entry.desc.type;
      const zero =
        valType === "i64" ? 0n : valType.endsWith("ref") || valType.startsWith("(ref") ? null : 0;
      if (!["i32", "i64", "f32", "f64", "externref", "funcref"].includes(valType)) {
        throw new Error(
          `cannot provide import ${where}: a global of type ${valType} cannot be created from JavaScript`,
        );
      }
      return new WebAssembly.Global(
        {
          value: valType === "funcref" ? "anyfunc" : valType,
          mutable,
        } as WebAssembly.GlobalDescriptor,
        zero,
      );
    }
    case "table": {
      const { refType, min, max } = entry.desc.type;
      if (refType !== "funcref" && refType !== "externref") {
        throw new Error(
          `cannot provide import ${where}: a table of ${refType} cannot be created from JavaScript`,
        );
      }
      return new WebAssembly.Table({
        element: refType === "funcref" ? "anyfunc" : "externref",
        initial: Number(min),
        ...(max === null ? {} : { maximum: Number(max) }),
      });
    }
    case "tag":
      throw new Error(`cannot provide import ${where}: exception tags cannot be stubbed`);
    case "memory":
      return standInMemory(entry);
  }
}

function standInMemory(entry: Import): WebAssembly.Memory {
  if (entry.desc.kind !== "memory") throw new Error("not a memory import");
  const { min, max, shared } = entry.desc.type;
  return new WebAssembly.Memory({
    initial: Number(min),
    ...(max === null ? {} : { maximum: Number(max) }),
    ...(shared ? { shared: true } : {}),
  });
}
