// Every slot of the runner's pool: state, affinity (whose memory it holds), resident
// and accessible bytes, whether an image is mapped, and how often its memory was retired.

import type { ReactElement } from "react";
import { affinityOwner, moduleFileName } from "./affinity";
import { exactBytes } from "../../../../common/format";
import type { SlotAffinity, SlotView } from "../../../../common/run-types";
import type { RunView } from "../../../../common/webview-protocol";

const STATE_LABELS: Record<SlotView["state"], string> = {
  cold: "Cold (never used, or its memory was retired)",
  warm: "Warm (free, keeps its last module's image)",
  "in-use": "In use",
};

export function SlotTable({ run, fileName }: { run: RunView; fileName: string }): ReactElement {
  return (
    <div className="table-frame">
      <table className="slot-table">
        <caption>Slots of the runner's pool</caption>
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">State</th>
            <th scope="col">Affinity (module, memory)</th>
            <th scope="col">Bytes resident</th>
            <th scope="col">Accessible bytes</th>
            <th scope="col">Image mapped</th>
            <th scope="col">Retired</th>
          </tr>
        </thead>
        <tbody>
          {run.slots.map((slot) => (
            <tr key={slot.index} data-slot={slot.index} data-state={slot.state}>
              <th scope="row">{slot.index}</th>
              <td data-field="state">
                <span className={`slot-state slot-state-${slot.state}`} aria-hidden="true" />
                {STATE_LABELS[slot.state]}
              </td>
              <td data-field="affinity">
                <AffinityCell affinity={slot.affinity} run={run} fileName={fileName} />
              </td>
              <td className="number" data-field="bytesResident" data-value={slot.bytesResident}>
                {exactBytes(slot.bytesResident)}
              </td>
              <td className="number" data-field="accessibleBytes" data-value={slot.accessibleBytes}>
                {exactBytes(slot.accessibleBytes)}
              </td>
              <td data-field="imageMapped">{slot.imageMapped ? "yes" : "no"}</td>
              <td className="number" data-field="retirements" data-value={slot.retirements ?? ""}>
                {slot.retirements === null
                  ? "not reported"
                  : slot.retirements === 0
                    ? "never"
                    : `${slot.retirements}×`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AffinityCell({
  affinity,
  run,
  fileName,
}: {
  affinity: SlotAffinity | null;
  run: RunView;
  fileName: string;
}): ReactElement {
  if (affinity === null) return <span className="muted">none</span>;
  const memory = `, memory ${affinity.memory}`;
  switch (affinityOwner(affinity, run)) {
    case "other":
      return (
        <span title={affinity.moduleId}>
          the other module (run by “Instantiate another module”){memory}
        </span>
      );
    case "this":
      return (
        <span title={affinity.moduleId}>
          {fileName}
          <strong className="this-module"> (this module)</strong>
          {memory}
        </span>
      );
    case "elsewhere":
      return (
        <span title={affinity.moduleId}>
          {moduleFileName(affinity.moduleId)}
          {memory}
        </span>
      );
  }
}
