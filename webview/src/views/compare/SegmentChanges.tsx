// The data segments added, removed, moved or resized between the two modules. A change
// with an address is a difference: its button selects it (and scrolls both maps to it).

import type { ReactElement } from "react";
import type { SegmentChange } from "../../../../common/layout-diff";
import { CHANGE_LABELS, segmentName, segmentPlacement } from "../../../../common/layout-diff-text";

export interface SegmentChangesProps {
  changes: readonly SegmentChange[];
  unchanged: number;
  /** The index in the difference list of each change that has an address. */
  differenceOf: ReadonlyMap<SegmentChange, number>;
  selected: number | null;
  onSelect(difference: number): void;
}

export function SegmentChanges({
  changes,
  unchanged,
  differenceOf,
  selected,
  onSelect,
}: SegmentChangesProps): ReactElement {
  return (
    <section className="compare-segments" aria-labelledby="compare-segments-title">
      <h3 id="compare-segments-title">Segment changes</h3>
      <p data-field="segments.unchanged">
        {changes.length === 0 ? "No segment changed" : `${changes.length} changed`}; {unchanged}{" "}
        matched and unchanged. Segments are matched by name when both modules name them, otherwise
        by index.
      </p>
      {changes.length > 0 && (
        <table className="compare-segment-table">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Segment</th>
              <th scope="col">Left</th>
              <th scope="col">Right</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => {
              const difference = differenceOf.get(change);
              const current = difference !== undefined && difference === selected;
              const name = segmentName((change.right ?? change.left)!);
              return (
                <tr
                  key={`${change.left?.index ?? "-"}/${change.right?.index ?? "-"}/${change.kind}`}
                  data-kind={change.kind}
                  data-left={change.left?.index ?? ""}
                  data-right={change.right?.index ?? ""}
                  aria-current={current ? "true" : undefined}
                  className={current ? "compare-selected" : undefined}
                >
                  <td>{CHANGE_LABELS[change.kind]}</td>
                  <td>
                    {difference === undefined ? (
                      name
                    ) : (
                      <button
                        type="button"
                        className="compare-link"
                        onClick={() => onSelect(difference)}
                      >
                        {name}
                      </button>
                    )}
                    {change.matchedBy === "name" &&
                      change.left!.index !== change.right!.index &&
                      ` (was ${change.left!.index})`}
                  </td>
                  <td>{segmentPlacement(change.left)}</td>
                  <td>{segmentPlacement(change.right)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
