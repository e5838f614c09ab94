// "V8 emulation vs Wasmtime": the steps both engines ran for the same actions, side by
// side, with the page-state counts the kernel reported after each, the slot picks, and
// every row where they differ marked (common/engine-comparison.ts pairs them).

import type { ReactElement } from "react";
import { pairEngineSteps, type EngineStep } from "../../../../common/engine-comparison";
import { PAGE_STATE_WORDS, PAGE_STATES } from "../../../../common/page-states";
import type { RunView } from "../../../../common/webview-protocol";
import { grouped } from "../../../../common/format";
import { displayMultiline, displayText } from "../../../../common/display-text";

export function EngineComparison({
  v8,
  wasmtime,
}: {
  v8: RunView | undefined;
  wasmtime: RunView | undefined;
}): ReactElement {
  const pairs = pairEngineSteps(v8?.steps ?? [], wasmtime?.steps ?? []);
  const differing = pairs.filter((pair) => pair.differences.length > 0).length;
  return (
    <section className="engine-comparison" aria-label="V8 emulation vs Wasmtime">
      <h2>V8 emulation vs Wasmtime</h2>
      {[v8, wasmtime].map(
        (run) =>
          run?.error && (
            <div key={run.engine} className="error-banner" role="alert" data-field="run-error">
              {run.engine === "v8" ? "V8" : "Wasmtime"}: {displayMultiline(run.error)}
            </div>
          ),
      )}
      {pairs.length === 0 ? (
        <p className="muted">
          No steps yet. Each action runs in the V8 emulation, then in Wasmtime; the page states
          after each step are compared here.
        </p>
      ) : (
        <>
          <p data-field="agreement" aria-live="polite">
            {differing === 0
              ? `The engines agree on all ${grouped(pairs.length)} steps: the same page states and slot picks.`
              : `${grouped(differing)} of ${grouped(pairs.length)} steps differ (marked).`}
          </p>
          <table className="engine-steps">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">V8 emulation</th>
                <th scope="col">Wasmtime</th>
                <th scope="col">Differs</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((pair, i) => (
                <tr
                  key={i}
                  data-row={i}
                  data-differs={pair.differences.length > 0}
                  className={pair.differences.length > 0 ? "differs" : undefined}
                >
                  <th scope="row">{stepLabel(pair.left ?? pair.right!)}</th>
                  <td data-engine="v8">{stepCell(pair.left)}</td>
                  <td data-engine="wasmtime">{stepCell(pair.right)}</td>
                  <td data-field="differences">
                    {pair.differences.length === 0 ? "—" : pair.differences.join(", ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function stepLabel(step: EngineStep): string {
  const name = step.export ? `${step.step} ${displayText(step.export)}` : step.step;
  return step.instance === null ? name : `#${step.instance} ${name}`;
}

export function stepCell(step: EngineStep | null): ReactElement {
  if (!step) return <span className="muted">not run</span>;
  return (
    <>
      {step.pick && <span data-field="pick">{step.pick} slot, </span>}
      {step.pages ? (
        <span data-field="pages">
          {PAGE_STATES.filter((state) => step.pages![state] > 0)
            .map((state) => `${PAGE_STATE_WORDS[state]} ${grouped(step.pages![state])}`)
            .join(", ")}
        </span>
      ) : (
        <span className="muted">no observed memory</span>
      )}
      {step.error && (
        <span className="error-text" data-field="error">
          {" "}
          Failed: {displayMultiline(step.error)}
        </span>
      )}
    </>
  );
}
