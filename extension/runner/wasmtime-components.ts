// What the Wasmtime session needs to run a component and watch its core memories:
//
// - the component's report (each core module planned as a plain module is), which says
//   which core memories should get an image and its SHA-256;
// - which of Wasmtime's memfd images is which core module's: Wasmtime's C API gives no
//   handle to a component's core memories, so they are found from outside by the image
//   mapped in them (engine.imageMemories), and each memfd is named by hashing its bytes
//   through /proc/self/fd and matching the report's image (never by position or size);
// - the arguments of a call, written as one JSON array, and its result as JSON.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import type { ComponentReport } from "../../common/report-types";
import type { WasmValueJson } from "../../common/run-types";
import { inspectComponent } from "../analysis/inspect-component";
import type { LoadModuleRequest } from "./protocol";

/** The memfd link of Wasmtime's images in /proc/self/fd. */
const IMAGE_FD_LINK = "/memfd:wasm-memory-image";

/** A core memory of the component that Wasmtime maps an image into. */
export interface ImagedCoreMemory {
  /** "component → module 0" */
  core: string;
  memory: number;
  sha256: string;
}

export interface PlannedComponent {
  report: ComponentReport;
  imaged: ImagedCoreMemory[];
  /** Core memories without a static image: they cannot be found from outside. */
  unobservable: { core: string; memory: number; reason: string }[];
}

export function planComponent(request: LoadModuleRequest): PlannedComponent {
  const report = inspectComponent(request.bytes, {
    fileName: request.fileName,
    pageSize: request.pageSize,
    denseLimit: request.denseLimit,
  });
  const imaged: ImagedCoreMemory[] = [];
  const unobservable: PlannedComponent["unobservable"] = [];
  for (const module of report.modules) {
    for (const memory of module.report.memories.filter((m) => !m.import)) {
      const image = module.report.images.find((i) => i.memory === memory.index && i.static);
      if (image?.sha256)
        imaged.push({ core: module.path, memory: memory.index, sha256: image.sha256 });
      else
        unobservable.push({
          core: module.path,
          memory: memory.index,
          reason:
            "no image, so no mapping tells its slot from the others (Wasmtime's C API gives no handle to a component's core memory)",
        });
    }
  }
  return { report, imaged, unobservable };
}

/** Inode → SHA-256 of each of Wasmtime's memfd images open in this process, hashing only
 *  inodes not in `known` (an image's memfd lives as long as its compiled module). */
export function hashImageMemfds(known: ReadonlyMap<number, string>): Map<number, string> {
  const found = new Map<number, string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    const path = `/proc/self/fd/${fd}`;
    let inode: number;
    try {
      if (!readlinkSync(path).startsWith(IMAGE_FD_LINK)) continue;
      inode = statSync(path).ino;
      if (known.has(inode) || found.has(inode)) continue;
      found.set(inode, createHash("sha256").update(readFileSync(path)).digest("hex"));
    } catch {
      continue; // closed meanwhile (the directory's own descriptor among them)
    }
  }
  return found;
}

/** The arguments of `NAME=[…]`: one JSON array, each value as the parameter's type takes
 *  it (native/src/wasmtime_component_values.h). The runner gets the text after "=" split
 *  at commas (common/invocation.ts); it is joined back here. */
export function componentArguments(exportName: string, args: string[]): unknown[] {
  const text = args.join(",").trim();
  if (text === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `the arguments of a component's function are one JSON array, as in ${exportName}=["text", 3, {"field": true}]: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed))
    throw new Error(
      `the arguments of a component's function are one JSON array, as in ${exportName}=["text", 3]`,
    );
  return parsed;
}

/** A component function's result as the step records it: a string as itself, a number as
 *  a number, anything else as its JSON text; the type in WIT's words. */
export function componentResultJson(value: unknown, type: string): WasmValueJson {
  if (typeof value === "string") return { type, value };
  if (typeof value === "number") return { type, value };
  if (typeof value === "bigint") return { type, value: value.toString() };
  return {
    type,
    value: JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  };
}
