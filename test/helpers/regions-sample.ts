// What examples/regions.wat must show, worked out by hand from its source: ".rodata" is
// 21 bytes at 0x400, ".data" 32 bytes at 0x1ff0; __data_end is 0x2010, __stack_pointer
// starts at 0x12010 and so does __heap_base; the memory is 4 pages of 64 KiB. `work`
// stores into 0x1ff0 and 0x2004 (.data: pages 1 and 2), 0x12010 − 0x1010 = 0x11000 (the
// stack: page 17), 0x20000 and 0x21000 (the heap: pages 32 and 33).

import type { Frame, Page } from "playwright-core";

/** [label, start, end] in the Overview's order: named segments, then the landmarks'. */
export const REGIONS_SAMPLE_REGIONS: [string, number, number][] = [
  [".rodata", 0x400, 0x415],
  [".data", 0x1ff0, 0x2010],
  ["static data", 0x400, 0x2010],
  ["stack", 0x2010, 0x12010],
  ["heap", 0x12010, 4 * 65536],
];

/** After instantiating it and calling `work` once (4 KiB host pages). */
export const REGIONS_SAMPLE_DIRTIED = "5 pages dirtied: 2 .data, 2 heap, 1 stack";

/** The Overview's regions table (in a webview page or VS Code's frame) as rows like
 *  REGIONS_SAMPLE_REGIONS. */
export async function regionRows(root: Page | Frame): Promise<[string, number, number][]> {
  return root
    .locator(".memory-regions tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => [
        (row as HTMLElement).dataset.region!,
        Number(row.querySelector<HTMLElement>('[data-column="start"]')!.dataset.value),
        Number(row.querySelector<HTMLElement>('[data-column="end"]')!.dataset.value),
      ]),
    );
}
