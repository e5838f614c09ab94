// The page ranges of one memory whose image differs between the two modules; each one
// is a difference that its button selects.

import type { ReactElement } from "react";
import type { MemoryDiff, PageRangeDiff } from "../../../../common/layout-diff";

export interface PageRangeListProps {
  memory: MemoryDiff;
  differenceOf: ReadonlyMap<PageRangeDiff, number>;
  selected: number | null;
  onSelect(difference: number): void;
}

export function PageRangeList({
  memory,
  differenceOf,
  selected,
  onSelect,
}: PageRangeListProps): ReactElement {
  const ranges = memory.pageRanges;
  const pages = ranges.reduce((sum, r) => sum + r.endPage - r.firstPage, 0);
  return (
    <section className="compare-pages" aria-labelledby="compare-pages-title">
      <h3 id="compare-pages-title">Pages that differ in memory {memory.memory}</h3>
      <p data-field="pages.count">
        {ranges.length === 0
          ? "No page differs."
          : `${pages} ${pages === 1 ? "page differs" : "pages differ"} in ${ranges.length} ${ranges.length === 1 ? "range" : "ranges"}.`}{" "}
        {memory.contentCompared
          ? "Pages are compared by content (a hash of every page's bytes)."
          : "Page contents were not compared (no page hashes): only pages whose kind differs (data, zero, outside the image) are listed."}
      </p>
      {ranges.length > 0 && (
        <ol className="compare-range-list">
          {ranges.map((range) => {
            const difference = differenceOf.get(range)!;
            const current = difference === selected;
            return (
              <li
                key={range.firstPage}
                data-first-page={range.firstPage}
                data-end-page={range.endPage}
                aria-current={current ? "true" : undefined}
                className={current ? "compare-selected" : undefined}
              >
                <button type="button" className="compare-link" onClick={() => onSelect(difference)}>
                  {range.description}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
