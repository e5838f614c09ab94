// Which engine runs the module: the V8 emulation of Wasmtime's slots, real Wasmtime, or
// both side by side. Wasmtime is offered only where its library was found; otherwise the
// picker says why and how to get it. Without execution (Restricted Mode, no backend) there
// is nothing to pick.

import { VscodeRadio, VscodeRadioGroup } from "@vscode-elements/react-elements";
import type { ReactElement } from "react";
import type { Capabilities } from "../../../../common/webview-protocol";
import { choiceOf, type EngineChoice } from "./engine-choice";
import type { EngineKind } from "../../../../common/run-types";

export interface EnginePickerProps {
  capabilities: Capabilities;
  engines: EngineKind[];
  disabled: boolean;
  choose(choice: EngineChoice): void;
}

export function EnginePicker({
  capabilities,
  engines,
  disabled,
  choose,
}: EnginePickerProps): ReactElement | null {
  if (!capabilities.execution) return null;
  const wasmtime = capabilities.wasmtime;
  if (!wasmtime.available) {
    // Only V8 can run: no choice to offer, but where the second engine would come from.
    return (
      <p className="muted engine-picker" data-field="wasmtime-missing">
        Engine: V8 emulation. Real Wasmtime is not available: {wasmtime.reason}.
      </p>
    );
  }
  const chosen = choiceOf(engines);
  const options: { choice: EngineChoice; label: string }[] = [
    { choice: "v8", label: "V8 emulation" },
    { choice: "wasmtime", label: `Wasmtime ${wasmtime.version}` },
    { choice: "both", label: "Side by side" },
  ];
  return (
    <div className="engine-picker" data-field="engine-picker">
      <VscodeRadioGroup
        aria-label="Engine"
        onChange={(event) => choose((event.target as HTMLInputElement).value as EngineChoice)}
      >
        {options.map(({ choice, label }) => (
          <VscodeRadio
            key={choice}
            name="engine"
            value={choice}
            label={label}
            data-engine={choice}
            checked={chosen === choice}
            disabled={disabled}
          />
        ))}
      </VscodeRadioGroup>
    </div>
  );
}
