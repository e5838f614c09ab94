// The reset strategy and keep-resident bytes of the next release: changed here, applied
// by the host (setReset), and measured by the next reset step.

import {
  VscodeButton,
  VscodeLabel,
  VscodeOption,
  VscodeSingleSelect,
  VscodeTextfield,
} from "@vscode-elements/react-elements";
import { useState, type ReactElement } from "react";
import type { ResetStrategy } from "../../../../common/run-types";
import type { RunView } from "../../../../common/webview-protocol";
import { post } from "../../vscode-api";
import { exactBytes } from "../../../../common/format";

const STRATEGIES: { value: ResetStrategy; label: string; explanation: string }[] = [
  {
    value: "madvise",
    label: "madvise",
    explanation:
      "madvise(MADV_DONTNEED) over the memory: every written page is dropped and the next instance faults pages in again. Keep-resident bytes do not apply.",
  },
  {
    value: "keep-resident",
    label: "keep-resident",
    explanation:
      "The first keep-resident bytes are restored in place (zeroed or copied back from the image) and stay resident; the rest is dropped with madvise (Wasmtime's linear_memory_keep_resident).",
  },
  {
    value: "pagemap",
    label: "pagemap",
    explanation:
      "PAGEMAP_SCAN finds the pages written since the last reset; within keep-resident bytes only those are restored, the rest is dropped with madvise (Wasmtime's pagemap_scan).",
  },
];

function keepResidentError(text: string, hostPageSize: number | null): string | null {
  if (!/^\d+$/.test(text.trim())) return "Enter a whole number of bytes.";
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) return "That number is too large.";
  if (hostPageSize !== null && value % hostPageSize !== 0)
    return `Use a multiple of ${hostPageSize} (whole host pages).`;
  return null;
}

export interface ResetSettingsProps {
  current: RunView["reset"];
  disabled: boolean;
  /** From the backend's probe; null without one (execution is off then anyway). */
  hostPageSize: number | null;
}

export function ResetSettings({
  current,
  disabled,
  hostPageSize,
}: ResetSettingsProps): ReactElement {
  const [strategy, setStrategy] = useState<ResetStrategy>(current.strategy);
  const [keepText, setKeepText] = useState(String(current.keepResidentBytes));
  const error = strategy === "madvise" ? null : keepResidentError(keepText, hostPageSize);
  const keepBytes = error === null ? Number(keepText.trim()) : null;
  const changed =
    strategy !== current.strategy ||
    (strategy !== "madvise" && keepBytes !== current.keepResidentBytes);
  const explanation = STRATEGIES.find((s) => s.value === strategy)!.explanation;

  const apply = (): void => {
    if (disabled || error !== null) return;
    post({
      type: "setReset",
      strategy,
      keepResidentBytes: strategy === "madvise" ? current.keepResidentBytes : keepBytes!,
    });
  };

  return (
    <form
      className="reset-settings"
      aria-label="Reset of the next release"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <p data-field="reset-current">
        Next release resets with <strong>{current.strategy}</strong>
        {current.strategy === "madvise"
          ? "."
          : `, keeping ${exactBytes(current.keepResidentBytes)} resident.`}
      </p>
      <div className="reset-settings-row">
        <div className="field">
          <VscodeLabel htmlFor="reset-strategy">Reset strategy</VscodeLabel>
          <VscodeSingleSelect
            id="reset-strategy"
            data-field="strategy"
            value={strategy}
            disabled={disabled}
            onChange={(event) =>
              setStrategy((event.target as HTMLInputElement).value as ResetStrategy)
            }
          >
            {STRATEGIES.map((s) => (
              <VscodeOption key={s.value} value={s.value}>
                {s.label}
              </VscodeOption>
            ))}
          </VscodeSingleSelect>
        </div>
        <div className="field">
          <VscodeLabel htmlFor="reset-keep-resident">Keep-resident bytes</VscodeLabel>
          <VscodeTextfield
            id="reset-keep-resident"
            data-field="keep-resident"
            inputMode="numeric"
            value={keepText}
            disabled={disabled || strategy === "madvise"}
            invalid={error !== null}
            onInput={(event) => setKeepText((event.target as HTMLInputElement).value)}
          />
        </div>
        <VscodeButton
          data-action="setReset"
          disabled={disabled || error !== null || !changed}
          onClick={apply}
        >
          Apply
        </VscodeButton>
      </div>
      <p className="muted">{explanation}</p>
      {error && (
        <p className="field-error" role="alert" data-field="keep-resident-error">
          {error}
        </p>
      )}
    </form>
  );
}
