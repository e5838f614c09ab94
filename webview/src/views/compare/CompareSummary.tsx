// One memory's image facts for both modules and their difference, as plain integers:
// offset, length, pages, non-zero pages and data bytes, plus the static verdict.
// Cells carry `data-field` (the report's JSON path) and `data-side` for tests.

import type { ReactElement } from "react";
import type { Delta, MemoryDiff } from "../../../../common/layout-diff";
import { formatDelta, formatValue, formatVerdict } from "../../../../common/layout-diff-text";

const ROWS: {
  field: "offset" | "length" | "pages" | "nonzeroPages" | "dataBytes";
  label: string;
}[] = [
  { field: "offset", label: "Image offset (bytes)" },
  { field: "length", label: "Image length (bytes)" },
  { field: "pages", label: "Image pages" },
  { field: "nonzeroPages", label: "Non-zero pages" },
  { field: "dataBytes", label: "Data bytes" },
];

export interface CompareSummaryProps {
  memory: MemoryDiff;
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
        {ROWS.map(({ field, label }) => (
          <SummaryRow
            key={field}
            label={label}
            field={`${prefix}.${field}`}
            delta={memory[field]}
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
}: {
  label: string;
  field: string;
  delta: Delta<number> | Delta<bigint>;
}): ReactElement {
  return (
    <tr className={delta.changed ? "compare-changed" : undefined}>
      <th scope="row">{label}</th>
      <td className="number" data-field={field} data-side="left">
        {formatValue(delta.left)}
      </td>
      <td className="number" data-field={field} data-side="right">
        {formatValue(delta.right)}
      </td>
      <td className="number" data-field={field} data-side="delta">
        {formatDelta(delta)}
      </td>
    </tr>
  );
}
