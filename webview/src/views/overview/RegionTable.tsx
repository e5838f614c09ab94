// The picture's regions as exact numbers: bounds, size, how each was found, and after a
// run how many of the dirtied pages are its.

import type { ReactElement } from "react";
import { displayText } from "../../../../common/display-text";
import { formatBytes, grouped, hex } from "../../../../common/format";
import type { DirtiedPages, MemoryRegion } from "../../../../common/memory-regions";

export function RegionTable({
  regions,
  attribution,
}: {
  regions: readonly MemoryRegion[];
  attribution: DirtiedPages | null;
}): ReactElement {
  const pagesOf = (label: string): number =>
    attribution?.byRegion.find((part) => part.label === label)?.pages ?? 0;
  return (
    <table className="memory-regions">
      <caption>Regions</caption>
      <thead>
        <tr>
          <th scope="col">Region</th>
          <th scope="col">Start</th>
          <th scope="col">End</th>
          <th scope="col">Size</th>
          <th scope="col">Found from</th>
          {attribution && <th scope="col">Pages dirtied</th>}
        </tr>
      </thead>
      <tbody>
        {regions.map((region) => (
          <tr key={`${region.kind}-${region.label}`} data-region={region.label}>
            <th scope="row">{displayText(region.label)}</th>
            <td className="mono" data-column="start" data-value={region.start}>
              {hex(region.start)}
            </td>
            <td className="mono" data-column="end" data-value={region.end}>
              {hex(region.end)}
            </td>
            <td className="number" data-column="size" data-value={region.end - region.start}>
              {grouped(region.end - region.start)} bytes ({formatBytes(region.end - region.start)})
            </td>
            <td>{region.source}</td>
            {attribution && (
              <td className="number" data-column="dirtied">
                {grouped(pagesOf(region.label))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
