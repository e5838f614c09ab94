// The Strategies tab: the strategy lab (`wasm-cow lab`) on this module, in the runner:
// each way of initialising and resetting memory measured side by side, as charts and as
// tables, exportable as JSON or CSV. Running it runs module code, so it needs execution
// (a trusted workspace and the native backend), like the stepper.

import {
  VscodeButton,
  VscodeCheckbox,
  VscodeLabel,
  VscodeProgressRing,
  VscodeTextfield,
} from "@vscode-elements/react-elements";
import { useState, type ReactElement } from "react";
import "../styles/strategies.css";
import { LAB_STRATEGIES, TOOL_STRATEGIES, type LabStrategy } from "../../../common/lab-types";
import { displayMultiline, displayText } from "../../../common/display-text";
import { post, usePersistentState } from "../vscode-api";
import { LabCharts } from "./strategies/LabCharts";
import { labOptionsFrom, type LabFormFields } from "./strategies/lab-form";
import { LabTables } from "./strategies/LabTables";
import type { ViewProps } from "./view-props";

const DEFAULT_FIELDS: LabFormFields = {
  workload: "",
  instances: "10",
  threads: "1,2",
  strategies: [...TOOL_STRATEGIES],
  madviseSizes: true,
};

const STRATEGY_TEXT: Record<LabStrategy, string> = {
  eager: "eager: V8 copies the segments",
  "cow-fresh": "cow-fresh: a new memory, the image mapped",
  "cow-affine": "cow-affine: a reused slot keeps the image",
  userfaultfd: "userfaultfd: pages copied in on first touch",
  wasmtime: "wasmtime: real Wasmtime's pooling allocator",
};

export function StrategiesView(props: ViewProps): ReactElement {
  if (!props.data.component) return <LabForm {...props} />;
  return (
    <section className="strategies" aria-label="Strategies">
      <p className="notice" role="status" data-field="lab-component">
        The lab&apos;s strategies instantiate core modules, and a component&apos;s core modules
        import each other: none runs alone. Run the component in the Instantiation tab (Wasmtime),
        or the lab on a plain module.
      </p>
    </section>
  );
}

function LabForm({ capabilities, lab }: ViewProps): ReactElement {
  const [fields, setFields] = usePersistentState<LabFormFields>("lab-form", DEFAULT_FIELDS);
  const [shown, setShown] = useState<string | null>(null);
  const parsed = labOptionsFrom(fields);
  const running = lab?.running ?? false;
  const canRun = capabilities.execution && !running && "options" in parsed;
  const set = (change: Partial<LabFormFields>): void => setFields({ ...fields, ...change });
  const toggle = (strategy: LabStrategy, on: boolean): void =>
    set({
      strategies: LAB_STRATEGIES.filter((s) =>
        s === strategy ? on : fields.strategies.includes(s),
      ),
    });
  const report = lab?.report ?? null;
  // Real Wasmtime only where its library was found; otherwise the form says why not.
  const wasmtime = capabilities.wasmtime;
  const offered = wasmtime.available ? LAB_STRATEGIES : TOOL_STRATEGIES;
  const measure = (): void => {
    if (canRun && "options" in parsed) post({ type: "runLab", options: parsed.options });
  };

  return (
    <section className="strategies" aria-label="Strategies">
      <p className="muted">
        Wasmtime replaced userfaultfd with copy-on-write images (PR #4040). Measure each way on this
        module: the instances run in the runner process, one strategy after another.
      </p>
      <form
        className="lab-form"
        aria-label="Lab settings"
        onSubmit={(event) => {
          event.preventDefault();
          measure();
        }}
      >
        <LabTextField
          field="workload"
          label="Workload (NAME=ARG,ARG; NAME …)"
          wide
          placeholder="none: instantiate and reset only"
          value={fields.workload}
          set={(workload) => set({ workload })}
        />
        <LabTextField
          field="instances"
          label="Instances"
          value={fields.instances}
          set={(instances) => set({ instances })}
        />
        <LabTextField
          field="threads"
          label="Threads"
          value={fields.threads}
          set={(threads) => set({ threads })}
        />
        <fieldset className="lab-strategies">
          <legend>Strategies</legend>
          {offered.map((strategy) => (
            <VscodeCheckbox
              key={strategy}
              data-strategy={strategy}
              checked={fields.strategies.includes(strategy)}
              onChange={(event) => toggle(strategy, (event.target as HTMLInputElement).checked)}
            >
              {STRATEGY_TEXT[strategy]}
            </VscodeCheckbox>
          ))}
          {!wasmtime.available && (
            <span className="muted" data-unoffered="wasmtime">
              Real Wasmtime: {displayText(wasmtime.reason)}
            </span>
          )}
          <VscodeCheckbox
            data-field="madvise-sizes"
            checked={fields.madviseSizes}
            onChange={(event) => set({ madviseSizes: (event.target as HTMLInputElement).checked })}
          >
            madvise against range size (64 KiB to a 4 GiB slot)
          </VscodeCheckbox>
        </fieldset>
        <VscodeButton data-action="runLab" disabled={!canRun} onClick={measure}>
          Measure
        </VscodeButton>
      </form>
      {"error" in parsed && (
        <p className="field-error" role="alert" data-field="lab-error">
          {parsed.error}
        </p>
      )}
      {!capabilities.execution && (
        <p className="notice" role="status">
          The lab runs module code:{" "}
          {capabilities.pending ? "waiting for the runner…" : capabilities.executionUnavailable}
        </p>
      )}
      {running && (
        <div className="lab-running" role="status">
          <VscodeProgressRing /> Measuring {fields.strategies.length} strategies… (seconds to
          minutes, by module and instances)
        </div>
      )}
      {lab?.error && (
        <div className="error-banner" role="alert">
          The lab failed: {displayMultiline(lab.error)}
        </div>
      )}
      {report && (
        <div className="lab-report" data-report-file={displayText(report.file)}>
          <p className="muted">
            {report.machine.cpus} cores ({displayText(report.machine.cpuModel)}),{" "}
            {displayText(report.machine.kernel)}, Node {report.machine.node}; userfaultfd:{" "}
            {report.userfaultfd.available
              ? report.userfaultfd.mode
              : `unavailable: ${displayText(report.userfaultfd.reason)}`}
          </p>
          <div className="run-actions-row" role="group" aria-label="Export the lab">
            <VscodeButton
              secondary
              data-action="exportLabJson"
              onClick={() => {
                post({ type: "exportLab", format: "json" });
                setShown("json");
              }}
            >
              Export JSON
            </VscodeButton>
            <VscodeButton
              secondary
              data-action="exportLabCsv"
              onClick={() => {
                post({ type: "exportLab", format: "csv" });
                setShown("csv");
              }}
            >
              Export CSV
            </VscodeButton>
            {shown && <span className="muted">Asked to save the {shown.toUpperCase()}.</span>}
          </div>
          <LabCharts report={report} />
          <LabTables report={report} />
        </div>
      )}
    </section>
  );
}

function LabTextField(props: {
  field: "workload" | "instances" | "threads";
  label: string;
  value: string;
  set(value: string): void;
  wide?: boolean;
  placeholder?: string;
}): ReactElement {
  const id = `lab-${props.field}`;
  return (
    <div className={props.wide ? "field wide" : "field"}>
      <VscodeLabel htmlFor={id}>{props.label}</VscodeLabel>
      <VscodeTextfield
        id={id}
        data-field={props.field}
        {...(props.placeholder ? { placeholder: props.placeholder } : {})}
        value={props.value}
        onInput={(event) => props.set((event.target as HTMLInputElement).value)}
      />
    </div>
  );
}
