// "What CoW would have saved": each action ran on the module as built (no image: V8
// copies its segments) and then on its imaged variant, each on a pool of its own. What
// the variant changed, the per-instance comparison the CLI's --what-if-cow prints
// (common/cow-savings.ts), and every step side by side with its page states and private
// dirty bytes.

import type { ReactElement } from "react";
import { pairEngineSteps } from "../../../../common/engine-comparison";
import { runFigures, savingsRows } from "../../../../common/cow-savings";
import { displayMultiline, displayText } from "../../../../common/display-text";
import { exactBytes } from "../../../../common/format";
import type { RunView } from "../../../../common/webview-protocol";
import { stepCell, stepLabel } from "./EngineComparison";

export function CowSavings({
  asBuilt,
  imaged,
}: {
  asBuilt: RunView | undefined;
  imaged: RunView | undefined;
}): ReactElement {
  // The module may have run before the variant joined: compare only what both ran.
  const pairs = pairEngineSteps(asBuilt?.steps ?? [], imaged?.steps ?? [], { alignEnd: true });
  const firstShared = pairs.find((pair) => pair.right)?.left?.instance ?? null;
  const asBuiltFigures = runFigures(
    (asBuilt?.steps ?? []).filter(
      (step) => firstShared !== null && step.instance !== null && step.instance >= firstShared,
    ),
  );
  const rows = savingsRows(asBuiltFigures, runFigures(imaged?.steps ?? []));
  return (
    <section className="cow-savings engine-comparison" aria-label="What CoW would have saved">
      <h2>What CoW would have saved</h2>
      {[asBuilt, imaged].map(
        (run) =>
          run?.error && (
            <div key={run.engine} className="error-banner" role="alert" data-field="run-error">
              {run.engine === "imaged" ? "With an image" : "As built"}:{" "}
              {displayMultiline(run.error)}
            </div>
          ),
      )}
      {imaged?.variantChanges && (
        <div data-field="variant-changes">
          <p>
            Each action runs on the module as built, then on a pool of its own on the module changed
            so:
          </p>
          <ul>
            {imaged.variantChanges.map((change) => (
              <li key={change}>{displayText(change)}</li>
            ))}
          </ul>
        </div>
      )}
      {pairs.length === 0 ? (
        <p className="muted">
          No steps yet. Each action runs on the module as built, where V8 copies its data segments,
          then on the same module changed so that it gets a copy-on-write image; what that saves per
          instance is compared here.
        </p>
      ) : (
        <>
          <table className="cow-savings-table" data-field="savings">
            <caption>Per instance (median of {asBuiltFigures.instances})</caption>
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">As built</th>
                <th scope="col">With an image</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td className="number" data-engine="v8">
                    {row.asBuilt}
                  </td>
                  <td className="number" data-engine="imaged">
                    {row.imaged}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="engine-steps">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">As built</th>
                <th scope="col">With an image</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((pair, i) => (
                <tr key={i} data-row={i}>
                  <th scope="row">{stepLabel(pair.left ?? pair.right!)}</th>
                  {[pair.left, pair.right].map((step, side) => (
                    <td key={side} data-engine={side === 0 ? "v8" : "imaged"}>
                      {stepCell(step)}
                      {step?.privateDirtyBytes != null && (
                        <span data-field="private-dirty" data-value={step.privateDirtyBytes}>
                          ; private dirty {exactBytes(step.privateDirtyBytes)}
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
