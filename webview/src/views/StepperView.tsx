// The Instantiation tab: the runner's steps as a timeline grouped by instance, with
// Next / Back, the actions that add steps, and everything measured for the current step
// including the page map as it was after that step.

import { VscodeButton } from "@vscode-elements/react-elements";
import { useMemo, useState, type ReactElement } from "react";
import "../styles/stepper.css";
import { EngineComparison } from "./stepper/EngineComparison";
import { EnginePicker } from "./stepper/EnginePicker";
import { RunActions } from "./stepper/RunActions";
import { runGate } from "./stepper/run-gate";
import { StepDetail } from "./stepper/StepDetail";
import { CowSavings } from "./stepper/CowSavings";
import { groupSteps, isOtherModuleStep, stepTitle } from "./stepper/step-groups";
import { Timeline } from "./stepper/Timeline";
import { formatNs } from "./stepper/format";
import type { ViewProps } from "./view-props";
import { displayMultiline } from "../../../common/display-text";
import { reportRegions } from "../../../common/memory-regions";

export function StepperView({
  data,
  capabilities,
  run,
  runs,
  engines,
  chooseEngine,
}: ViewProps): ReactElement {
  const steps = useMemo(() => run?.steps ?? [], [run]);
  const groups = useMemo(() => groupSteps(steps), [steps]);
  const regions = useMemo(
    () => data.report.memories.map((memory) => reportRegions(data.report, memory.index)),
    [data.report],
  );
  // null follows the newest step, so new steps show as they arrive; an earlier step the
  // user picked is shown until the next action adds steps, which are followed again.
  const [chosen, setChosen] = useState<number | null>(null);
  const [seenSteps, setSeenSteps] = useState(steps.length);
  if (steps.length !== seenSteps) {
    setSeenSteps(steps.length);
    if (steps.length > seenSteps) setChosen(null);
  }
  const [page, setPage] = useState<number | null>(null);
  const last = steps.length - 1;
  const current = chosen === null || chosen > last ? last : chosen;
  const select = (index: number): void => setChosen(index >= last ? null : index);
  const gate = runGate(capabilities, runs, engines);
  const step = current >= 0 ? steps[current]! : null;
  const live = engines.every((engine) => runs[engine]?.liveInstance != null);
  const picker = (
    <EnginePicker
      capabilities={capabilities}
      report={data.report}
      component={data.component}
      engines={engines}
      disabled={gate.running}
      choose={chooseEngine}
    />
  );

  if (engines.length > 1) {
    return (
      <section className="stepper" aria-label="Instantiation stepper">
        {picker}
        <RunActions report={data.report} component={data.component} live={live} gate={gate} />
        {engines.includes("imaged") ? (
          <CowSavings asBuilt={runs.v8} imaged={runs.imaged} />
        ) : (
          <EngineComparison v8={runs.v8} wasmtime={runs.wasmtime} />
        )}
      </section>
    );
  }
  return (
    <section className="stepper" aria-label="Instantiation stepper">
      {picker}
      <RunActions report={data.report} component={data.component} live={live} gate={gate} />
      {run?.error && (
        <div className="error-banner" role="alert" data-field="run-error">
          {displayMultiline(run.error)}
        </div>
      )}
      {step === null || run === null ? (
        <p className="muted">
          No steps yet. Instantiate the module to see each step: plan, image, acquire a slot, map
          the image, instantiate, initialise, invoke, reset.
        </p>
      ) : (
        <>
          <div className="stepper-nav" role="group" aria-label="Move between steps">
            <VscodeButton
              secondary
              data-nav="back"
              disabled={current <= 0}
              onClick={() => current > 0 && select(current - 1)}
            >
              Back
            </VscodeButton>
            <VscodeButton
              secondary
              data-nav="next"
              disabled={current >= last}
              onClick={() => current < last && select(current + 1)}
            >
              Next
            </VscodeButton>
            <VscodeButton
              secondary
              data-nav="last"
              disabled={current >= last}
              onClick={() => select(last)}
            >
              Last step
            </VscodeButton>
            <span className="stepper-position" aria-live="polite" data-field="position">
              Step {current + 1} of {steps.length}: {stepTitle(step)}, {formatNs(step.ns)}
            </span>
          </div>
          <div className="stepper-body">
            <Timeline steps={steps} groups={groups} current={current} onSelect={select} />
            <StepDetail
              step={step}
              hostPageSize={run.hostPageSize}
              index={current}
              selectedPage={page}
              onSelectPage={setPage}
              regionsOf={(memory) => (isOtherModuleStep(step) ? [] : (regions[memory] ?? []))}
            />
          </div>
        </>
      )}
    </section>
  );
}
