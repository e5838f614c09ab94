// Builds the sample modules in examples/ (WAT sources in the repo) into examples/build/,
// plus a generated dense multi-megabyte module that is too big to write by hand.

import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { wat } from "../test/helpers/wat";

const examples = path.resolve(__dirname, "../examples");
const output = path.join(examples, "build");

/** A dense image: 2 MiB of deterministic non-zero bytes in 32 segments of 64 KiB. */
function denseWat(): string {
  const segments: string[] = [];
  let state = 0x2545f491;
  for (let s = 0; s < 32; s++) {
    let text = "";
    for (let i = 0; i < 65536; i++) {
      state = (state * 1103515245 + 12345) >>> 0; // an LCG: reproducible, no zero runs to trim
      text += `\\${((state >>> 16) | 1).toString(16).padStart(2, "0").slice(-2)}`;
    }
    segments.push(`  (data (i32.const ${s * 65536}) "${text}")`);
  }
  return `(module\n  (memory (export "memory") 64)\n${segments.join("\n")})`;
}

/** Tests build the samples from parallel processes: a reader must never see a file
 *  half written, so each is written beside its target and renamed over it. */
function writeAtomically(target: string, bytes: Uint8Array): void {
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, target);
}

export async function buildExamples(): Promise<string[]> {
  mkdirSync(output, { recursive: true });
  const sources = readdirSync(examples)
    .filter((f) => f.endsWith(".wat"))
    .sort();
  const built: string[] = [];
  for (const source of sources) {
    const target = path.join(output, source.replace(/\.wat$/, ".wasm"));
    writeAtomically(target, await wat(readFileSync(path.join(examples, source), "utf8")));
    built.push(target);
  }
  const dense = path.join(output, "dense.wasm");
  writeAtomically(dense, await wat(denseWat()));
  built.push(dense);
  // The extension ships one sample for its walkthrough ("Open the Sample Module").
  const samples = path.resolve(__dirname, "../media/samples");
  mkdirSync(samples, { recursive: true });
  writeAtomically(
    path.join(samples, "dirty-per-call.wasm"),
    readFileSync(path.join(output, "dirty-per-call.wasm")),
  );
  return built;
}

if (require.main === module) {
  buildExamples().then(
    (files) => console.log(files.map((f) => path.relative(process.cwd(), f)).join("\n")),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
