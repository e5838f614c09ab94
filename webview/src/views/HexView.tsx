// Bytes of a range as address / hex / ASCII rows; with `compareBytes`, the two copies
// (image | live instance) side by side, differing bytes marked by weight, underline and
// a per-row count (not colour alone). Long ranges are virtualised.

import { useCallback, useMemo, type ReactElement } from "react";
import "../styles/hex-view.css";
import type { HexViewProps } from "./hex-view-props";
import {
  asciiText,
  byteRuns,
  countDiffs,
  formatAddress,
  hexRowCount,
  hexText,
} from "./segments/hex-format";
import { useVirtualRows } from "../virtual/use-virtual-rows";

/** Rows rendered without virtualisation (4 KiB at 16 bytes a row). */
const VIRTUALISE_ABOVE_ROWS = 256;

export function HexView(props: HexViewProps): ReactElement {
  const { label, bytes, compareBytes, unavailable } = props;
  const titles = props.titles ?? ["image", "live instance"];
  if (!bytes) {
    return (
      <div className="hex-view hex-message" role="status" aria-label={label}>
        {unavailable ?? "Loading bytes…"}
      </div>
    );
  }
  // Two columns when a second copy is expected: shown, loading, or unavailable.
  const compare = compareBytes ?? null;
  const secondNote =
    compare !== null
      ? null
      : compareBytes === null
        ? (unavailable ?? `Loading ${titles[1]} bytes…`)
        : (unavailable ?? null);
  return (
    <div className="hex-view">
      <HexTable
        label={label}
        baseAddress={props.baseAddress}
        bytes={bytes}
        compare={compare}
        titles={titles}
        width={props.width ?? 16}
      />
      {secondNote !== null && (
        <div className="hex-unavailable" role="note" aria-label={`${titles[1]} bytes`}>
          <div className="hex-unavailable-title">{titles[1]}</div>
          <div>{secondNote}</div>
        </div>
      )}
    </div>
  );
}

interface HexTableProps {
  label: string;
  baseAddress: number;
  bytes: Uint8Array;
  compare: Uint8Array | null;
  titles: [string, string];
  width: number;
}

function HexTable({ label, baseAddress, bytes, compare, titles, width }: HexTableProps) {
  const rowCount = hexRowCount(bytes.length, compare?.length ?? 0, width);
  const virtual = rowCount > VIRTUALISE_ABOVE_ROWS;
  const { scrollRef, rows } = useVirtualRows(rowCount);
  const first = virtual ? rows.first : 0;
  const end = virtual ? rows.end : rowCount;
  const summary = useMemo(
    () => (compare ? diffSummary(bytes, compare, width) : null),
    [bytes, compare, width],
  );
  const tableRef = useBytesPerRow(width);

  const rendered: ReactElement[] = [];
  for (let row = first; row < end; row++) {
    rendered.push(
      <HexRow
        key={row}
        row={row}
        address={baseAddress + row * width}
        bytes={bytes}
        compare={compare}
        width={width}
      />,
    );
  }
  const [left, right] = titles;
  return (
    <div className="hex-column">
      {summary !== null && (
        <p className="hex-summary" role="status" aria-live="polite">
          {summary.bytes === 0
            ? `No bytes differ between ${left} and ${right}.`
            : `${differ(summary.bytes)} between ${left} and ${right}, in ${plural(summary.rows, "row")}.`}
        </p>
      )}
      <div
        ref={scrollRef}
        className={virtual ? "hex-scroll virtual" : "hex-scroll"}
        tabIndex={0}
        role="region"
        aria-label={`${label}: ${plural(bytes.length, "byte")}`}
      >
        <div
          ref={tableRef}
          role="table"
          aria-label={label}
          aria-rowcount={rowCount + 1}
          className={compare ? "hex-table compare" : "hex-table"}
        >
          <div role="rowgroup" className="hex-head" data-virtual-header>
            <div role="row" aria-rowindex={1} className="hex-row">
              <span role="columnheader">Address</span>
              <span role="columnheader">{compare ? `${left} (hex)` : "Hex"}</span>
              <span role="columnheader">{compare ? `${left} (ASCII)` : "ASCII"}</span>
              {compare && (
                <>
                  <span role="columnheader">{`${right} (hex)`}</span>
                  <span role="columnheader">{`${right} (ASCII)`}</span>
                  <span role="columnheader">Differences</span>
                </>
              )}
            </div>
          </div>
          <div role="rowgroup" className="hex-body">
            <div className="hex-window">{rendered}</div>
          </div>
        </div>
      </div>
    </div>
  );
}

