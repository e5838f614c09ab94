// The extension's settings (`wasmCow.*`), read with their defaults and bounds.

import * as vscode from "vscode";
import { isResetStrategy, type ResetStrategy } from "../common/run-types";
import { DEFAULT_DENSE_LIMIT, TARGET_PAGE_SIZES } from "./analysis/image-planner";

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
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration("wasmCow");
  const pageSize = config.get<number>("targetPageSize", 4096);
  const strategy = config.get<string>("resetStrategy", "madvise");
  // Rounded down to whole host pages by the run controller, which knows their size.
  const keep = Math.max(0, Math.floor(config.get<number>("keepResidentBytes", 1 << 20)));
  return {
    pageSize: (TARGET_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : 4096,
    denseLimit: Math.max(0, config.get<number>("denseImageLimit", DEFAULT_DENSE_LIMIT)),
    poolSize: Math.min(64, Math.max(1, config.get<number>("poolSize", 8))),
    maxUnusedWarmSlots: Math.max(0, config.get<number>("maxUnusedWarmSlots", 100)),
    resetStrategy: isResetStrategy(strategy) ? strategy : "madvise",
    keepResidentBytes: keep,
    executionTimeoutMs: Math.max(100, config.get<number>("executionTimeoutMs", 5000)),
    callInitialize: config.get<boolean>("callInitialize", true),
    wasi: config.get<boolean>("wasi", true),
  };
}
