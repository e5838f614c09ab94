// The stepper's actions: instantiate, invoke an export with arguments, release (reset),
// instantiate another module, run to end. Disabled while an action runs, and with the
// host's reason when execution is unavailable.

import {
  VscodeButton,
  VscodeLabel,
  VscodeSingleSelect,
  VscodeOption,
  VscodeTextfield,
} from "@vscode-elements/react-elements";
import { type FormEvent, type ReactElement } from "react";
import { usePersistentState } from "../../vscode-api";
import type { ReportJson } from "../../../../common/report-json";
import type { ComponentView } from "../../../../common/report-types";
import { RunButton } from "./RunButton";
import { parseArguments, postRun, type RunGate } from "./run-gate";
import { displayText } from "../../../../common/display-text";

export interface RunActionsProps {
  report: ReportJson;
  /** The component the report's module is one of: its own exports are what runs. */
  component: ComponentView | null;
  /** Whether every engine the actions run in has a live instance. */
  live: boolean;
  gate: RunGate;
}

export function RunActions({ report, component, live, gate }: RunActionsProps): ReactElement {
  const exported = (component ?? report).exports.filter((e) => e.kind === "func");
  const functions = exported.map((e) => e.name);
  // Kept across tab switches and reloads, like the rest of the view state.
  const [chosen, setChosen] = usePersistentState<string | null>("stepper.export", null);
  const [argsText, setArgsText] = usePersistentState("stepper.args", "");
  const exportName =
    chosen !== null && functions.includes(chosen) ? chosen : (functions[0] ?? null);
  const disabled = gate.blocked !== null;
  const needsInstance = live ? null : "Instantiate first: there is no live instance.";

  const invoke = (event?: FormEvent): void => {
    event?.preventDefault();
    if (disabled || exportName === null || !live) return;
    // A component's arguments are one JSON array, passed whole (the runner parses it by
    // the function's types).
    const args = component ? [argsText] : parseArguments(argsText);
    postRun({ action: "invoke", export: exportName, args }, gate);
  };

  return (
    <div className="run-actions">
      <div className="run-actions-row" role="group" aria-label="Instance actions">
        <RunButton action="instantiate" gate={gate}>
          Instantiate
        </RunButton>
        <VscodeButton
          secondary
          disabled={disabled || !live}
          data-action="release"
          onClick={() => live && postRun({ action: "release" }, gate)}
        >
          Release (reset)
        </VscodeButton>
        {!component && (
          <RunButton action="instantiateOther" secondary gate={gate}>
            Instantiate another module
          </RunButton>
        )}
        <RunButton action="runToEnd" secondary gate={gate}>
          Run to end
        </RunButton>
      </div>
      {/* Enter in the arguments submits: vscode-textfield calls form.requestSubmit(). */}
      <form className="invoke-form" aria-label="Invoke an export" onSubmit={invoke}>
        {functions.length === 0 ? (
          <p className="muted">
            This {component ? "component" : "module"} exports no functions to invoke.
          </p>
        ) : (
          <>
            <div className="field">
              <VscodeLabel htmlFor="stepper-export">Export</VscodeLabel>
              <VscodeSingleSelect
                id="stepper-export"
                data-field="export"
                value={exportName ?? ""}
                disabled={disabled}
                onChange={(event) => setChosen((event.target as HTMLInputElement).value)}
              >
                {exported.map((e) => (
                  // The value is the exact name (sent to the host); the label is for reading,
                  // with the function's type where the report has it.
                  <VscodeOption key={e.name} value={e.name}>
                    {displayText(
                      "signature" in e && e.signature ? `${e.name} ${e.signature}` : e.name,
                    )}
                  </VscodeOption>
                ))}
              </VscodeSingleSelect>
            </div>
            <div className="field">
              <VscodeLabel htmlFor="stepper-args">
                {component ? "Arguments, one JSON array" : "Arguments, comma-separated"}
              </VscodeLabel>
              <VscodeTextfield
                id="stepper-args"
                placeholder={component ? 'e.g. ["world", 3, {"field": true}]' : "e.g. 1, 2.5, -3"}
                data-field="args"
                value={argsText}
                disabled={disabled}
                onInput={(event) => setArgsText((event.target as HTMLInputElement).value)}
              />
            </div>
            <VscodeButton
              disabled={disabled || !live}
              data-action="invoke"
              onClick={() => invoke()}
            >
              Invoke
            </VscodeButton>
          </>
        )}
      </form>
      {gate.blocked ? (
        <p className={gate.running ? "run-status" : "notice"} role="status" data-field="blocked">
          {gate.blocked}
        </p>
      ) : (
        needsInstance &&
        functions.length > 0 && (
          <p className="muted" data-field="needs-instance">
            {needsInstance}
          </p>
        )
      )}
    </div>
  );
}
