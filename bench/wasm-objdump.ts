// wasm-objdump (wabt, a C++ implementation independent of ours) as a reference: runs
// `wasm-objdump -h -x FILE` and parses the parts of its text output that the reader
// also decodes. Shared by the real-module test (cross-check) and the bench (timing).
//
// The parser is strict: a line in a parsed part that does not match the expected shape
// throws, so a format change cannot silently produce empty lists.

import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

/** The native wasm-objdump (Debian's wabt: /usr/bin), found on PATH but never in a
 *  node_modules/.bin: under `npm run`/`npm test` that directory comes first and holds
 *  the wabt npm package's wasm-objdump, a different version (1.0.39 vs Debian's 1.0.32)
 *  running as WebAssembly inside a fresh Node process. WASM_OBJDUMP overrides. */
export const WASM_OBJDUMP = process.env.WASM_OBJDUMP ?? findNativeObjdump();

function findNativeObjdump(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir || dir.split(path.sep).includes("node_modules")) continue;
    const candidate = path.join(dir, "wasm-objdump");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error("wasm-objdump not found on PATH: install Debian's wabt (apt-get install wabt)");
}

export interface DumpSection {
  /** objdump's name: Type, Import, …, DataCount, Custom. */
  name: string;
  /** Payload range [start, end). */
  start: number;
  end: number;
  count: number | null;
  customName: string | null;
}

export interface DumpMemory {
  index: number;
  initial: bigint;
  max: bigint | null;
  shared: boolean;
  i64: boolean;
  /** "module.name" for an imported memory. */
  import: string | null;
}

export type DumpInit =
  | { kind: "const"; type: "i32" | "i64"; value: bigint /* as printed: unsigned */ }
  | { kind: "global"; index: number }
  | { kind: "expr"; ops: string[] }
  | null; /* passive */

export interface DumpSegment {
  index: number;
  /** null for a passive segment. */
  memory: number | null;
  size: number;
  init: DumpInit;
  /** The payload, re-assembled from objdump's hex dump. */
  bytes: Uint8Array;
}

export interface DumpImport {
  kind: string;
  /** Index in the kind's index space. */
  index: number;
  /** "module.name" */
  from: string;
}

export interface DumpExport {
  kind: string;
  index: number;
  name: string;
}

export interface ObjdumpModule {
  sections: DumpSection[];
  /** Imported memories first (from the Import details), then defined ones. */
  memories: DumpMemory[];
  /** The count in the `Import[N]:` header. */
  importCount: number;
  imports: DumpImport[];
  exports: DumpExport[];
  /** The count in the `Data[N]:` header. */
  dataHeaderCount: number | null;
  segments: DumpSegment[];
}

const SECTION_LINE =
  /^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x[0-9a-f]+\)(?: count: (\d+)| "(.*)"| start: \d+)?$/;
const DETAILS_HEADER = /^(\w+)(?:\[(\d+)\])?:$/;
const MEMORY_LINE =
  /^ - memory\[(\d+)\] pages: initial=(\d+)(?: max=(\d+))?((?: shared| i64)*)(?: <- (.+))?$/;
const IMPORT_LINE = /^ - (\w+)\[(\d+)\] .* <- (.+)$/;
const EXPORT_LINE = /^ - (\w+)\[(\d+)\] (?:<.*> )?-> "(.*)"$/;
const SEGMENT_LINE =
  /^ - segment\[(\d+)\](?: <.*?>)? (?:memory=(\d+)|passive) size=(\d+)(?: - init (.*))?$/;
const HEX_LINE = /^ {2}- [0-9a-f]+: /;

/** Runs `wasm-objdump -h -x file` and parses its output as it streams. */
export async function objdumpModule(file: string): Promise<ObjdumpModule> {
  const child = spawn(WASM_OBJDUMP, ["-h", "-x", file], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const parser = new ObjdumpParser();
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      parser.line(line);
    }
  } catch (error) {
    child.kill();
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`${WASM_OBJDUMP} -h -x ${file} exited ${code}: ${stderr.trim()}`);
  return parser.finish();
}

class ObjdumpParser {
  private readonly result: ObjdumpModule = {
    sections: [],
    memories: [],
    importCount: 0,
    imports: [],
    exports: [],
    dataHeaderCount: null,
    segments: [],
  };
  private part: "sections" | "details" | null = null;
  private section = "";
  private segment: { dump: DumpSegment; filled: number } | null = null;

  line(line: string): void {
    if (line === "Sections:") this.part = "sections";
    else if (line === "Section Details:") this.part = "details";
    else if (this.part === "sections") this.sectionLine(line);
    else if (this.part === "details") this.detailLine(line);
  }

