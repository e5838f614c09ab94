// The lab's figures as tables (the accessible form of the charts): the same cells as the
// CLI's text and CSV (common/lab-table.ts).

import type { ReactElement } from "react";
import { madviseCells, scalingCells, strategyCells } from "../../../../common/lab-table";
import type { LabReport } from "../../../../common/lab-types";
import { displayText } from "../../../../common/display-text";

function Table(props: {
  name: string;
  caption: string;
  heads: string[];
  rows: { key: string; cells: string[] }[];
}): ReactElement {
  return (
    <table className="lab-table" data-table={props.name}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.heads.map((head, i) => (
            <th key={head} scope="col" className={i ? "number" : undefined}>
              {head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((text, i) =>
              i === 0 ? (
                <th key={i} scope="row">
                  {text}
                </th>
              ) : (
                <td key={i} className="number">
                  {text}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LabTables({ report }: { report: LabReport }): ReactElement {
  const ran = report.strategies.filter((s) => s.unavailable === null);
  const skipped = report.strategies.filter((s) => s.unavailable !== null);
  const n = report.options.instances;
  return (
    // Wide tables scroll sideways: the region takes focus so the keyboard can scroll it.
    <div className="lab-tables" role="region" aria-label="The lab's figures" tabIndex={0}>
      {ran.length > 0 && (
        <Table
          name="strategies"
          caption={`Per instance, medians of ${n}; live: ${n} instances at once`}
          heads={["Strategy", ...strategyCells(ran[0]!).map((c) => c.column)]}
          rows={ran.map((s) => ({
            key: s.strategy,
            cells: [s.strategy, ...strategyCells(s).map((c) => c.text)],
          }))}
        />
      )}
      {skipped.map((s) => (
        <p key={s.strategy} className="notice" data-unavailable={s.strategy}>
          {s.strategy} did not run: {displayText(s.unavailable!)}
        </p>
      ))}
      {ran.flatMap((s) =>
        s.notes.map((note) => (
          <p key={`${s.strategy}-${note}`} className="muted" data-note={s.strategy}>
            {s.strategy}: {displayText(note)}
          </p>
        )),
      )}
      {ran.length > 0 && report.options.threads.length > 0 && (
        <Table
          name="scaling"
          caption="Instances per second (instantiate, workload, reset) by threads"
          heads={["Threads", ...report.strategies.map((s) => s.strategy)]}
          rows={scalingCells(report).map((row) => ({
            key: String(row.threads),
            cells: [String(row.threads), ...row.cells.map((c) => c.text)],
          }))}
        />
      )}
      {report.madvise && (
        <Table
          name="madvise"
          caption="madvise(MADV_DONTNEED) and mprotect against the range (medians)"
          heads={madviseCells(report.madvise[0]!).map((c) => c.column)}
          rows={report.madvise.map((row) => ({
            key: `${row.accessibleBytes}-${row.dirtyPages}`,
            cells: madviseCells(row).map((c) => c.text),
          }))}
        />
      )}
    </div>
  );
}
