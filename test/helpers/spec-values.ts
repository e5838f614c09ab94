// Values of wast2json command lists: `{type, value}` with decimal bit-pattern strings
// (i32/i64 unsigned, f32/f64 as their IEEE bits), "nan:canonical" / "nan:arithmetic"
// expectations, and reference values. Floats are compared by bit pattern, never by
// numeric equality (so -0 ≠ +0 and NaN payloads count).

export interface SpecValue {
  type: string;
  value?: string | string[];
}

const scratch = new DataView(new ArrayBuffer(8));

function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}

function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

export function f32Bits(value: number): number {
  scratch.setFloat32(0, value);
  return scratch.getUint32(0);
}

export function f64Bits(value: number): bigint {
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0);
}

/** Host objects standing for `(ref.extern N)`: the same N is the same object. */
const externs = new Map<number, object>();
function externRef(n: number): object {
  let ref = externs.get(n);
  if (!ref) externs.set(n, (ref = { externref: n }));
  return ref;
}

function scalar(v: SpecValue): string {
  if (typeof v.value !== "string")
    throw new Error(`unsupported ${v.type} value ${JSON.stringify(v)}`);
  return v.value;
}

/** The JavaScript value V8 expects for a wasm argument of this type. */
export function toJs(v: SpecValue): unknown {
  const text = scalar(v);
  switch (v.type) {
    case "i32":
      return Number(BigInt.asIntN(32, BigInt(text)));
    case "i64":
      return BigInt.asIntN(64, BigInt(text));
    case "f32":
      return f32FromBits(Number(text));
    case "f64":
      return f64FromBits(BigInt(text));
    case "externref":
      return text === "null" ? null : externRef(Number(text));
    case "funcref":
      if (text === "null") return null;
      break;
  }
  throw new Error(`unsupported argument ${JSON.stringify(v)}`);
}

const F32_QUIET_NAN = 0x7fc00000;
const F64_QUIET_NAN = 0x7ff8000000000000n;

/** Why `actual` (a JavaScript value from V8) is not the expected wasm value, or null. */
export function mismatch(actual: unknown, expected: SpecValue): string | null {
  const text = scalar(expected);
  const wanted = `${expected.type}:${text}`;
  const got = describe(actual, expected.type);
  switch (expected.type) {
    case "i32":
      return typeof actual === "number" && String(actual >>> 0) === text
        ? null
        : `got ${got}, expected ${wanted}`;
    case "i64":
      return typeof actual === "bigint" && BigInt.asUintN(64, actual).toString() === text
        ? null
        : `got ${got}, expected ${wanted}`;
    case "f32": {
      if (typeof actual !== "number") return `got ${got}, expected ${wanted}`;
      const bits = f32Bits(actual);
      const ok =
        text === "nan:canonical"
          ? (bits & 0x7fffffff) === F32_QUIET_NAN
          : text === "nan:arithmetic"
            ? (bits & F32_QUIET_NAN) === F32_QUIET_NAN
            : bits === Number(text);
      return ok ? null : `got ${got}, expected ${wanted}`;
    }
    case "f64": {
      if (typeof actual !== "number") return `got ${got}, expected ${wanted}`;
      const bits = f64Bits(actual);
      const ok =
        text === "nan:canonical"
          ? (bits & 0x7fffffffffffffffn) === F64_QUIET_NAN
          : text === "nan:arithmetic"
            ? (bits & F64_QUIET_NAN) === F64_QUIET_NAN
            : bits === BigInt(text);
      return ok ? null : `got ${got}, expected ${wanted}`;
    }
    case "externref":
      return actual === (text === "null" ? null : externRef(Number(text)))
        ? null
        : `got ${got}, expected ${wanted}`;
    case "funcref":
      return (text === "null" ? actual === null : typeof actual === "function")
        ? null
        : `got ${got}, expected ${wanted}`;
  }
  throw new Error(`unsupported expected value ${JSON.stringify(expected)}`);
}

function describe(actual: unknown, type: string): string {
  if (typeof actual === "number") {
    if (type === "f32") return `f32 bits ${f32Bits(actual)} (${actual})`;
    if (type === "f64") return `f64 bits ${f64Bits(actual)} (${actual})`;
    return `${actual >>> 0}`;
  }
  if (typeof actual === "bigint") return BigInt.asUintN(64, actual).toString();
  if (typeof actual === "function") return "a function";
  return actual === null ? "null" : typeof actual;
}

/** A call's results as a list: V8 returns undefined, one value, or an array. */
export function resultList(returned: unknown, count: number): unknown[] {
  if (count === 0) return [];
  if (count === 1) return [returned];
  return Array.isArray(returned) ? returned : [returned];
}
