// Advice a user can act on, derived from a memory's plan: why an image is refused or
// wasteful, and what change (to the build or to Wasmtime's configuration) fixes it.

import { constExprText, singleGlobalGet } from "./const-expr";
import { formatBytes, grouped, hex } from "../../common/format";
import {
  segmentsOnPage,
  type ImageGeometry,
  type ImagePlan,
  type MemoryPlan,
} from "./image-planner";
import type { WasmModule } from "./module-types";

/** Share of all-zero pages inside an image above which the image is called wasteful. */
const WASTEFUL_ZERO_SHARE = 0.25;
/** Leading zeros below one wasm page are ordinary (LLVM starts data at 1 KiB). */
const LEADING_ZEROS_WORTH_SAYING = 65536n;

export function adviseMemory(
  module: WasmModule,
  plan: ImagePlan,
  memoryPlan: MemoryPlan,
): string[] {
  const advice: string[] = [];
  const reason = memoryPlan.reason;
  switch (reason?.code) {
    case "non-constant-offset":
      advice.push(nonConstantAdvice(module, reason.segment!));
      break;
    case "out-of-bounds": {
      const segment = plan.segments.find((s) => s.bounds === "out-of-bounds");
      if (segment?.end != null) {
        const memory = module.memories[segment.memory]!;
        const pages =
          (segment.end + (1n << BigInt(memory.type.pageSizeLog2)) - 1n) >>
          BigInt(memory.type.pageSizeLog2);
        advice.push(
          `data segment ${segment.segment} ends at ${hex(segment.end)}: raise memory ${segment.memory}'s minimum to at least ${pages} pages, or the module cannot instantiate`,
        );
      }
      break;
    }
    case "imported-memory-segment":
    case "module-imports-memory":
      advice.push(
        "define and export the memory instead of importing it (wasm-ld: drop --import-memory; Emscripten: drop -sIMPORTED_MEMORY) to get a copy-on-write image",
      );
      break;
    case "too-sparse":
      advice.push(
        reason.memory === memoryPlan.memory
          ? sparseAdvice(memoryPlan)
          : `memory ${reason.memory}'s sparse data keeps the whole module, this memory included, from getting an image`,
      );
      break;
    case "page-size-too-small":
      advice.push(
        `use the default 64 KiB wasm page size: pages smaller than the ${grouped(plan.pageSize)}-byte target page rule out an image`,
      );
      break;
  }
  const image = memoryPlan.image;
  if (image && image.length > 0) {
    if (image.offset >= LEADING_ZEROS_WORTH_SAYING) {
      advice.push(
        `data starts at ${hex(image.offset)}: the ${formatBytes(image.offset)} below it stay plain zero pages${image.nonzeroPages ? " (leading zeros are trimmed)" : ""}, image is ${formatBytes(image.length)}`,
      );
    }
    if (memoryPlan.static) advice.push(...zeroPageAdvice(image, plan.pageSize));
  }
  return advice;
}

/** All-zero pages inside an image used by Wasmtime: each is a page of the memfd. Gap
 *  pages lie between segments; the others hold zero bytes that segments spell out. */
function zeroPageAdvice(image: ImageGeometry, pageSize: number): string[] {
  const zeroPages = image.pages - image.nonzeroPages;
  if (zeroPages === image.pages) {
    // Wasmtime trims zeros only around a non-zero byte: all-zero data is mapped whole.
    return [
      `the image holds only zero bytes, yet Wasmtime maps all ${grouped(image.pages)} of its pages from a memfd: drop the zero-filled data segments (linear memory starts zeroed) and the memory needs no image`,
    ];
  }
  const map = image.nonzeroPageMap;
  if (!map || zeroPages === 0 || zeroPages / image.pages < WASTEFUL_ZERO_SHARE) return [];
  let gapPages = 0;
  for (let page = 0; page < image.pages; page++) {
    if (!map[page] && segmentsOnPage(image, page, pageSize).length === 0) gapPages++;
  }
  const share = `${grouped(zeroPages)} of ${grouped(image.pages)} image pages (${Math.round((100 * zeroPages) / image.pages)}%) are all zero`;
  const advice: string[] = [];
  if (gapPages) {
    advice.push(
      `${share}; ${grouped(gapPages)} of them lie in gaps between segments, which the image still stores: data laid out closer together shrinks the image by up to ${formatBytes(gapPages * pageSize)}`,
    );
  }
  if (zeroPages > gapPages) {
    advice.push(
      `${share}; ${grouped(zeroPages - gapPages)} of them are zero bytes written by data segments: emitting zero-initialised data as BSS (no data segment) shrinks the image by up to ${formatBytes((zeroPages - gapPages) * pageSize)}`,
    );
  }
  return advice;
}

function nonConstantAdvice(module: WasmModule, segmentIndex: number): string {
  const segment = module.dataSegments[segmentIndex]!;
  const text = constExprText(segment.offsetExpr!);
  const global = singleGlobalGet(segment.offsetExpr!);
  if (global !== null) {
    const name = globalName(module, global);
    const pic = /memory_base/.test(name);
    return pic
      ? `offsets are \`global.get ${name}\` (position-independent code): no static image; link a non-PIC executable (without -fPIC, -shared or dynamic linking) to give data constant addresses`
      : `data segment ${segment.index} is placed at \`global.get ${name}\`: Wasmtime copies every segment at instantiation instead; constant offsets (or pre-initialising with Wizer) give a static image`;
  }
  return `data segment ${segment.index}'s offset is \`${text}\`, not a single constant: Wasmtime copies every segment at instantiation instead; constant offsets give a static image`;
}

function globalName(module: WasmModule, index: number): string {
  const global = module.globals[index];
  if (global?.import) return global.import.name;
  return module.names.globals.get(index) ?? String(index);
}

function sparseAdvice(memoryPlan: MemoryPlan): string {
  // Pass 2 only runs when every offset is constant, so the geometry exists here.
  const limit = memoryPlan.image!.span + 1; // the limit is a strict bound
  return `would qualify with a dense limit of ${grouped(limit)} bytes (${formatBytes(limit)}; Wasmtime's memory_guaranteed_dense_image_size, --dense-limit here), or with the data packed into less than twice its ${formatBytes(memoryPlan.dataBytes)}`;
}
