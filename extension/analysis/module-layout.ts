// One side of a layout diff (common/layout-diff.ts): a module's page layers and the hashes
// of its image pages, from the module itself (the editor's analysis worker, `wasm-cow
// diff`) or from a report stored earlier by `wasm-cow inspect --json --pages`, which
// carries every image page's non-zero flag and hash for exactly this use.

import type { LayoutSide } from "../../common/layout-diff";
import type { StaticLayer } from "../../common/layer-values";
import type { InspectReport } from "../../common/report-types";
import { imagePageHashes, materializeImage, type ImagePlan } from "./image-planner";
import { imageLayer, markDataPage, staticLayers } from "./memory-layers";
import type { WasmModule } from "./module-types";

/** Each memory's image bytes and where they start, for memories with a static image. */
export type ImageBytes = Map<number, { offset: number; bytes: Uint8Array }>;

export function imageBytesOf(module: WasmModule, plan: ImagePlan): ImageBytes {
  const images: ImageBytes = new Map();
  for (const memoryPlan of plan.memories) {
    const image = memoryPlan.image;
    if (image && image.length > 0 && image.sha256 !== null) {
      images.set(memoryPlan.memory, {
        offset: Number(image.offset),
        bytes: materializeImage(module, image),
      });
    }
  }
  return images;
}

/** The layers and page hashes of a decoded, planned module. */
export function moduleLayout(
  module: WasmModule,
  plan: ImagePlan,
): { layers: StaticLayer[]; pageHashes: Uint32Array[] } {
  return { layers: staticLayers(module, plan), pageHashes: pageHashesOf(module, plan) };
}

/** Per memory of the plan, the hash of every page of its image: none without one, or
 *  for an image too big to describe (as `imageBytesOf` makes no bytes for it). */
export function pageHashesOf(module: WasmModule, plan: ImagePlan): Uint32Array[] {
  return plan.memories.map(({ image }) =>
    image && image.length > 0 && image.sha256 !== null
      ? imagePageHashes(module, image, plan.pageSize)
      : new Uint32Array(0),
  );
}

/** A stored report, parsed from its JSON (bigints read as numbers). */
export type StoredReport = Pick<InspectReport, "plan" | "memories" | "images" | "dataSegments">;

/** The layout side of a stored report. Throws, saying what is missing, for a report that
 *  cannot be one: not an inspect report, or written without `--pages`. */
export function storedReportLayout(report: unknown, what: string): LayoutSide {
  const stored = checkedReport(report, what);
  const pageSize = stored.plan.pageSize;
  const layers = stored.memories.map((memory) => {
    const image = stored.images.find((i) => i.memory === memory.index);
    const pageMap = image?.pageMap ?? [];
    const firstPage =
      image && image.offset !== null && pageMap.length > 0
        ? Number(BigInt(image.offset) / BigInt(pageSize))
        : null;
    const layer = imageLayer(
      memory.index,
      pageSize,
      BigInt(memory.minPages) << BigInt(memory.pageSizeLog2),
      firstPage === null ? null : { firstPage, pages: pageMap.length },
    );
    for (const page of pageMap) if (page.nonzero) markDataPage(layer, firstPage! + page.page);
    return layer;
  });
  return {
    report: stored,
    layers,
    pageHashes: stored.images.map(
      (image) => new Uint32Array((image.pageMap ?? []).map((page) => parseInt(page.hash, 16))),
    ),
  };
}

function checkedReport(report: unknown, what: string): StoredReport {
  const value = report as Partial<StoredReport> | null;
  const lacks = (field: string): never => {
    throw new Error(`${what} is not a report of \`wasm-cow inspect --json\`: it has no ${field}`);
  };
  if (typeof value !== "object" || value === null) return lacks("fields");
  if (typeof value.plan?.pageSize !== "number") lacks("plan.pageSize");
  for (const field of ["memories", "images", "dataSegments"] as const) {
    if (!Array.isArray(value[field])) lacks(field);
  }
  for (const image of value.images!) {
    if (image.length !== null && image.length > 0 && image.offset !== null) {
      if (!Array.isArray(image.pageMap)) {
        throw new Error(
          `${what} has no page map for memory ${image.memory}'s image: write it with \`wasm-cow inspect --json --pages\``,
        );
      }
      if (image.pageMap.some((page) => typeof page.hash !== "string")) {
        throw new Error(
          `${what} has no page hashes for memory ${image.memory}'s image (written by an older wasm-cow): write it again with \`wasm-cow inspect --json --pages\``,
        );
      }
    }
  }
  return value as StoredReport;
}
