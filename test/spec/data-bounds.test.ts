// data.wast decides which modules trap at instantiation because an active segment
// does not fit: the planner must see an out-of-bounds segment exactly there, with the
// spectest host's values bound to the imports (as the spec interpreter runs it).

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DENSE_LIMIT, planImages } from "../../extension/analysis/image-planner";
import { readModule } from "../../extension/analysis/module-reader";
import type { WasmModule } from "../../extension/analysis/module-types";
import {
  readSpecModule,
  specScripts,
  spectestBindings,
  where,
  type SpecCommand,
} from "../helpers/spec-suite";

// data.wast of Wasm 3.0 is split in two: data0 (syntax, valid modules), data1 (bounds).
const DATA_SCRIPTS = ["wasm-2.0/data", "wasm-3.0/data0", "wasm-3.0/data1"];
const OOB = "out of bounds memory access";

function commandsOf(script: string): SpecCommand[] {
  const found = specScripts().find((s) => `${s.set}/${s.name}` === script);
  if (!found) throw new Error(`spec script ${script} is missing`);
  return found.commands.filter(
    (c) =>
      c.type === "module" ||
      c.type === "assert_uninstantiable" ||
      (c.type === "assert_trap" && c.file !== null),
  );
}

/** Only defined memories and only `i32.const` / `i64.const` offsets: then the static
 *  pass alone can prove a segment out of bounds. */
function constantOffsetsOnly(module: WasmModule): boolean {
  return (
    module.memories.every((m) => m.import === null) &&
    module.dataSegments.every(
      (s) =>
        s.mode === "passive" ||
        (s.offsetExpr!.instrs.length === 1 &&
          (s.offsetExpr!.instrs[0]!.op === "i32.const" ||
            s.offsetExpr!.instrs[0]!.op === "i64.const")),
    )
  );
}

for (const script of DATA_SCRIPTS) {
  test(`${script}: out-of-bounds segments exactly where instantiation traps`, (t) => {
    const commands = commandsOf(script);
    assert.ok(commands.length > 0, `${script} has no module commands`);
    const failures: string[] = [];
    let trapCount = 0;
    let staticChecks = 0;
    for (const command of commands) {
      const traps = command.type !== "module" && command.text === OOB;
      if (command.type !== "module" && !traps) {
        failures.push(`${where(command)}: unexpected ${command.type} text "${command.text}"`);
      }
      if (traps) trapCount++;
      const module = readModule(readSpecModule(command));
      const plan = planImages(module, {
        pageSize: 65536,
        denseLimit: DEFAULT_DENSE_LIMIT,
        bindings: spectestBindings(module),
      });
      const outside = plan.segments.filter((s) => s.bounds === "out-of-bounds");
      const unknown = plan.segments.filter((s) => s.bounds === "unknown");
      const label = `${where(command)} ${command.type}`;
      if (outside.length > 0 !== traps) {
        failures.push(
          `${label}: segments out of bounds [${outside.map((s) => s.segment).join(", ")}], but the spec says it ${traps ? "traps" : "instantiates"}`,
        );
      }
      // With spectest bound, every offset is known.
      if (unknown.length) {
        failures.push(`${label}: segments of unknown bounds [${unknown.map((s) => s.segment)}]`);
      }
      if (constantOffsetsOnly(module)) {
        staticChecks++;
        const refusedOOB = plan.segmentedBy?.code === "out-of-bounds";
        if (refusedOOB !== traps) {
          failures.push(
            `${label}: segmentedBy is ${plan.segmentedBy?.code ?? "null"}, expected ${traps ? "out-of-bounds" : "anything else"}`,
          );
        }
      }
    }
    t.diagnostic(
      `${commands.length} modules, ${trapCount} trap; ${staticChecks} with constant offsets only`,
    );
    assert.deepEqual(failures, []);
  });
}

test("data.wast has trapping modules in both sets", () => {
  const trapping = DATA_SCRIPTS.map((s) => commandsOf(s).filter((c) => c.type !== "module").length);
  // wasm-2.0/data and wasm-3.0/data1 each hold 14 assert_trap modules (README counts).
  assert.deepEqual(trapping, [14, 0, 14]);
});
