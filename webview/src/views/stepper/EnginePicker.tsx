// Which engine runs the module: the V8 emulation of Wasmtime's slots, real Wasmtime, both
// side by side, or, for a module without an image, the module and its imaged variant
// side by side ("what CoW would have saved"). Wasmtime is offered only where its library
// was found; otherwise the picker says why and how to get it. Without execution
// (Restricted Mode, no backend) there is nothing to pick.

import { VscodeRadio, VscodeRadioGroup } from "@vscode-elements/react-elements";
import type { ReactElement } from "react";
import type { Capabilities } from "../../../../common/webview-protocol";
import { choiceOf, offeredChoices, type EngineChoice } from "./engine-choice";
import type { ReportJson } from "../../../../common/report-json";
import type { EngineKind } from "../../../../common/run-types";
import type { ComponentView } from "../../../../common/report-types";

export interface EnginePickerProps {
  capabilities: Capabilities;
  report: ReportJson;
  component: ComponentView | null;
  engines: EngineKind[];
  disabled: boolean;
  choose(choice: EngineChoice): void;
}

export function EnginePicker({
  capabilities,
  report,
  component,
  engines,
  disabled,
  choose,
}: EnginePickerProps): ReactElement | null {
  if (!capabilities.execution) return null;
  const wasmtime = capabilities.wasmtime;
  if (component && wasmtime.available) {
    return (
      <p className="muted engine-picker" data-field="component-engine">
        Engine: Wasmtime {wasmtime.version}. A component runs in Wasmtime only (V8 has no component
        model), with WASI 0.2 and no network.
      </p>
    );
  }
  const offered = offeredChoices(capabilities, report, component);
  // Where the second engine would come from, when it is not there.
  const missing = !wasmtime.available && (
    <p className="muted engine-picker" data-field="wasmtime-missing">
      {offered.length === 1 ? "Engine: V8 emulation. " : ""}Real Wasmtime is not available:{" "}
      {wasmtime.reason}.
    </p>
  );
  if (offered.length <= 1) return missing || null;
  const chosen = choiceOf(engines);
  const labels: Record<EngineChoice, string> = {
    v8: "V8 emulation",
    wasmtime: wasmtime.available ? `Wasmtime ${wasmtime.version}` : "Wasmtime",
    both: "Side by side",
    "what-if": "What CoW would have saved",
  };
  return (
    <div className="engine-picker" data-field="engine-picker">
      <VscodeRadioGroup
        aria-label="Engine"
        onChange={(event) => choose((event.target as HTMLInputElement).value as EngineChoice)}
      >
        {offered.map((choice) => (
          <VscodeRadio
            key={choice}
            name="engine"
            value={choice}
            label={labels[choice]}
            data-engine={choice}
            checked={chosen === choice}
            disabled={disabled}
          />
        ))}
      </VscodeRadioGroup>
      {missing}
    </div>
  );
}
