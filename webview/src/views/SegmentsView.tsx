// The Segments tab: every data segment in a virtualised, sortable, filterable table;
// selecting one highlights its pages on the page map (through the shared selection) and
// shows its image bytes below.

import {
  VscodeLabel,
  VscodeOption,
  VscodeSingleSelect,
  VscodeTextfield,
} from "@vscode-elements/react-elements";
import { useDeferredValue, useEffect, useMemo, useState, type ReactElement } from "react";
import "../styles/segments.css";
import { readBytes, usePersistentState } from "../vscode-api";
import { HexView } from "./HexView";
import { segmentColumns } from "./segments/columns";
import { grouped, hex, plural } from "../../../common/format";
import { segmentBytesPlan } from "./segments/segment-bytes";
import { firstPageOf, segmentRows, type SegmentRow } from "./segments/segment-rows";
import { SegmentsTable } from "./segments/SegmentsTable";
import {
  defaultMode,
  filterRows,
  knownOrder,
  MODE_LABELS,
  nextOrder,
  sortRows,
  type ModeFilter,
  type SortOrder,
} from "./segments/sort-filter";
import type { ReportData, ViewProps } from "./view-props";
import { displayText } from "../../../common/display-text";

const MODES: ModeFilter[] = ["data", "all", "active", "passive"];

export function SegmentsView(props: ViewProps): ReactElement {
  if (props.data.report.dataSegments.length < props.data.segmentCount) {
    // The summary came first; the segments' JSON is on its way (or being parsed).
    return (
      <section aria-label="Data segments" className="segments-view">
        <p className="segments-count" role="status">
          Reading {plural(props.data.segmentCount, "data segment")}…
        </p>
      </section>
    );
  }
  return <LoadedSegments {...props} />;
}

function LoadedSegments({ data, selection, select }: ViewProps): ReactElement {
  const report = data.report;
  const pageSize = report.plan.pageSize;
  const rows = useMemo(() => segmentRows(report.dataSegments, pageSize), [report, pageSize]);
  const columns = useMemo(() => segmentColumns(pageSize), [pageSize]);
  const [storedOrder, setOrder] = usePersistentState<SortOrder>("segments.order", {
    key: "index",
    direction: "ascending",
  });
  const order = knownOrder(storedOrder);
  const [text, setText] = usePersistentState("segments.filter", "");
  // Until the user picks one, the mode is the module's default (the segments that matter).
  const [chosenMode, setMode] = usePersistentState<ModeFilter | null>("segments.mode", null);
  const mode = chosenMode ?? defaultMode(rows);
  const filterText = useDeferredValue(text);
  const sorted = useMemo(() => sortRows(rows, order), [rows, order]);
  const shown = useMemo(
    () => filterRows(sorted, { text: filterText, mode }),
    [sorted, filterText, mode],
  );
  // The cursor follows a segment (not a position) through sorting and filtering.
  const [cursorSegment, setCursorSegment] = useState<number | null>(selection.segment);
  const cursor =
    cursorSegment === null ? -1 : shown.findIndex((row) => row.segment.index === cursorSegment);

  const selectRow = (row: SegmentRow): void => {
    const segment = row.segment;
    select({
      segment: segment.index,
      memory: segment.memory ?? selection.memory,
      page: firstPageOf(segment, pageSize),
    });
  };

  // A mode that hides nothing (every segment active with bytes) is not a filter to report.
  const filtered = text.trim() !== "" || (mode !== "all" && shown.length < rows.length);
  const total = rows.length;
  const selected = selection.segment === null ? undefined : rows[selection.segment];
  return (
    <section aria-label="Data segments" className="segments-view">
      <div className="segments-controls">
        <div className="segments-control">
          <VscodeLabel htmlFor="segments-filter">Filter</VscodeLabel>
          <VscodeTextfield
            id="segments-filter"
            placeholder="index, name or offset"
            value={text}
            onInput={(event) => setText((event.target as HTMLInputElement).value)}
          />
        </div>
        <div className="segments-control">
          <VscodeLabel htmlFor="segments-mode">Mode</VscodeLabel>
          <VscodeSingleSelect
            id="segments-mode"
            value={mode}
            onChange={(event) => setMode((event.target as HTMLSelectElement).value as ModeFilter)}
          >
            {MODES.map((value) => (
              <VscodeOption key={value} value={value}>
                {MODE_LABELS[value]}
              </VscodeOption>
            ))}
          </VscodeSingleSelect>
        </div>
        <p className="segments-count" role="status" aria-live="polite">
          {filtered
            ? `${grouped(shown.length)} of ${plural(total, "data segment")} match${mode === "data" && !text.trim() ? ` (the active ones with bytes; Mode "all" shows the ${grouped(total - shown.length)} others)` : ""}.`
            : `${plural(total, "data segment")}.`}
        </p>
      </div>
      <SegmentsTable
        columns={columns}
        rows={shown}
        order={order}
        onSort={(key) => setOrder((current) => nextOrder(current, key))}
        cursor={cursor}
        onCursor={(position) => setCursorSegment(shown[position]?.segment.index ?? null)}
        selected={selection.segment}
        onSelect={(position) => {
          const row = shown[position];
          if (row) selectRow(row);
        }}
        total={total}
      />
      {selected && <SegmentBytes data={data} row={selected} />}
    </section>
  );
}

/** The selected segment's image bytes (or why there are none). */
function SegmentBytes({ data, row }: { data: ReportData; row: SegmentRow }): ReactElement {
  const segment = row.segment;
  const plan = useMemo(() => segmentBytesPlan(data.report, segment), [data.report, segment]);
  const [bytes, setBytes] = useState<{
    for: SegmentRow;
    bytes: Uint8Array | null;
    error: string | null;
  } | null>(null);

  useEffect(() => {
    if (plan.kind !== "read") return;
    let current = true;
    readBytes({
      side: data.side,
      source: "image",
      memory: plan.memory,
      offset: plan.offset,
      length: plan.length,
    }).then(
      (result) => current && setBytes({ for: row, bytes: result, error: null }),
      (error: unknown) =>
        current &&
        setBytes({
          for: row,
          bytes: null,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      current = false;
    };
  }, [data.side, plan, row]);

  const title = `Segment ${segment.index}${segment.name ? ` "${displayText(segment.name)}"` : ""}`;
  const loaded = bytes?.for === row ? bytes : null;
  return (
    <section className="segment-bytes" aria-label={`${title} bytes`}>
      <h2>
        {title}: {segment.size} bytes
        {segment.start !== null ? ` at ${hex(segment.start)}` : ""}
        {row.pages ? `, page${row.pages.first === row.pages.last ? "" : "s"} ${row.pagesText}` : ""}
      </h2>
      {plan.kind === "none" ? (
        <p className="notice" role="note">
          {displayText(plan.message)}
        </p>
      ) : (
        <>
          {plan.note && <p className="segment-bytes-note">{plan.note}</p>}
          <HexView
            label={`${title} image bytes of memory ${plan.memory}`}
            baseAddress={plan.offset}
            bytes={loaded?.bytes ?? null}
            unavailable={
              loaded?.error ? `The bytes could not be read: ${displayText(loaded.error)}` : null
            }
          />
        </>
      )}
    </section>
  );
}
