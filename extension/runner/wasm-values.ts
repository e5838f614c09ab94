// Typed values crossing into and out of wasm: arguments parsed from text ("42",
// "-1", "0x10", "1.5", "nan") by the export's parameter types, and results turned into
// JSON-safe values (i64 as a decimal string, floats as numbers or "nan"/"inf" text).

import type { WasmValueJson } from "../../common/run-types";
import type { FuncType, WasmModule } from "../analysis/module-types";

/** The signature of the exported function `exportName`, once `args` fit its parameter
 *  count; throws naming what is wrong (both engines call exports through this). */
export function exportSignature(module: WasmModule, exportName: string, args: string[]): FuncType {
  const exported = module.exports.find((e) => e.kind === "func" && e.name === exportName);
  if (!exported) throw new Error(`no exported function "${exportName}"`);
  const signature = module.funcTypes[module.functionTypes[exported.index]!];
  if (!signature) throw new Error(`export "${exportName}" has no function type`);
  if (args.length !== signature.params.length) {
    throw new Error(
      `"${exportName}" takes ${signature.params.length} argument(s) (${signature.params.join(", ")}), got ${args.length}`,
    );
  }
  return signature;
}

export function parseArgument(
  text: string,
  type: string,
  position: number,
): number | bigint | null {
  const fail = (): never => {
    throw new Error(`argument ${position + 1}: ${JSON.stringify(text)} is not a valid ${type}`);
  };
  switch (type) {
    case "i32": {
      const value = integerText(text) ?? fail();
      if (value < -(2n ** 31n) || value >= 2n ** 32n) fail();
      return Number(BigInt.asIntN(32, value));
    }
    case "i64": {
      const value = integerText(text) ?? fail();
      if (value < -(2n ** 63n) || value >= 2n ** 64n) fail();
      return BigInt.asIntN(64, value);
    }
    case "f32":
    case "f64": {
      const special: Record<string, number> = {
        nan: NaN,
        inf: Infinity,
        "-inf": -Infinity,
        "+inf": Infinity,
      };
      if (text.toLowerCase() in special) return special[text.toLowerCase()]!;
      const value = Number(text);
      if (text.trim() === "" || Number.isNaN(value)) fail();
      return value;
    }
    case "externref":
    case "funcref":
      if (text !== "null") fail();
      return null;
    default:
      throw new Error(
        `argument ${position + 1}: parameters of type ${type} cannot be passed from the command line`,
      );
  }
}

/** "42", "-7", "0x10", "-0x10" as a bigint, or null. BigInt() itself takes no sign before
 *  a hex prefix, so the sign is applied to the magnitude. */
function integerText(text: string): bigint | null {
  const match = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(text);
  if (!match) return null;
  const magnitude = BigInt(match[2]!);
  return match[1] ? -magnitude : magnitude;
}

export function resultJson(value: unknown, type: string): WasmValueJson {
  if (typeof value === "bigint") return { type, value: value.toString() };
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { type, value: "nan" };
    if (!Number.isFinite(value)) return { type, value: value > 0 ? "inf" : "-inf" };
    return { type, value };
  }
  if (value === null || value === undefined) return { type, value: null };
  return { type, value: String(value) };
}
