// What an instance gets for its imports: the pool's slot memories for the memories the
// rewrite turned into imports, WASI preview1 through node:wasi (no preopened
// directories, an empty environment, stdout and stderr captured in memory with a cap:
// wasi-output.ts),
// and for everything else a stand-in made from the declared type: functions that trap
// with `unresolved import "module"."name"`, zero-valued globals, empty tables, fresh
// memories and new exception tags (the runner names them when an exception escapes).
// proc_exit throws WasiExit from any call (call-outcome.ts).

import { WASI } from "node:wasi";
import type { ImportedSlotMemory } from "../analysis/cow-rewriter";
import type { Import, WasmModule } from "../analysis/module-types";
import type { OutputMirror } from "./output-mirror";
import { OutputCapture } from "./wasi-output";
import { WasiExit, type KnownTag } from "./call-outcome";

const WASI_MODULES = new Set(["wasi_snapshot_preview1", "wasi_unstable"]);

export interface InstanceImports {
  imports: WebAssembly.Imports;
  /** Memories created for the module's own memory imports, by memory index. */
  importedMemories: Map<number, WebAssembly.Memory>;
  wasi: WASI | null;
  output: OutputCapture | null;
  /** The tags made for the module's tag imports. */
  tags: KnownTag[];
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
    preview1.proc_exit = (code: number) => {
      throw new WasiExit(code);
    };
    for (const [name, value] of Object.entries(preview1)) {
      for (const moduleName of WASI_MODULES) provide(moduleName, name, value);
    }
  }
  const importedMemories = new Map<number, WebAssembly.Memory>();
  const tags: KnownTag[] = [];
  let memoryIndex = 0;
  for (const entry of module.imports) {
    const given = options.provided?.[entry.module]?.[entry.name];
    if (entry.desc.kind === "memory") {
      const memory = (given as WebAssembly.Memory | undefined) ?? standInMemory(entry);
      importedMemories.set(memoryIndex++, memory);
      provide(entry.module, entry.name, memory);
    } else if (given !== undefined) {
      provide(entry.module, entry.name, given);
    } else if (entry.desc.kind === "tag") {
      const tag = standInTag(module, entry, entry.desc.typeIndex);
      tags.push(tag);
      provide(entry.module, entry.name, tag.tag as unknown as WebAssembly.ImportValue);
    } else if (!imports[entry.module]?.[entry.name]) {
      provide(entry.module, entry.name, standIn(entry));
    }
  }
  for (const { slot, memory } of slotMemories) provide(slot.module, slot.name, memory);
  return { imports, importedMemories, wasi, output, tags };
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
      throw new Error(`a tag import is made by standInTag, not here: ${where}`);
    case "memory":
      return standInMemory(entry);
  }
}

/** The JS API's names of the value types a Tag can carry. */
const TAG_VALUE_TYPES: Record<string, string> = {
  i32: "i32",
  i64: "i64",
  f32: "f32",
  f64: "f64",
  externref: "externref",
  funcref: "anyfunc",
};

/** A new tag of the import's declared type: the module throws and catches it as its own. */
function standInTag(module: WasmModule, entry: Import, typeIndex: number): KnownTag {
  const where = `"${entry.module}"."${entry.name}"`;
  const params = module.funcTypes[typeIndex]?.params;
  if (!params)
    throw new Error(
      `cannot provide import ${where}: its tag type ${typeIndex} is no function type`,
    );
  const unsupported = params.find((type) => !(type in TAG_VALUE_TYPES));
  if (unsupported !== undefined)
    throw new Error(
      `cannot provide import ${where}: a tag carrying ${unsupported} cannot be created from JavaScript`,
    );
  const tag = new WebAssembly.Tag({
    parameters: params.map((type) => TAG_VALUE_TYPES[type]!),
  } as WebAssembly.TagType);
  return { name: `import ${where}`, tag, params };
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
