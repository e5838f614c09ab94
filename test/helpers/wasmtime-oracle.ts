// The real Wasmtime 49.0.0 as an oracle: runs test/helpers/wasmtime_oracle.py (python3
// with the `wasmtime` package) on a batch of modules and returns, per module, Wasmtime's
// compile verdict and the copy-on-write images it really mapped; and the comparison of
// that truth with our report, as a list of disagreements.

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { DEFAULT_DENSE_LIMIT } from "../../extension/analysis/image-planner";
import { inspectModule } from "../../extension/analysis/inspect";
import type { InspectReport } from "../../common/report-types";

const WASMTIME_VERSION = "49.0.0";
const INSTALL = `pip3 install wasmtime==${WASMTIME_VERSION}`;
const SCRIPT = path.join(__dirname, "wasmtime_oracle.py");

export interface OracleModule {
  id: string;
  bytes: Uint8Array;
  /** Config switches to turn on: `wasm_<name>` feature switches ("custom_page_sizes"),
   *  or "shared_memory", without which Wasmtime creates no shared memory. */
  features?: readonly string[];
}

export interface OracleOptions {
  /** How long the start function may run before the process state is read. */
  instantiateTimeoutMs: number;
  /** The whole child (compile included); past it the child is killed. */
  moduleTimeoutMs: number;
}

/** The memfd of one memory's image and where it is mapped. */
export interface OracleImage {
  /** Mapping address minus the memory's base. */
  offset: number;
  /** Mapped length. */
  length: number;
  memfdSize: number;
  sha256: string;
  /** File offset of the mapping in the memfd. */
  fileOffset: number;
  /** How the mapping was tied to this memory. */
  attributedBy: string;
}

export interface OracleMemory {
  memory: number;
  imported: boolean;
  exports: string[];
  image: OracleImage | null;
}

/** A memfd (or one of its mappings) the oracle could not tie to a memory. */
export interface OracleUnattributed {
  memfdSize: number;
  sha256: string;
  offset?: number | null;
  length?: number;
  address?: number;
  why: string;
}

export interface OracleResult {
  id: string;
  features: string[];
  /** "done", "timed out after N ms", "crashed: SIGSEGV", "oracle error: …". */
  status: string;
  wallMs: number;
  /** Absent only when the child died before compiling. */
  compiles?: boolean;
  /** Root cause of the compile error, in Wasmtime's words. */
  error?: string | null;
  validateError?: string | null;
  compileMs?: number;
  /** "ok", "trapped: …", "failed: …", "timed out after N ms", "not attempted: …". */
  instantiated?: string;
  instantiateMs?: number;
  /** Set when the process state was read from a copy exporting every memory. */
  instantiatedFrom?: string;
  /** Present when the process state was read after an instantiation. */
  memories?: OracleMemory[];
  unattributed?: OracleUnattributed[];
}

/** Runs the oracle on `modules` (one forked child each, one after another). Throws
 *  when python3, the wasmtime package or its exact version is missing. */
