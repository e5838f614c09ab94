// One button that posts a run action, disabled (and inert) while runs are blocked.

import { VscodeButton } from "@vscode-elements/react-elements";
import type { ReactElement, ReactNode } from "react";
import type { RunAction } from "../../../../common/webview-protocol";
import { postRun } from "./run-gate";

export interface RunButtonProps {
  action: Exclude<RunAction, { action: "invoke" }>["action"];
  disabled: boolean;
  secondary?: boolean;
  children: ReactNode;
}

export function RunButton({ action, disabled, secondary, children }: RunButtonProps): ReactElement {
  return (
    <VscodeButton
      secondary={secondary ?? false}
      disabled={disabled}
      data-action={action}
      onClick={() => !disabled && postRun({ action })}
    >
      {children}
    </VscodeButton>
  );
}
