// Every binary `assert_malformed` of the spec suite must be rejected: by the reader
// with a DecodeError inside the file, or, where the problem sits inside a function
// body (which the reader skips by design), by V8 compiling that very body.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DecodeError } from "../../extension/analysis/binary-cursor";
import { readModule } from "../../extension/analysis/module-reader";
import { enableWasmFeatures } from "../../extension/runner/v8-features";
import { readSpecModule, specScripts, where, type SpecCommand } from "../helpers/spec-suite";
import { functionBodyFailure, v8CompileError } from "../helpers/v8-oracle";

enableWasmFeatures();

type Verdict = { by: "reader" } | { by: "v8" } | { by: "nobody"; problem: string };

function judge(command: SpecCommand): Verdict {
  const bytes = readSpecModule(command);
  let module;
  try {
    module = readModule(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) {
      return { by: "nobody", problem: `reader threw a non-DecodeError: ${String(error)}` };
    }
    if (!(error.offset >= 0 && error.offset <= bytes.length)) {
      return {
        by: "nobody",
        problem: `DecodeError offset ${error.offset} outside the ${bytes.length}-byte file (${error.message})`,
      };
    }
    return { by: "reader" };
  }
  const message = v8CompileError(bytes);
  if (message === null) return { by: "nobody", problem: "accepted by the reader and by V8" };
  const failure = functionBodyFailure(message);
  if (!failure) {
    return {
      by: "nobody",
      problem: `reader accepted it and V8's error is not about a function body: ${message}`,
    };
  }
  // V8 counts imported functions; the reader's bodies are the defined ones.
  const body = failure.functionIndex - module.importedFunctionCount;
  const [start, end] = [module.codeBodies[2 * body], module.codeBodies[2 * body + 1]];
  if (start === undefined || end === undefined || failure.offset < start || failure.offset > end) {
    return {
      by: "nobody",
      problem: `V8 blames function #${failure.functionIndex} at byte ${failure.offset}, which is not inside that body as the reader sees it (${start}..${end}): ${message}`,
    };
  }
  return { by: "v8" };
}

const scripts = specScripts()
  .map((s) => ({
    ...s,
    malformed: s.commands.filter((c) => c.type === "assert_malformed" && c.moduleType === "binary"),
  }))
  .filter((s) => s.malformed.length > 0);

const tally = { reader: 0, v8: 0, nobody: 0 };

for (const script of scripts) {
  test(`${script.set}/${script.name}: every binary assert_malformed is rejected`, (t) => {
    const failures: string[] = [];
    for (const command of script.malformed) {
      const verdict = judge(command);
      tally[verdict.by]++;
      if (verdict.by === "nobody")
        failures.push(`${where(command)} [${command.text}]: ${verdict.problem}`);
    }
    t.diagnostic(`${script.malformed.length} malformed binaries`);
    assert.deepEqual(failures, []);
  });
}

test("the suite has malformed binaries, and the reader rejects most of them itself", (t) => {
  const total = tally.reader + tally.v8 + tally.nobody;
  // wast2json of both sets: binary.wast and binary-leb128.wast hold 339 of them.
  assert.ok(total >= 300, `only ${total} binary assert_malformed commands were judged`);
  t.diagnostic(`rejected by the reader: ${tally.reader}, by V8 (function bodies): ${tally.v8}`);
  // Body-level problems are a small minority of the suite; a reader that lets most
  // malformed modules through to V8 is not doing its job.
  assert.ok(
    tally.reader >= 0.85 * total,
    `the reader rejected only ${tally.reader} of ${total} malformed binaries`,
  );
});
