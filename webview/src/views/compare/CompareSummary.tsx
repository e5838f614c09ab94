// One memory's image facts for both modules and their difference: offset, length, pages,
// non-zero pages and data bytes (grouped, byte counts with their size too), plus the
// static verdict. Cells carry `data-field` (the report's JSON path), `data-side` and the
// exact integer in `data-value` (the delta signed), for tests and screen readers alike.

import type { ReactElement } from "react";
import type { Delta, MemoryDiff } from "../../../../common/layout-diff";
import { formatDelta, formatValue, formatVerdict } from "../../../../common/layout-diff-text";

const ROWS: {
  field: "offset" | "length" | "pages" | "nonzeroPages" | "dataBytes";
  label: string;
  bytes: boolean;
}[] = [
  { field: "offset", label: "Image offset (bytes)", bytes: true },
  { field: "length", label: "Image length (bytes)", bytes: true },
  { field: "pages", label: "Image pages", bytes: false },
  { field: "nonzeroPages", label: "Non-zero pages", bytes: false },
  { field: "dataBytes", label: "Data bytes", bytes: true },
];

export interface CompareSummaryProps {
  memory: Omit<MemoryDiff, "pageRanges">;
  leftName: string;
  rightName: string;
  /** Whether the selected difference is this memory's image difference. */
  selected: boolean;
}

export function CompareSummary({
  memory,
  leftName,
  rightName,
  selected,
}: CompareSummaryProps): ReactElement {
  const prefix = `images.${memory.memory}`;
  return (
    <table
      className={`compare-summary${selected ? " compare-selected" : ""}`}
      aria-current={selected ? "true" : undefined}
    >
      <caption>Memory {memory.memory}: image of each module and the difference</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{leftName} (left)</th>
          <th scope="col">{rightName} (right)</th>
          <th scope="col">Difference (right − left)</th>
        </tr>
      </thead>
      <tbody>
        <tr className={memory.verdict.changed ? "compare-changed" : undefined}>
          <th scope="row">Static image</th>
          <td data-field={`${prefix}.static`} data-side="left">
            {formatVerdict(memory.verdict.left)}
          </td>
          <td data-field={`${prefix}.static`} data-side="right">
            {formatVerdict(memory.verdict.right)}
          </td>
          <td data-field={`${prefix}.static`} data-side="delta">
            {memory.verdict.changed ? "changed" : "same"}
          </td>
        </tr>
        {ROWS.map(({ field, label, bytes }) => (
          <SummaryRow
            key={field}
            label={label}
            field={`${prefix}.${field}`}
            delta={memory[field]}
            bytes={bytes}
          />
        ))}
      </tbody>
    </table>
  );
}

function SummaryRow({
  label,
  field,
  delta,
  bytes,
}: {
  label: string;
  field: string;
  delta: Delta<number> | Delta<bigint>;
  bytes: boolean;
}): ReactElement {
  const exact = (value: number | bigint | null): string => (value === null ? "" : String(value));
  return (
    <tr className={delta.changed ? "compare-changed" : undefined}>
      <th scope="row">{label}</th>
      <td className="number" data-field={field} data-side="left" data-value={exact(delta.left)}>
        {formatValue(delta.left, bytes)}
      </td>
      <td className="number" data-field={field} data-side="right" data-value={exact(delta.right)}>
        {formatValue(delta.right, bytes)}
      </td>
      <td className="number" data-field={field} data-side="delta" data-value={exact(delta.delta)}>
        {formatDelta(delta, bytes)}
      </td>
    </tr>
  );
}
