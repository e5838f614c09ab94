// Formatting of hex rows: addresses, bytes, printable ASCII, and which bytes of two
// copies differ (a byte present in only one copy counts as differing).

/** "0x0000_1000"-style address without separators: at least 8 hex digits. */
export function formatAddress(address: number): string {
  return `0x${address.toString(16).padStart(8, "0")}`;
}

export function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/** Printable ASCII as itself, everything else as a dot. */
export function asciiChar(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".";
}

export function hexRowCount(length: number, compareLength: number, width: number): number {
  return Math.ceil(Math.max(length, compareLength) / width);
}

/** Whether byte `i` differs between the copies (missing in one = differs). */
export function differsAt(a: Uint8Array, b: Uint8Array, i: number): boolean {
  return i >= a.length || i >= b.length || a[i] !== b[i];
}

/** Differing bytes in [from, to). */
export function countDiffs(a: Uint8Array, b: Uint8Array, from = 0, to?: number): number {
  const end = to ?? Math.max(a.length, b.length);
  let count = 0;
  for (let i = from; i < end; i++) if (differsAt(a, b, i)) count++;
  return count;
}

/** A stretch of one row's bytes that all differ or all match. */
export interface ByteRun {
  /** Absolute byte index of the first byte. */
  start: number;
  end: number;
  differs: boolean;
}

/** Splits row bytes [from, to) into runs of equal "differs" (one run without `other`). */
export function byteRuns(
  own: Uint8Array,
  other: Uint8Array | null,
  from: number,
  to: number,
): ByteRun[] {
  const end = Math.min(to, own.length);
  if (end <= from) return [];
  if (!other) return [{ start: from, end, differs: false }];
  const runs: ByteRun[] = [];
  for (let i = from; i < end; i++) {
    const differs = differsAt(own, other, i);
    const last = runs[runs.length - 1];
    if (last && last.differs === differs) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, differs });
  }
  return runs;
}

/** "00 61 73 6d" for bytes [from, to). */
export function hexText(bytes: Uint8Array, from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(hexByte(bytes[i]!));
  return parts.join(" ");
}

export function asciiText(bytes: Uint8Array, from: number, to: number): string {
  let text = "";
  for (let i = from; i < to; i++) text += asciiChar(bytes[i]!);
  return text;
}
