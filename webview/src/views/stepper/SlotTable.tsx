// Every slot of the runner's pool: state, affinity (whose memory it holds), resident
// and accessible bytes, whether an image is mapped, and how often its memory was retired.

import type { ReactElement } from "react";
import type { SlotViewJson } from "../../protocol";
import { isThisModule, parseAffinity } from "./affinity";
import { formatBytes } from "./format";

const STATE_LABELS: Record<SlotViewJson["state"], string> = {
  cold: "Cold (never used, or its memory was retired)",
  warm: "Warm (free, keeps its last module's image)",
  "in-use": "In use",
};

export function SlotTable({
  slots,
  fileName,
}: {
  slots: readonly SlotViewJson[];
  fileName: string;
}): ReactElement {
  return (
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
        {slots.map((slot) => (
          <tr key={slot.index} data-slot={slot.index} data-state={slot.state}>
            <th scope="row">{slot.index}</th>
            <td data-field="state">
              <span className={`slot-state slot-state-${slot.state}`} aria-hidden="true" />
              {STATE_LABELS[slot.state]}
            </td>
            <td data-field="affinity">
              <AffinityCell affinity={slot.affinity} fileName={fileName} />
            </td>
            <td className="number" data-field="bytesResident" data-value={slot.bytesResident}>
              {formatBytes(slot.bytesResident)}
            </td>
            <td className="number" data-field="accessibleBytes" data-value={slot.accessibleBytes}>
              {formatBytes(slot.accessibleBytes)}
            </td>
            <td data-field="imageMapped">{slot.imageMapped ? "yes" : "no"}</td>
            <td className="number" data-field="retirements" data-value={slot.retirements}>
              {slot.retirements === 0 ? "never" : `${slot.retirements}×`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AffinityCell({
  affinity,
  fileName,
}: {
  affinity: string | null;
  fileName: string;
}): ReactElement {
  if (affinity === null) return <span className="muted">none</span>;
  const parsed = parseAffinity(affinity);
  const memory = parsed.memory === null ? "" : `, memory ${parsed.memory}`;
  if (parsed.other) {
    return (
      <span title={affinity}>the other module (run by “Instantiate another module”){memory}</span>
    );
  }
  return (
    <span title={affinity}>
      {parsed.fileName}
      {isThisModule(parsed, fileName) && <strong className="this-module"> (this module)</strong>}
      {memory}
    </span>
  );
}
