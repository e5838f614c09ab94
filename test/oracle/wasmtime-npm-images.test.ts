// The real Wasmtime 49.0.0 against our report on real modules from npm (Rust, Go,
// Emscripten): its compile verdict with the default configuration and the
// copy-on-write images it really mapped must be what `inspectModule` says. Cranelift
// takes long on the big ones (measured on 2 cores: duckdb 40-65 s, lightningcss 14-42 s,
// ffmpeg 17 s, esbuild 6-7 s; the diagnostics print each run's times), so every module
// gets a generous limit.

import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fetchRealModule, REAL_MODULES } from "../helpers/npm-wasm";
import { differential, type OracleOptions } from "../helpers/wasmtime-oracle";

/** Compiling is most of a module's time; a start function gets 10 s. */
const OPTIONS: OracleOptions = { instantiateTimeoutMs: 10_000, moduleTimeoutMs: 15 * 60_000 };
const TIMEOUT = 20 * 60_000;

for (const real of REAL_MODULES) {
  test(
    `${real.label} (${real.spec}): Wasmtime agrees with our report`,
    { timeout: TIMEOUT },
    async (t) => {
      const bytes = await fetchRealModule(real);
      const label = `${real.spec} ${path.basename(real.file)}`;
      const subject = { label, fileName: path.basename(real.file), bytes };
      const { disagreements, counts, results } = await differential([subject], OPTIONS);
      const result = results.get(label)!;
      t.diagnostic(
        `compile ${result.compileMs ?? "-"} ms, instantiate ${result.instantiateMs ?? "-"} ms, ` +
          `${result.wallMs} ms in all; ${result.instantiated ?? result.error ?? result.status}; ` +
          `${counts.memories} memories compared, ${counts.images} images on both sides`,
      );
      for (const line of disagreements) t.diagnostic(line);
      assert.deepEqual(disagreements, []);
    },
  );
}
