// The folder a session opens: a fresh copy of examples/ (the WAT sources and the built
// sample modules in build/) in a temporary folder also named `examples`, plus any modules
// a scenario adds (the runaway module). A copy, so a scenario's extra files never land in
// the repository and a concurrent `npm run build` rewriting examples/build/ cannot make an
// open editor reload mid-scenario.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildExamples } from "../../../scripts/build-examples";

export const EXAMPLES_SOURCE = path.resolve(__dirname, "../../../examples");

/** The sample modules scripts/build-examples.ts builds, by file name. */
export const SAMPLES = [
  "dense.wasm",
  "dirty-per-call.wasm",
  "imported-memory.wasm",
  "pic.wasm",
  "regions.wasm",
  "sparse.wasm",
  "stack-first.wasm",
  "tiny.wasm",
] as const;

export interface Workspace {
  /** The folder to open (…/examples). */
  folder: string;
  /** Absolute path of a file given relative to the folder ("build/tiny.wasm"). */
  file(relative: string): string;
  /** Removes the temporary folder. */
  dispose(): void;
}

/** `extra`: more files, relative path → bytes ("build/runaway.wasm" → module bytes). */
export async function makeWorkspace(extra: Record<string, Uint8Array> = {}): Promise<Workspace> {
  const built = path.join(EXAMPLES_SOURCE, "build");
  if (SAMPLES.some((name) => !existsSync(path.join(built, name)))) await buildExamples();
  const base = mkdtempSync(path.join(os.tmpdir(), "wasm-cow-e2e-"));
  const folder = path.join(base, "examples");
  try {
    mkdirSync(path.join(folder, "build"), { recursive: true });
    for (const name of readdirSync(EXAMPLES_SOURCE).filter((f) => f.endsWith(".wat"))) {
      copyFileSync(path.join(EXAMPLES_SOURCE, name), path.join(folder, name));
    }
    for (const name of SAMPLES) {
      copyFileSync(path.join(built, name), path.join(folder, "build", name));
    }
    for (const [relative, bytes] of Object.entries(extra)) {
      mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
      await writeFile(path.join(folder, relative), bytes);
    }
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
  return {
    folder,
    file: (relative) => path.join(folder, relative),
    dispose: () => rmSync(base, { recursive: true, force: true, maxRetries: 3 }),
  };
}
