// The static page layer of every memory, from the image plan: which pages of the
// memory's initial size the image covers and which of those hold data. The page map
// draws it before any instance runs.

import { forEachNonzeroPage, type ImagePlan } from "./image-planner";
import { LAYER_IMAGE_DATA, LAYER_IMAGE_ZERO, type StaticLayer } from "../../common/layer-values";
import type { WasmModule } from "./module-types";

/** Pages drawn at most per memory: a 4 GiB memory of 4 KiB pages. */
export const MAX_LAYER_PAGES = 1 << 20;

export function staticLayers(module: WasmModule, plan: ImagePlan): StaticLayer[] {
  return plan.memories.map((memoryPlan) => {
    const type = module.memories[memoryPlan.memory]!.type;
    const image = memoryPlan.image;
    const firstPage =
      image && image.length > 0 ? Number(image.offset / BigInt(plan.pageSize)) : null;
    const layer = imageLayer(
      memoryPlan.memory,
      plan.pageSize,
      type.min << BigInt(type.pageSizeLog2),
      firstPage === null ? null : { firstPage, pages: image!.pages },
    );
    if (firstPage !== null) {
      forEachNonzeroPage(image!.pieces, module, plan.pageSize, (page) =>
        markDataPage(layer, firstPage + page),
      );
    }
    return layer;
  });
}

/** The layer of a memory of `memoryBytes` initial bytes with the image's pages marked
 *  as zero pages; the caller marks those holding data (`markDataPage`). */
export function imageLayer(
  memory: number,
  pageSize: number,
  memoryBytes: bigint,
  image: { firstPage: number; pages: number } | null,
): StaticLayer {
  const totalPages = Number((memoryBytes + BigInt(pageSize) - 1n) / BigInt(pageSize));
  const pages = new Uint8Array(Math.min(totalPages, MAX_LAYER_PAGES));
  if (image && image.firstPage < pages.length) {
    pages.fill(
      LAYER_IMAGE_ZERO,
      image.firstPage,
      Math.min(image.firstPage + image.pages, pages.length),
    );
  }
  return { memory, pageSize, totalPages, pages };
}

export function markDataPage(layer: StaticLayer, page: number): void {
  if (page < layer.pages.length) layer.pages[page] = LAYER_IMAGE_DATA;
}
