// `npm run bench`: runs every bench in bench/ in turn. Pass bench names to run only
// those, e.g. `npm run bench -- reader-vs-objdump`.

import { runComparePaint } from "./compare-paint";
import { runComponentInspect } from "./component-inspect";
import { runCowInstantiation } from "./cow-instantiation";
import { runLargeModulePaint } from "./large-module-paint";
import { runPageMapPaint } from "./page-map-paint";
import { runReaderVsObjdump } from "./reader-vs-objdump";
import { runResetCost } from "./reset-cost";
import { runRubyInstantiation } from "./ruby-instantiation";
import { runSnapshotSpeed } from "./snapshot-speed";
import { runWasmtimeCycle } from "./wasmtime-cycle";

const BENCHES: Record<string, () => Promise<void>> = {
  "reader-vs-objdump": runReaderVsObjdump,
  "cow-instantiation": runCowInstantiation,
  "reset-cost": runResetCost,
  "snapshot-speed": runSnapshotSpeed,
  "page-map-paint": runPageMapPaint,
  "large-module-paint": runLargeModulePaint,
  "compare-paint": runComparePaint,
  "wasmtime-cycle": runWasmtimeCycle,
  "ruby-instantiation": runRubyInstantiation,
  "component-inspect": runComponentInspect,
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    throw new Error(
      `unknown bench ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`,
    );
  }
  for (const [name, run] of Object.entries(BENCHES)) {
    if (names.length && !names.includes(name)) continue;
    console.log(`# ${name}`);
    await run();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
