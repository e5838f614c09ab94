// What the Overview must show for a module, from its `wasm-cow inspect --json`: every
// `data-field` of the view names a JSON path of the report ("images.0.length",
// "sections.length"), and the few that are counted from it are counted here.

import type { InspectJson } from "./cli";

/** Fields the Overview must have for every module with memories (the integers). */
export function requiredIntegerFields(json: InspectJson): string[] {
  return [
    "size",
    "sections.length",
    "imports.length",
    "exports.length",
    "functions.defined",
    "activeSegments",
    "passiveSegments",
    "plan.pageSize",
    "plan.denseLimit",
    ...json.images.flatMap((image) =>
      ["offset", "length", "pages", "nonzeroPages", "zeroPages", "dataBytes", "activeSegments"].map(
        (field) => `images.${image.memory}.${field}`,
      ),
    ),
  ];
}

/** Fields that are sentences made from several values (not a JSON path): not compared. */
const PROSE_FIELDS = [/^v8\.valid$/, /^memories\.\d+\.(limits|kind)$/];

/**
 * The text the Overview must show for `field`, or undefined for prose fields. Integers
 * and strings as JSON has them, null as "—", a verdict as "yes"/"no".
 */
export function expectedOverviewText(json: InspectJson, field: string): string | undefined {
  if (PROSE_FIELDS.some((pattern) => pattern.test(field))) return undefined;
  if (field === "activeSegments") {
    return String(json.dataSegments.filter((s) => s.mode === "active").length);
  }
  if (field === "features") {
    return json.features.map((use) => use.feature).join(", ") || "none beyond Wasm 1.0";
  }
  if (field === "wasmtime.compiles") {
    // The samples are plain Wasm 2.0: Wasmtime 49 compiles every one of them.
    if (json.wasmtime.compiles !== true)
      throw new Error(`Wasmtime refuses a sample: ${json.wasmtime.reason}`);
    return "compiles (default configuration)";
  }
  const value = resolve(json, field);
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" || typeof value === "string") return String(value);
  throw new Error(`data-field "${field}" is not a value of the inspect JSON: ${String(value)}`);
}

function resolve(json: unknown, field: string): unknown {
  let value = json;
  for (const key of field.split(".")) {
    if (value === null || typeof value !== "object" || !(key in value)) {
      throw new Error(`data-field "${field}" names no path of the inspect JSON (at "${key}")`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
