// The expectations of the end-to-end scenarios: the built CLI (`dist/cli.js`, what
// `npm run build` makes and the package ships beside the extension) run on the same file
// with the extension's default settings (page size 4096, dense limit 16 MiB; the runner's
// pool of 8 slots, max_unused_warm_slots 100, madvise reset, which are also the CLI's).

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { StepRecord } from "../../../common/run-types";

export const CLI = path.resolve(__dirname, "../../../dist/cli.js");

/** The extension's defaults (package.json `wasmCow.targetPageSize`, `denseImageLimit`). */
export const DEFAULT_PAGE_SIZE = 4096;
export const DEFAULT_DENSE_LIMIT = 16 * 1024 * 1024;

/** `wasm-cow inspect FILE --json` as parsed JSON (the samples' values fit in numbers). */
export function inspectJson(file: string): InspectJson {
  return JSON.parse(
    cli([
      "inspect",
      file,
      "--json",
      "--page-size",
      String(DEFAULT_PAGE_SIZE),
      "--dense-limit",
      String(DEFAULT_DENSE_LIMIT),
    ]),
  ) as InspectJson;
}

/** `wasm-cow run FILE ARGS… --json`, parsed. */
export function runJson(file: string, args: string[]): RunJson {
  return JSON.parse(cli(["run", file, ...args, "--json"])) as RunJson;
}

function cli(args: string[]): string {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  // spawnSync ends the process itself (SIGKILL by its pid) if it outlives the time-out.
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    throw new Error(
      `wasm-cow ${args.join(" ")} exited with ${result.status ?? result.signal}: ${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The parts of `inspect --json` the scenarios read. */
export interface InspectJson {
  [key: string]: unknown;
  size: number;
  wasmtime: { compiles: boolean | null; reason: string | null };
  features: { feature: string }[];
  plan: { pageSize: number; denseLimit: number };
  memories: { index: number; minPages: number; pageSizeLog2: number }[];
  images: {
    memory: number;
    static: boolean;
    reason: string | null;
    offset: number | null;
    length: number;
    pages: number;
    nonzeroPages: number;
    dataBytes: number;
  }[];
  dataSegments: {
    index: number;
    mode: "active" | "passive";
    memory: number | null;
    name: string | null;
    size: number;
    fileOffset: number;
    start: number | null;
  }[];
  passiveSegments: number;
}

export interface RunJson {
  /** The engine that ran the module (`--engine`). */
  engine?: { kind: string; version: string };
  steps: (Omit<StepRecord, "memories"> & {
    memories: Omit<StepRecord["memories"][number], "states">[];
  })[];
}

/** The steps that belong to instances (acquire … reset), without module-wide ones. */
export function instanceSteps<T extends { instance: number | null }>(
  steps: readonly T[],
  instance?: number,
): T[] {
  return steps.filter(
    (s) => s.instance !== null && (instance === undefined || s.instance === instance),
  );
}