  finish(): ObjdumpModule {
    this.closeSegment();
    return this.result;
  }

  private sectionLine(line: string): void {
    if (line.trim() === "") return;
    const m = SECTION_LINE.exec(line);
    if (!m) throw new Error(`unexpected section line: ${line}`);
    this.result.sections.push({
      name: m[1]!,
      start: parseInt(m[2]!, 16),
      end: parseInt(m[3]!, 16),
      count: m[4] === undefined ? null : Number(m[4]),
      customName: m[5] ?? null,
    });
  }

  private detailLine(line: string): void {
    const header = DETAILS_HEADER.exec(line);
    if (header) {
      this.closeSegment();
      this.section = header[1]!;
      if (this.section === "Import") this.result.importCount = Number(header[2] ?? 0);
      if (this.section === "Data") this.result.dataHeaderCount = Number(header[2] ?? 0);
      return;
    }
    switch (this.section) {
      case "Import":
        this.importLine(line);
        if (line.startsWith(" - memory[")) this.memoryLine(line);
        break;
      case "Memory":
        if (line.startsWith(" - memory[") && line.includes(" pages: ")) this.memoryLine(line);
        break;
      case "Export":
        this.exportLine(line);
        break;
      case "Data":
        this.dataLine(line);
        break;
    }
  }

  private memoryLine(line: string): void {
    const m = MEMORY_LINE.exec(line);
    if (!m) throw new Error(`unexpected memory line: ${line}`);
    this.result.memories.push({
      index: Number(m[1]),
      initial: BigInt(m[2]!),
      max: m[3] === undefined ? null : BigInt(m[3]),
      shared: m[4]!.includes(" shared"),
      i64: m[4]!.includes(" i64"),
      import: m[5] ?? null,
    });
  }

  private importLine(line: string): void {
    const m = IMPORT_LINE.exec(line);
    if (!m) throw new Error(`unexpected import line: ${line}`);
    this.result.imports.push({ kind: m[1]!, index: Number(m[2]), from: m[3]! });
  }

  private exportLine(line: string): void {
    const m = EXPORT_LINE.exec(line);
    if (!m) throw new Error(`unexpected export line: ${line}`);
    this.result.exports.push({ kind: m[1]!, index: Number(m[2]), name: m[3]! });
  }

  private dataLine(line: string): void {
    if (HEX_LINE.test(line) && this.segment) {
      this.hexLine(line, this.segment);
      return;
    }
    const m = SEGMENT_LINE.exec(line);
    if (!m) throw new Error(`unexpected data line: ${line}`);
    this.closeSegment();
    const size = Number(m[3]);
    const dump: DumpSegment = {
      index: Number(m[1]),
      memory: m[2] === undefined ? null : Number(m[2]),
      size,
      init: m[2] === undefined ? null : parseInit(m[4] ?? ""),
      bytes: new Uint8Array(size),
    };
    this.segment = { dump, filled: 0 };
  }

  /** `  - 0100000: 2f6d 6e74 …  text`: eight groups of two bytes in 40 columns. */
  private hexLine(line: string, segment: { dump: DumpSegment; filled: number }): void {
    const hex = line
      .slice(line.indexOf(": ") + 2)
      .slice(0, 40)
      .replace(/ /g, "");
    for (let i = 0; i + 1 < hex.length; i += 2) {
      if (segment.filled >= segment.dump.size) {
        throw new Error(`segment ${segment.dump.index}: more bytes dumped than its size`);
      }
      segment.dump.bytes[segment.filled++] = parseInt(hex.slice(i, i + 2), 16);
    }
  }

  private closeSegment(): void {
    if (!this.segment) return;
    const { dump, filled } = this.segment;
    if (filled !== dump.size) {
      throw new Error(`segment ${dump.index}: dump has ${filled} of ${dump.size} bytes`);
    }
    this.result.segments.push(dump);
    this.segment = null;
  }
}

/** `i32=N` / `i64=N` / `global=N <name>` / `(global.get 0 <g>, i32.const 4, i32.add)`. */
function parseInit(text: string): DumpInit {
  const constant = /^(i32|i64)=(\d+)$/.exec(text);
  if (constant)
    return { kind: "const", type: constant[1] as "i32" | "i64", value: BigInt(constant[2]!) };
  const global = /^global=(\d+)(?: <.*>)?$/.exec(text);
  if (global) return { kind: "global", index: Number(global[1]) };
  if (text.startsWith("(") && text.endsWith(")")) {
    const ops = text
      .slice(1, -1)
      .split(", ")
      .map((instr) => instr.split(" ")[0]!);
    return { kind: "expr", ops };
  }
  throw new Error(`unexpected init expression: ${text}`);
}
