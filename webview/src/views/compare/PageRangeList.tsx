// The page ranges of one memory whose image differs between the two modules, as a
// virtualised list; each range is a difference that its button selects, and selecting
// it elsewhere scrolls it into view.

import { useEffect, type ReactElement } from "react";
import { pageRangeAt, type PackedDiff } from "../../../../common/packed-diff";
import { plural } from "../../../../common/format";
import { useVirtualRows } from "../../virtual/use-virtual-rows";

export interface PageRangeListProps {
  diff: PackedDiff;
  memory: number;
  /** The row of the selected difference, when it is a range of this memory. */
  selectedRow: number | null;
  onSelect(difference: number): void;
}

export function PageRangeList({
  diff,
  memory,
  selectedRow,
  onSelect,
}: PageRangeListProps): ReactElement {
  const packed = diff.memories[memory]!;
  const ranges = packed.pageRanges;
  const { scrollRef, rows, revealRow } = useVirtualRows(ranges.count);
  useEffect(() => {
    if (selectedRow !== null) revealRow(selectedRow);
  }, [selectedRow, revealRow]);

  const items: ReactElement[] = [];
  for (let row = rows.first; row < rows.end; row++) {
    const range = pageRangeAt(diff, memory, row);
    const current = row === selectedRow;
    items.push(
      <li
        key={row}
        data-virtual-row
        data-first-page={range.firstPage}
        data-end-page={range.endPage}
        aria-current={current ? "true" : undefined}
        className={current ? "compare-row compare-selected" : "compare-row"}
      >
        <button
          type="button"
          className="compare-link"
          title={range.description}
          onClick={() => onSelect(ranges.difference[row]!)}
        >
          {range.description}
        </button>
      </li>,
    );
  }
  return (
    <section className="compare-pages" aria-labelledby="compare-pages-title">
      <h3 id="compare-pages-title">Pages that differ in memory {memory}</h3>
      <p data-field="pages.count">
        {ranges.count === 0
          ? "No page differs."
          : `${plural(ranges.pages, "page differs", "pages differ")} in ${plural(ranges.count, "range")}.`}{" "}
        {packed.contentCompared
          ? "Pages are compared by content (a hash of every page's bytes)."
          : "Page contents were not compared (no page hashes): only pages whose kind differs (data, zero, outside the image) are listed."}
      </p>
      {ranges.count > 0 && (
        <div ref={scrollRef} className="compare-rows">
          <div className="compare-rows-body">
            <ol
              className="compare-rows-window compare-range-list"
              start={rows.first + 1}
              aria-label={`Differing page ranges (${ranges.count})`}
            >
              {items}
            </ol>
          </div>
        </div>
      )}
    </section>
  );
}
