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
    const bytes = type.min << BigInt(type.pageSizeLog2);
    const totalPages = Number((bytes + BigInt(plan.pageSize) - 1n) / BigInt(plan.pageSize));
    const pages = new Uint8Array(Math.min(totalPages, MAX_LAYER_PAGES));
    const image = memoryPlan.image;
    if (image && image.length > 0 && image.offset < BigInt(pages.length * plan.pageSize)) {
      const first = Number(image.offset / BigInt(plan.pageSize));
      pages.fill(LAYER_IMAGE_ZERO, first, Math.min(first + image.pages, pages.length));
      forEachNonzeroPage(image.pieces, module, plan.pageSize, (page) => {
        if (first + page < pages.length) pages[first + page] = LAYER_IMAGE_DATA;
      });
    }
    return { memory: memoryPlan.memory, pageSize: plan.pageSize, totalPages, pages };
  });
}
