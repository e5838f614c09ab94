// One memory as it was after a step: page counts per state (the runner's snapshot),
// sharing and resident figures, and every host page on the page map.

import { useMemo, type ReactElement } from "react";
import {
  attributeDirtied,
  dirtiedText,
  pageRegionText,
  type MemoryRegion,
} from "../../../../common/memory-regions";
import { displayText } from "../../../../common/display-text";
import { exactBytes, formatBytes as inUnits, grouped } from "../../../../common/format";
import { memoryInitText, memoryPlaceText } from "../../../../common/memory-origin-text";
import { PageMap } from "../../page-map/PageMap";
import { paletteStates } from "../../page-map/palettes";
import type { StepRecord } from "../../../../common/run-types";

export interface MemoryAfterStepProps {
  memory: StepRecord["memories"][number];
  /** Runtime states are snapshotted per host page, of the size the runner probed. */
  hostPageSize: number;
  stepIndex: number;
  stepTitle: string;
  selectedPage: number | null;
  onSelectPage(page: number): void;
  /** The memory's regions, to which written pages are attributed. */
  regions: readonly MemoryRegion[];
}

export function MemoryAfterStep({
  memory,
  hostPageSize,
  stepIndex,
  stepTitle,
  selectedPage,
  onSelectPage,
  regions,
}: MemoryAfterStepProps): ReactElement {
  const heading = `${memory.coreModule ? `${memory.coreModule}: m` : "M"}emory ${memory.memory} ${memoryPlaceText(memory)}, after step ${stepIndex + 1}`;
  const imageStart = memory.imageOffset;
  const imageEnd =
    imageStart !== null && memory.imageLength !== null ? imageStart + memory.imageLength : null;
  const describePage = (page: number): string => {
    const address = page * hostPageSize;
    const place =
      imageStart === null || imageEnd === null
        ? "no image mapped"
        : address >= imageStart && address < imageEnd
          ? "inside the image"
          : "outside the image";
    const region = displayText(pageRegionText(regions, page, hostPageSize));
    return region ? `${place} · ${region}` : place;
  };
  const dirtied = useMemo(
    () => (memory.states ? attributeDirtied(regions, memory.states, hostPageSize) : null),
    [regions, memory.states, hostPageSize],
  );
  const states = paletteStates("runtime"); // the page map's names, so table and legend agree
  const counts: Partial<Record<string, number>> = memory.pages;
  const total = states.reduce((sum, state) => sum + (counts[state.name] ?? 0), 0);
  return (
    <section className="memory-after-step" data-memory={memory.memory} aria-label={heading}>
      <h4>{heading}</h4>
      <div className="memory-after-step-figures">
        <table className="page-counts">
          <caption>Host pages ({inUnits(hostPageSize)}) by state</caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Pages</th>
            </tr>
          </thead>
          <tbody>
            {states.map((state) => (
              <tr key={state.name}>
                <th scope="row" title={state.description}>
                  {state.label}
                </th>
                <td className="number" data-count={state.name}>
                  {grouped(counts[state.name] ?? 0)}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total</th>
              <td className="number" data-count="total">
                {grouped(total)}
              </td>
            </tr>
          </tbody>
        </table>
        <dl className="facts">
          <dt>Image pages shared with another mapping</dt>
          <dd data-field="sharedImagePages">
            {memory.sharedImagePages === null ? "no image" : grouped(memory.sharedImagePages)}
          </dd>
          <dt>Resident</dt>
          <dd data-field="rssBytes" data-value={memory.rssBytes}>
            {exactBytes(memory.rssBytes)}
          </dd>
          <dt>Private dirty</dt>
          <dd data-field="privateDirtyBytes" data-value={memory.privateDirtyBytes}>
            {exactBytes(memory.privateDirtyBytes)}
          </dd>
          {dirtied && (
            <>
              <dt>Dirtied</dt>
              <dd data-field="dirtied">{displayText(dirtiedText(dirtied))}</dd>
            </>
          )}
          <dt>Initialised</dt>
          <dd data-field="origin" data-init={memory.origin.init} data-place={memory.origin.place}>
            {memoryInitText(memory.origin)}
          </dd>
          <dt>Image</dt>
          <dd data-field="image">
            {imageStart === null || memory.imageLength === null
              ? "none mapped"
              : `${exactBytes(memory.imageLength)} at offset ${grouped(imageStart)}`}
          </dd>
        </dl>
      </div>
      {memory.states ? (
        <PageMap
          label={`Memory ${memory.memory} pages after step ${stepIndex + 1} (${stepTitle})`}
          palette="runtime"
          pages={memory.states}
          pageSize={hostPageSize}
          selectedPage={
            selectedPage !== null && selectedPage < memory.states.length ? selectedPage : null
          }
          onSelectPage={onSelectPage}
          describePage={describePage}
        />
      ) : (
        <p className="muted">The runner did not record page states for this step.</p>
      )}
    </section>
  );
}
