// What each colour of the memory picture means: the image's two, the regions present,
// the dirtied states seen (the page map's names for them).

import type { ReactElement } from "react";
import type { MemoryRegion } from "../../../../common/memory-regions";
import { PAGE_STATES } from "../../../../common/page-states";
import { stateLabel } from "../../page-map/palettes";

const REGION_WORDS: Record<MemoryRegion["kind"], string> = {
  segment: "named segment",
  data: "static data",
  stack: "stack",
  heap: "heap",
};

/** What each colour means: the image's two, the regions present, the dirtied states seen. */
export function PictureLegend({
  regions,
  dirtied,
}: {
  regions: readonly MemoryRegion[];
  dirtied: number[];
}): ReactElement {
  const items: [string, string][] = [
    ["picture-image-data", "image, data page"],
    ["picture-image-zero", "image, zero page"],
    ...[...new Set(regions.map((r) => r.kind))].map((kind): [string, string] => [
      `picture-region picture-region-${kind}`,
      REGION_WORDS[kind],
    ]),
    ...[...new Set(dirtied)].map((value): [string, string] => [
      `picture-dirtied picture-state-${PAGE_STATES[value]}`,
      stateLabel("runtime", value).toLowerCase(),
    ]),
  ];
  return (
    <ul className="memory-picture-legend" aria-label="Picture legend">
      {items.map(([className, label]) => (
        <li key={label}>
          <svg width={12} height={12} aria-hidden="true" className={className}>
            <rect x={0.5} y={0.5} width={11} height={11} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