function HexRow({
  row,
  address,
  bytes,
  compare,
  width,
}: {
  row: number;
  address: number;
  bytes: Uint8Array;
  compare: Uint8Array | null;
  width: number;
}): ReactElement {
  const from = row * width;
  const to = from + width;
  const diffs = compare
    ? countDiffs(bytes, compare, from, Math.min(to, Math.max(bytes.length, compare.length)))
    : 0;
  const addressText = formatAddress(address);
  return (
    <div
      role="row"
      aria-rowindex={row + 2}
      data-virtual-row
      data-address={address}
      className={diffs ? "hex-row differs" : "hex-row"}
      aria-label={diffs ? `${addressText}: ${differ(diffs)}` : undefined}
    >
      <span role="rowheader" className="hex-address">
        {addressText}
      </span>
      <ByteCells own={bytes} other={compare} from={from} to={to} side="left" />
      {compare && (
        <>
          <ByteCells own={compare} other={bytes} from={from} to={to} side="right" />
          <span role="cell" className="hex-marker">
            {diffs ? `≠ ${diffs}` : ""}
          </span>
        </>
      )}
    </div>
  );
}

/** The hex and ASCII cells of one copy's row, differing bytes wrapped in <mark>. */
function ByteCells({
  own,
  other,
  from,
  to,
  side,
}: {
  own: Uint8Array;
  other: Uint8Array | null;
  from: number;
  to: number;
  side: "left" | "right";
}): ReactElement {
  const runs = byteRuns(own, other, from, to);
  const hex: ReactElement[] = [];
  const ascii: ReactElement[] = [];
  runs.forEach((run, i) => {
    const text = hexText(own, run.start, run.end);
    const spaced = i < runs.length - 1 ? " " : "";
    const chars = asciiText(own, run.start, run.end);
    if (run.differs) {
      hex.push(
        <mark key={run.start} className={`hex-diff ${side}`} data-byte={run.start}>
          {text}
        </mark>,
        <span key={`${run.start}s`}>{spaced}</span>,
      );
      ascii.push(
        <mark key={run.start} className={`hex-diff ${side}`}>
          {chars}
        </mark>,
      );
    } else {
      hex.push(<span key={run.start}>{text + spaced}</span>);
      ascii.push(<span key={run.start}>{chars}</span>);
    }
  });
  return (
    <>
      <span role="cell" className="hex-bytes">
        {hex}
      </span>
      <span role="cell" className="hex-ascii">
        {ascii}
      </span>
    </>
  );
}

/** Bytes per row other than 16 widen the columns through a CSS variable (CSSOM). */
function useBytesPerRow(width: number): (element: HTMLDivElement | null) => void {
  return useCallback(
    (element: HTMLDivElement | null) =>
      element?.style.setProperty("--hex-bytes-per-row", String(width)),
    [width],
  );
}

function diffSummary(
  bytes: Uint8Array,
  compare: Uint8Array,
  width: number,
): { bytes: number; rows: number } {
  const length = Math.max(bytes.length, compare.length);
  let total = 0;
  let rows = 0;
  for (let from = 0; from < length; from += width) {
    const count = countDiffs(bytes, compare, from, Math.min(from + width, length));
    total += count;
    if (count) rows++;
  }
  return { bytes: total, rows };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function differ(count: number): string {
  return count === 1 ? "1 byte differs" : `${count} bytes differ`;
}
