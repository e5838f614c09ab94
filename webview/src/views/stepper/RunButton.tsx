// One button that posts a run action to the chosen engines, disabled (and inert) while
// runs are blocked.

import { VscodeButton } from "@vscode-elements/react-elements";
import type { ReactElement, ReactNode } from "react";
import type { RunAction } from "../../../../common/webview-protocol";
import { postRun, type RunGate } from "./run-gate";

export interface RunButtonProps {
  action: Exclude<RunAction, { action: "invoke" }>["action"];
  gate: RunGate;
  secondary?: boolean;
  children: ReactNode;
}

export function RunButton({ action, gate, secondary, children }: RunButtonProps): ReactElement {
  return (
    <VscodeButton
      secondary={secondary ?? false}
      disabled={gate.blocked !== null}
      data-action={action}
      onClick={() => postRun({ action }, gate)}
    >
      {children}
    </VscodeButton>
  );
}
