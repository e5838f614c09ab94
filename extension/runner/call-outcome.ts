// How a call into a V8 instance ended when it did not return: a WASI program's exit, or
// a WebAssembly exception, in the words a user expects rather than Node's internals.
//
// - proc_exit: node:wasi ends a call that exits by throwing an internal symbol that only
//   its own start() catches ("Symbol(kExitCode)" otherwise). The runner gives proc_exit
//   its own function that throws WasiExit, from any call, with the code.
// - An uncaught exception: V8 gives a WebAssembly.Exception, whose tag and payload can be
//   read only with the Tag object itself: the tags this runner made for the module's tag
//   imports and the tags the instance exports are the ones it can name.

import type { WasmModule } from "../analysis/module-types";

/** Thrown by the runner's proc_exit: the program exited with `code`. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exited with code ${code} (proc_exit)`);
  }
}

/** A tag this runner can name, with its parameter types (the payload's). */
export interface KnownTag {
  name: string;
  tag: WebAssembly.Tag;
  params: string[];
}

/** The tags an instance of `module` exports, named by their export, with the payload
 *  types their declared type gives. */
export function exportedTags(exports: WebAssembly.Exports, module: WasmModule): KnownTag[] {
  return module.exports.flatMap((entry) => {
    const tag = exports[entry.name];
    const typeIndex = module.tagTypes[entry.index];
    const params = typeIndex === undefined ? undefined : module.funcTypes[typeIndex]?.params;
    return entry.kind === "tag" && tag instanceof WebAssembly.Tag && params
      ? [{ name: `export "${entry.name}"`, tag, params }]
      : [];
  });
}

/** What a call threw, in words: an exception with its tag and payload where the tag is
 *  known, an Error's message, anything else as text. */
export function thrownText(thrown: unknown, tags: readonly KnownTag[] = []): string {
  if (thrown instanceof WasiExit) return thrown.message;
  if (thrown instanceof WebAssembly.Exception) {
    const known = tags.find((t) => thrown.is(t.tag));
    if (!known)
      return "uncaught WebAssembly exception (its tag is neither imported nor exported, so its payload cannot be read)";
    const payload = known.params.map(
      (type, i) => `${type} ${payloadText(thrown.getArg(known.tag, i))}`,
    );
    return `uncaught WebAssembly exception, tag ${known.name}${payload.length ? `, payload ${payload.join(", ")}` : " (no payload)"}`;
  }
  if (thrown instanceof Error) return thrown.message;
  return String(thrown);
}

function payloadText(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "number") return String(value);
  return value === null ? "null" : `(${typeof value})`;
}
