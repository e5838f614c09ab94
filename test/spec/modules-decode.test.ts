// Every valid module of the spec suite decodes, and every `assert_invalid` binary is
// refused by the reader (structural problems) or by V8 (validation).

import assert from "node:assert/strict";
import { test } from "node:test";
import { readModule } from "../../extension/analysis/module-reader";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import {
  isBinaryModule,
  readSpecModule,
  specCommands,
  where,
  type SpecCommand,
} from "../helpers/spec-suite";
import { v8CompileError } from "../helpers/v8-oracle";

enableWasmFeatures();

/** Commands whose module is well-formed and valid: it must decode. Uninstantiable and
 *  unlinkable modules only fail later, at link or instantiation time. */
const VALID = new Set(["module", "assert_uninstantiable", "assert_unlinkable"]);

function decodeFailure(command: SpecCommand): string | null {
  try {
    readModule(readSpecModule(command));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

test("every binary module command of both sets decodes", (t) => {
  const modules = specCommands((c) => c.type === "module" && isBinaryModule(c));
  const failures = modules.flatMap((c) => {
    const problem = decodeFailure(c);
    return problem === null ? [] : [`${where(c)}: ${problem}`];
  });
  t.diagnostic(`${modules.length} module commands decoded`);
  assert.ok(modules.length >= 400, `only ${modules.length} module commands found`);
  assert.deepEqual(failures, []);
});

test("uninstantiable and unlinkable modules decode too (they are valid)", (t) => {
  const modules = specCommands(
    (c) => VALID.has(c.type) && c.type !== "module" && isBinaryModule(c),
  );
  const failures = modules.flatMap((c) => {
    const problem = decodeFailure(c);
    return problem === null ? [] : [`${where(c)} ${c.type}: ${problem}`];
  });
  t.diagnostic(`${modules.length} assert_uninstantiable / assert_unlinkable modules decoded`);
  assert.ok(modules.length > 0);
  assert.deepEqual(failures, []);
});

test("every binary assert_invalid is rejected by the reader or by V8", (t) => {
  const invalid = specCommands((c) => c.type === "assert_invalid" && isBinaryModule(c));
  const by = { reader: [] as string[], v8: [] as string[] };
  const accepted: string[] = [];
  for (const command of invalid) {
    const bytes = readSpecModule(command);
    let memories: number;
    try {
      memories = readModule(bytes).memories.length;
    } catch (error) {
      by.reader.push(`${where(command)} [${command.text}]: ${(error as Error).message}`);
      continue;
    }
    const message = v8CompileError(bytes);
    if (message === null) accepted.push(`${where(command)} [${command.text}]`);
    else by.v8.push(`${where(command)} [${command.text}] (${memories} memories): ${message}`);
  }
  t.diagnostic(
    `${invalid.length} assert_invalid: ${by.reader.length} rejected by the reader, ${by.v8.length} by V8`,
  );
  // Invalid (not malformed) modules the reader still refuses: an offset expression
  // with a non-constant instruction has immediates the reader cannot skip.
  for (const line of by.reader) t.diagnostic(`reader: ${line}`);
  assert.ok(invalid.length >= 500, `only ${invalid.length} assert_invalid commands found`);
  assert.deepEqual(accepted, []);
});
