// JSON with bigints written as plain integers (memory64 addresses and limits can
// exceed 2^53). JSON.stringify cannot emit them, so they travel as marked strings
// and the marks are removed afterwards.

const MARK = "\u0000bigint:";

export function toJsonText(value: unknown, indent = 2): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === "bigint" ? `${MARK}${v}` : v),
    indent,
  );
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}
