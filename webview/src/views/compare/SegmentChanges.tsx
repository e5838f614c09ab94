// The data segments added, removed, moved or resized between the two modules, as a
// virtualised table (a 100,000-segment pair has as many rows; only the visible ones are
// in the DOM, rebuilt from the packed diff). A change with an address is a difference:
// its button selects it, and selecting it elsewhere scrolls its row into view.

import { useEffect, type ReactElement } from "react";
import type { PackedDiff } from "../../../../common/packed-diff";
import { segmentChangeAt } from "../../../../common/packed-diff";
import { CHANGE_LABELS, segmentName, segmentPlacement } from "../../../../common/layout-diff-text";
import { grouped } from "../../../../common/format";
import { useVirtualRows } from "../../virtual/use-virtual-rows";
import { displayText } from "../../../../common/display-text";

export interface SegmentChangesProps {
  diff: PackedDiff;
  /** The row of the selected difference, when it is a segment change. */
  selectedRow: number | null;
  selected: number | null;
  onSelect(difference: number): void;
}

export function SegmentChanges({
  diff,
  selectedRow,
  selected,
  onSelect,
}: SegmentChangesProps): ReactElement {
  const count = diff.segments.count;
  const { scrollRef, rows, revealRow } = useVirtualRows(count);
  useEffect(() => {
    if (selectedRow !== null) revealRow(selectedRow);
  }, [selectedRow, revealRow]);

  const rendered: ReactElement[] = [];
  for (let row = rows.first; row < rows.end; row++) {
    const change = segmentChangeAt(diff, row);
    const difference = diff.segments.difference[row]!;
    const current = difference >= 0 && difference === selected;
    // Segment names are the modules' text: escaped like every such string.
    const name = displayText(
      segmentName((change.right ?? change.left)!) +
        (change.matchedBy === "name" && change.left!.index !== change.right!.index
          ? ` (was ${change.left!.index})`
          : ""),
    );
    const [left, right] = [segmentPlacement(change.left), segmentPlacement(change.right)];
    rendered.push(
      <div
        key={row}
        role="row"
        aria-rowindex={row + 2}
        data-virtual-row
        data-kind={change.kind}
        data-left={change.left?.index ?? ""}
        data-right={change.right?.index ?? ""}
        aria-current={current ? "true" : undefined}
        className={current ? "compare-row compare-selected" : "compare-row"}
      >
        <span role="cell">{CHANGE_LABELS[change.kind]}</span>
        <span role="cell" title={name}>
          {difference < 0 ? (
            name
          ) : (
            <button type="button" className="compare-link" onClick={() => onSelect(difference)}>
              {name}
            </button>
          )}
        </span>
        <span role="cell" title={left}>
          {left}
        </span>
        <span role="cell" title={right}>
          {right}
        </span>
      </div>,
    );
  }

  return (
    <section className="compare-segments" aria-labelledby="compare-segments-title">
      <h3 id="compare-segments-title">Segment changes</h3>
      <p data-field="segments.unchanged">
        {count === 0 ? "No segment changed" : `${grouped(count)} changed`};{" "}
        {grouped(diff.unchangedSegments)} matched and unchanged. Segments are matched by name when
        both modules name them, otherwise by index. A passive segment has no address: its change is
        listed but is not a difference to step to.
      </p>
      {count > 0 && (
        <div
          ref={scrollRef}
          className="compare-rows compare-segment-table"
          role="table"
          aria-label={`Segment changes (${count})`}
          aria-rowcount={count + 1}
        >
          <div role="rowgroup" className="compare-rows-head" data-virtual-header>
            <div role="row" aria-rowindex={1} className="compare-row">
              <span role="columnheader">Change</span>
              <span role="columnheader">Segment</span>
              <span role="columnheader">Left</span>
              <span role="columnheader">Right</span>
            </div>
          </div>
          <div role="rowgroup" className="compare-rows-body">
            <div className="compare-rows-window">{rendered}</div>
          </div>
        </div>
      )}
    </section>
  );
}
