// The last reset steps side by side: strategy, time and bytes kept resident, so the
// effect of a strategy change is measured, not claimed.

import type { ReactElement } from "react";
import { exactBytes, grouped } from "../../../../common/format";
import { formatNs } from "./format";
import { lastResets } from "./pool-facts";
import type { StepRecord } from "../../../../common/run-types";

const SHOWN = 6;

function numberOf(step: StepRecord, key: string): number | null {
  const value = step.detail?.[key];
  return typeof value === "number" ? value : null;
}

export function ResetComparison({ steps }: { steps: readonly StepRecord[] }): ReactElement {
  const rows = lastResets(steps, SHOWN);
  if (rows.length === 0) {
    return <p className="muted">No reset yet: release an instance to measure one.</p>;
  }
  return (
    <div className="table-frame">
      <table className="reset-comparison">
        <caption>The last {rows.length} reset steps, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Module</th>
            <th scope="col">Strategy</th>
            <th scope="col">Time</th>
            <th scope="col">Bytes kept resident</th>
            <th scope="col">Pages restored</th>
            <th scope="col">madvise</th>
            <th scope="col">Fell back</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ index, step, other }) => {
            const resident = numberOf(step, "bytesResident");
            const restored = numberOf(step, "pagesRestored");
            const fellBack = step.detail?.fellBack;
            return (
              <tr key={index} data-reset-step={index}>
                <th scope="row">{index + 1}</th>
                <td>{other ? "other module" : "this module"}</td>
                <td data-field="strategy">{String(step.detail?.strategy ?? "—")}</td>
                <td className="number" data-field="ns" data-value={step.ns}>
                  {formatNs(step.ns)}
                </td>
                <td className="number" data-field="bytesResident" data-value={resident ?? ""}>
                  {resident === null ? "—" : exactBytes(resident)}
                </td>
                <td className="number">{restored === null ? "—" : grouped(restored)}</td>
                <td className="number">{step.syscalls?.madvise ?? "—"}</td>
                <td>{fellBack === null || fellBack === undefined ? "no" : String(fellBack)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
