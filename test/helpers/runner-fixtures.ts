// Small modules for the runner tests (the runner protocol and `wasm-cow run`), as WAT
// with the facts the tests derive their expectations from written next to them.

import { RunnerClient } from "../../extension/runner/runner-client";
import { wat } from "./wat";

export const RUNNER_WAT = {
  /** Image: 42 (i32) at 64 KiB, so a 4 KiB-page image at offset 0x10000, one page. */
  arithmetic: `(module
    (memory (export "memory") 2)
    (data (i32.const 0x10000) "\\2a\\00\\00\\00")
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "triple") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 3)))
    (func (export "half") (param f64) (result f64) (f64.div (local.get 0) (f64.const 2)))
    (func (export "stored") (result i32) (i32.load (i32.const 0x10000)))
    (func (export "bump") (result i32)
      (i32.store (i32.const 0x10000) (i32.add (i32.load (i32.const 0x10000)) (i32.const 1)))
      (i32.load (i32.const 0x10000)))
    (func (export "boom") unreachable)
    (func (export "spin") (loop br 0)))`,
  /** Never returns from its start function. */
  runawayStart: `(module
    (memory (export "memory") 1)
    (data (i32.const 0) "runaway")
    (func $s (loop br 0))
    (start $s))`,
  /** Calls an import nobody provides. */
  unresolved: `(module
    (import "env" "f" (func $f))
    (func (export "callf") (call $f)))`,
  /** _start writes "hello" to fd 1: iovec {8, 5} at 0, text at 8, nwritten at 20. */
  wasiHello: `(module
    (import "wasi_snapshot_preview1" "fd_write"
      (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\08\\00\\00\\00\\05\\00\\00\\00")
    (data (i32.const 8) "hello")
    (func (export "_start")
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20)))))`,
  /** A reactor whose `hang` writes "before the loop" to fd 1, then never returns. */
  wasiHang: `(module
    (import "wasi_snapshot_preview1" "fd_write"
      (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\08\\00\\00\\00\\0f\\00\\00\\00")
    (data (i32.const 8) "before the loop")
    (func (export "_initialize"))
    (func (export "hang")
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 24)))
      (loop br 0)))`,
  /** A reactor probing fd 3, where a preopened directory would be. */
  wasiProbe: `(module
    (import "wasi_snapshot_preview1" "fd_prestat_get"
      (func $prestat (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open"
      (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "etc/passwd")
    (func (export "_initialize"))
    (func (export "prestat") (result i32) (call $prestat (i32.const 3) (i32.const 0)))
    (func (export "open") (result i32)
      (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 10)
        (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 32))))`,
  /** Imports an exception tag carrying a v128, which JavaScript cannot make (a tag of
   *  numbers it can: instance-imports.ts makes those). */
  tagImport: `(module
    (import "env" "t" (tag (param v128)))
    (memory (export "memory") 1)
    (data (i32.const 0) "tagged"))`,
  /** Only zero bytes in its data: Wasmtime's image is empty (map[mem] = None). */
  zeroData: `(module
    (memory (export "memory") 1)
    (data (i32.const 0) "\\00\\00\\00\\00")
    (func (export "first") (result i32) (i32.load (i32.const 0))))`,
} as const;

export type RunnerFixture = keyof typeof RUNNER_WAT;

export function fixtureBytes(name: RunnerFixture): Promise<Uint8Array> {
  return wat(RUNNER_WAT[name]);
}

/** WASI's errno for a bad file descriptor (wasi_snapshot_preview1 `errno::badf`). */
export const WASI_EBADF = 8;

/** A client with a generous default limit (tests pass small limits per request). */
export function newClient(onRestart?: (reason: string) => void): RunnerClient {
  return new RunnerClient({
    config: { slots: 4, maxUnusedWarmSlots: 100, includePageStates: false },
    timeoutMs: 30_000,
    ...(onRestart ? { onRestart } : {}),
  });
}

/** Loads a fixture into the client's runner under its own name. */
export async function loadFixture(client: RunnerClient, name: RunnerFixture): Promise<void> {
  await client.request("loadModule", {
    moduleId: name,
    fileName: `${name}.wasm`,
    bytes: await fixtureBytes(name),
    pageSize: 4096,
    denseLimit: 16 << 20,
  });
}
