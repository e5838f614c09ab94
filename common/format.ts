// Human-readable numbers for messages and reports. JSON always carries exact integers;
// these strings are for sentences only.

const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** "7 MiB", "1.5 KiB", "512 bytes": binary units, at most one decimal. */
export function formatBytes(value: number | bigint): string {
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  if (unit === 0) return `${n} ${n === 1 ? "byte" : "bytes"}`;
  let rounded = Math.round(n * 10) / 10;
  // 1 GiB − 4 KiB is 1023.996 MiB: rounded, that is the next unit's 1, not "1024 MiB".
  if (rounded >= 1024 && unit < UNITS.length - 1) {
    rounded = 1;
    unit++;
  }
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}

export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** A byte count as the views show it, one rule everywhere: the exact integer, grouped,
 *  and from 1 KiB on the human size too: "45,630,618 (43.5 MiB)", "512 bytes". */
export function exactBytes(value: number | bigint): string {
  return Number(value) < 1024 ? formatBytes(value) : `${grouped(value)} (${formatBytes(value)})`;
}

/** 1234567 → "1,234,567". */
export function grouped(value: number | bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${grouped(count)} ${count === 1 ? singular : pluralForm}`;
}