export async function runWasmtimeOracle(
  modules: readonly OracleModule[],
  options: OracleOptions,
): Promise<Map<string, OracleResult>> {
  const dir = await mkdtemp(path.join(tmpdir(), "wasmtime-oracle-"));
  try {
    const entries = await Promise.all(
      modules.map(async (m, i) => {
        const file = path.join(dir, `${i}.wasm`);
        await writeFile(file, m.bytes);
        return { id: m.id, path: file, features: m.features ?? [] };
      }),
    );
    const lines = await runPython({ modules: entries, ...options }, modules.length, options);
    return collect(lines, modules);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collect(lines: string[], modules: readonly OracleModule[]): Map<string, OracleResult> {
  const results = lines.map((line) => JSON.parse(line) as OracleResult);
  const byId = new Map(results.map((r) => [r.id, r]));
  const missing = modules.filter((m) => !byId.has(m.id)).map((m) => m.id);
  if (missing.length) throw new Error(`the oracle gave no result for ${missing.join(", ")}`);
  return byId;
}

/** The oracle's first line names the wasmtime package's version: anything but 49.0.0
 *  would make the comparison meaningless. */
function versionProblem(header: string): string | null {
  const { version } = JSON.parse(header) as { version?: unknown };
  if (version === WASMTIME_VERSION) return null;
  return `the Python wasmtime package is ${String(version)}, the oracle needs ${WASMTIME_VERSION}: ${INSTALL}`;
}

function runPython(request: object, count: number, options: OracleOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    // The parent enforces each child's limit; this only catches a hung parent.
    const timer = setTimeout(() => child.kill("SIGKILL"), count * options.moduleTimeoutMs + 60_000);
    const lines: string[] = [];
    let headerSeen = false;
    let stderr = "";
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (headerSeen) {
        lines.push(line);
        return;
      }
      headerSeen = true;
      const problem = versionProblem(line);
      if (problem) {
        child.kill("SIGKILL");
        reject(new Error(problem));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = error.code === "ENOENT" ? "python3 is not on PATH" : error.message;
      reject(new Error(`the Wasmtime oracle needs python3 with wasmtime: ${why} (${INSTALL})`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(lines);
      reject(new Error(failure(stderr, code, signal)));
    });
    // A python3 that dies before reading it all breaks the pipe; "close" says why.
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}

function failure(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  if (/No module named '?wasmtime/.test(stderr)) {
    return `the Python package wasmtime is not installed for python3: ${INSTALL}`;
  }
  return `the Wasmtime oracle (python3 ${SCRIPT}) ended with ${signal ?? `exit code ${code}`}: ${stderr.trim()}`;
}

// --- comparison with our report -----------------------------------------------------

/** A module to compare: `switches` are Config switches without which Wasmtime cannot
 *  build or instantiate it (e.g. "custom_page_sizes"); "shared_memory" is added for
 *  any module with a shared memory. */
export interface Subject {
  label: string;
  fileName: string;
  bytes: Uint8Array;
  switches?: readonly string[];
}

export interface Differential {
  disagreements: string[];
  /** What was compared, for the test's diagnostics. */
  counts: {
    modules: number;
    oracleRuns: number;
    verdicts: number;
    compiled: number;
    memories: number;
    images: number;
  };
  /** Wasmtime's results by subject label: the default-config run, and `label +
   *  SWITCHED` for a run with switches. */
  results: Map<string, OracleResult>;
}

export const SWITCHED = " [switches on]";

/** Runs Wasmtime on every subject and compares with our report. A subject without
 *  switches gets one run (verdict and images); one with switches gets a default-config
 *  run for the verdict and a run with the switches for the images, since our verdict is
 *  about Wasmtime's default configuration. */
export async function differential(
  subjects: readonly Subject[],
  options: OracleOptions,
): Promise<Differential> {
  const runs = subjects.flatMap((subject) => {
    const ours = ourReport(subject.bytes, subject.fileName);
    const switches = switchesFor(subject, ours);
    const plain = { id: subject.label, bytes: subject.bytes };
    if (!switches.length) return [{ ours, module: plain, verdict: true, images: true }];
    const switched = { id: subject.label + SWITCHED, bytes: subject.bytes, features: switches };
    return [
      { ours, module: plain, verdict: true, images: false },
      { ours, module: switched, verdict: false, images: true },
    ];
  });
  const results = await runWasmtimeOracle(
    runs.map((r) => r.module),
    options,
  );
  const counts = { modules: subjects.length, oracleRuns: runs.length, verdicts: 0, compiled: 0 };
  const imageCounts = { memories: 0, images: 0 };
  const found = runs.flatMap(({ ours, module, verdict, images }) => {
    const result = results.get(module.id)!;
    if (verdict) counts.verdicts++;
    if (images && result.compiles) counts.compiled++;
    return [
      ...(verdict ? verdictDisagreement(ours, result) : []),
      ...(images ? imageDisagreements(ours, result, imageCounts) : []),
    ].map((d) => `${module.id}: ${d}`);
  });
  return { disagreements: found, counts: { ...counts, ...imageCounts }, results };
}

/** The subject's switches, plus "shared_memory" when it has a shared memory. */
function switchesFor(subject: Subject, ours: InspectReport | Error): string[] {
  const switches = [...(subject.switches ?? [])];
  const shared = !(ours instanceof Error) && ours.memories.some((m) => m.shared);
  if (shared && !switches.includes("shared_memory")) switches.push("shared_memory");
  return switches;
}

/** Our report on `bytes`, or the error our reader threw. */
function ourReport(bytes: Uint8Array, fileName: string): InspectReport | Error {
  try {
    return inspectModule(bytes, { fileName, pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Our verdict is on Wasmtime's default configuration; null (we cannot tell) counts
 *  as a disagreement too. A module our reader refuses is one we say does not compile. */
function verdictDisagreement(ours: InspectReport | Error, wasmtime: OracleResult): string[] {
  if (wasmtime.compiles === undefined) return [`oracle: ${wasmtime.status}`];
  const theirs = `wasmtime ${wasmtime.compiles}${wasmtime.error ? ` (${wasmtime.error})` : ""}`;
  if (ours instanceof Error) {
    return wasmtime.compiles ? [`compiles: ours false (${ours.message}) ${theirs}`] : [];
  }
  if (ours.wasmtime.compiles === wasmtime.compiles) return [];
  return [`compiles: ours ${ours.wasmtime.compiles} (${ours.wasmtime.reason}) ${theirs}`];
}

/** Images are compared only for modules Wasmtime compiles. */
function imageDisagreements(
  ours: InspectReport | Error,
  wasmtime: OracleResult,
  counts: { memories: number; images: number },
): string[] {
  if (wasmtime.compiles === undefined) return [`oracle: ${wasmtime.status}`];
  if (!wasmtime.compiles) return [];
  if (ours instanceof Error) return [`ours: ${ours.message}; wasmtime compiles it`];
  const found = wasmtime.status === "done" ? [] : [`oracle: ${wasmtime.status}`];
  if (ours.memories.length === 0 && !wasmtime.memories) return found;
  if (!wasmtime.memories) return [...found, `images: not observed (${wasmtime.instantiated})`];
  for (const u of wasmtime.unattributed ?? []) {
    found.push(`unattributed memfd of ${u.memfdSize} bytes (sha256 ${u.sha256}): ${u.why}`);
  }
  if (wasmtime.memories.length !== ours.memories.length) {
    found.push(`memories: ours ${ours.memories.length} wasmtime ${wasmtime.memories.length}`);
  }
  for (const memory of wasmtime.memories) {
    const image = ours.images[memory.memory];
    if (!image) continue;
    counts.memories++;
    if (memory.image && image.static) counts.images++;
    found.push(...memoryDisagreements(memory, image, wasmtime.instantiated));
  }
  return found;
}

function memoryDisagreements(
  memory: OracleMemory,
  ours: InspectReport["images"][number],
  instantiated: string | undefined,
): string[] {
  const where = `memory ${memory.memory}`;
  const theirs = memory.image;
  if (!theirs) {
    if (!ours.static) return [];
    const image = `image at ${ours.offset}, ${ours.length} bytes`;
    return [`${where}: static ours true (${image}) wasmtime no image (${instantiated})`];
  }
  if (!ours.static) {
    const image = `image at ${theirs.offset}, ${theirs.length} bytes`;
    return [`${where}: static ours false (${ours.reason}) wasmtime ${image}`];
  }
  const found: string[] = [];
  const field = (name: string, a: unknown, b: unknown): void => {
    if (a !== b) found.push(`${where}: ${name} ours ${String(a)} wasmtime ${String(b)}`);
  };
  field("offset", ours.offset, BigInt(theirs.offset));
  field("length", ours.length, theirs.length);
  field("sha256", ours.sha256, theirs.sha256);
  // The memfd holds exactly the image, from offset 0: anything else is an oracle fault.
  field("memfd size vs wasmtime's mapped length", theirs.memfdSize, theirs.length);
  field("memfd file offset (always 0)", theirs.fileOffset, 0);
  return found;
}
