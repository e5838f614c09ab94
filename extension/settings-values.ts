// The extension's settings (`wasmCow.*`), with their defaults and bounds. Pure: the
// extension reads them through VS Code in settings.ts, tests pass plain values.

import { isResetStrategy, type ResetStrategy } from "../common/run-types";
import { DEFAULT_DENSE_LIMIT, TARGET_PAGE_SIZES } from "./analysis/image-planner";
import { MAX_BYTE_COUNT, MAX_TIMEOUT_MS, MAX_UNUSED_WARM_SLOTS } from "./runner/limits";

export interface Settings {
  pageSize: number;
  denseLimit: number;
  poolSize: number;
  maxUnusedWarmSlots: number;
  resetStrategy: ResetStrategy;
  keepResidentBytes: number;
  executionTimeoutMs: number;
  callInitialize: boolean;
  wasi: boolean;
  /** Where Wasmtime's library is, as the user gave it; "" to find it automatically. */
  wasmtimeLibrary: string;
}

/** Reads one `wasmCow.*` value as VS Code's configuration holds it: anything JSON. */
export type SettingReader = (key: string, fallback: unknown) => unknown;

/** The settings with defaults and bounds, from whatever the configuration holds. */
export function settingsFrom(get: SettingReader): Settings {
  const pageSize = get("targetPageSize", 4096);
  const strategy = get("resetStrategy", "madvise");
  const library = get("wasmtime.library", "");
  // A value outside its range (typed by hand in settings.json, which only warns) is
  // brought into it; one that is not a number at all falls back to the default.
  const bounded = (key: string, min: number, max: number, fallback: number): number => {
    const value = get(key, fallback);
    return typeof value === "number" && Number.isFinite(value)
      ? Math.min(max, Math.max(min, Math.floor(value)))
      : fallback;
  };
  return {
    pageSize: (TARGET_PAGE_SIZES as readonly unknown[]).includes(pageSize)
      ? (pageSize as number)
      : 4096,
    denseLimit: bounded("denseImageLimit", 0, Number.MAX_SAFE_INTEGER, DEFAULT_DENSE_LIMIT),
    poolSize: bounded("poolSize", 1, 64, 8),
    maxUnusedWarmSlots: bounded("maxUnusedWarmSlots", 0, MAX_UNUSED_WARM_SLOTS, 100),
    resetStrategy: typeof strategy === "string" && isResetStrategy(strategy) ? strategy : "madvise",
    // Rounded down to whole host pages by the run controller, which knows their size.
    keepResidentBytes: bounded("keepResidentBytes", 0, MAX_BYTE_COUNT, 1 << 20),
    executionTimeoutMs: bounded("executionTimeoutMs", 100, MAX_TIMEOUT_MS, 5000),
    callInitialize: get("callInitialize", true) !== false,
    wasi: get("wasi", true) !== false,
    wasmtimeLibrary: typeof library === "string" ? library.trim() : "",
  };
}
