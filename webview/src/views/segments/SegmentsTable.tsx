// The virtualised segments grid: a sticky header of sortable columns and only the
// visible rows in the DOM. The grid itself takes focus; arrow keys, Page Up/Down and
// Home/End move the cursor row (aria-activedescendant), Enter or Space selects it.

import { useEffect, useId, type KeyboardEvent, type ReactElement } from "react";
import type { Column } from "./columns";
import type { SegmentRow } from "./segment-rows";
import type { SortKey, SortOrder } from "./sort-filter";
import { useVirtualRows } from "../../virtual/use-virtual-rows";

export interface SegmentsTableProps {
  columns: Column[];
  /** The rows to show, filtered and sorted. */
  rows: SegmentRow[];
  order: SortOrder;
  onSort(key: SortKey): void;
  /** Position (in `rows`) of the cursor row, or -1. */
  cursor: number;
  onCursor(position: number): void;
  /** Segment index of the selected segment, or null. */
  selected: number | null;
  onSelect(position: number): void;
  /** Total segments in the module (for the accessible name). */
  total: number;
}

export function SegmentsTable(props: SegmentsTableProps): ReactElement {
  const { columns, rows, order, cursor } = props;
  const idPrefix = useId();
  const { scrollRef, rows: visible, revealRow, pageRows } = useVirtualRows(rows.length);

  // A selection made elsewhere (or restored) is scrolled to when the table opens.
  useEffect(() => {
    if (cursor >= 0) revealRow(cursor);
  }, []); // on mount only

  const moveTo = (position: number): void => {
    if (!rows.length) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, position));
    props.onCursor(clamped);
    revealRow(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return; // keys on a header are its own
    const from = cursor < 0 ? -1 : cursor;
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + pageRows,
      PageUp: from - pageRows,
      Home: 0,
      End: rows.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    } else if ((event.key === "Enter" || event.key === " ") && cursor >= 0) {
      event.preventDefault();
      props.onSelect(cursor);
    }
  };

  const rowId = (row: SegmentRow): string => `${idPrefix}-segment-${row.segment.index}`;
  const cursorRendered = cursor >= visible.first && cursor < visible.end;
  const rendered: ReactElement[] = [];
  for (let position = visible.first; position < visible.end; position++) {
    const row = rows[position]!;
    const selected = row.segment.index === props.selected;
    rendered.push(
      <div
        key={row.segment.index}
        id={rowId(row)}
        role="row"
        aria-rowindex={position + 2}
        aria-selected={selected}
        data-virtual-row
        data-segment={row.segment.index}
        className={[
          "segments-row",
          selected ? "selected" : "",
          position === cursor ? "cursor" : "",
          row.segment.mode,
        ].join(" ")}
        onClick={() => {
          props.onCursor(position);
          props.onSelect(position);
        }}
      >
        {columns.map((column) => (
          <span
            key={column.key}
            role="gridcell"
            data-column={column.key}
            className={column.numeric ? "number" : undefined}
            title={column.hint?.(row)}
          >
            {column.text(row)}
          </span>
        ))}
      </div>,
    );
  }

  return (
    <div
      ref={scrollRef}
      className="segments-grid"
      role="grid"
      tabIndex={0}
      aria-label={`Data segments (${props.total})`}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={cursorRendered ? rowId(rows[cursor]!) : undefined}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        // Focus arriving from outside puts the cursor somewhere visible.
        if (event.target === event.currentTarget && cursor < 0 && rows.length)
          moveTo(visible.first);
      }}
    >
      <div role="rowgroup" className="segments-head" data-virtual-header>
        <div role="row" aria-rowindex={1} className="segments-row">
          {columns.map((column) => (
            <HeaderCell
              key={column.key}
              column={column}
              order={order}
              onSort={() => props.onSort(column.key)}
            />
          ))}
        </div>
      </div>
      <div role="rowgroup" className="segments-body">
        <div className="segments-window">{rendered}</div>
      </div>
    </div>
  );
}

function HeaderCell({
  column,
  order,
  onSort,
}: {
  column: Column;
  order: SortOrder;
  onSort(): void;
}): ReactElement {
  const sorted = order.key === column.key;
  return (
    <span
      role="columnheader"
      tabIndex={0}
      aria-sort={sorted ? order.direction : "none"}
      data-column={column.key}
      title={column.description}
      className={column.numeric ? "number sortable" : "sortable"}
      onClick={onSort}
      onKeyDown={(event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onSort();
        }
      }}
    >
      {column.title}
      <span className="sort-glyph" aria-hidden="true">
        {sorted ? (order.direction === "ascending" ? " ▲" : " ▼") : ""}
      </span>
    </span>
  );
}
