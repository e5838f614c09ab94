// The stepper's timeline: steps in the order they ran, grouped by instance (the module's
// plan and image steps form their own group). Consecutive steps of one instance share a
// group; a group is never merged with an earlier one, so the timeline stays in order.

import { OTHER_MODULE_MARK, type StepRecord } from "../../../../common/run-types";
import { displayText } from "../../../../common/display-text";

export interface StepGroup {
  key: string;
  title: string;
  instance: number | null;
  /** Steps of the controller's other module (the remap demonstration). */
  other: boolean;
  /** Indices into the steps array. */
  steps: number[];
}

export function isOtherModuleStep(step: StepRecord): boolean {
  return step.export === OTHER_MODULE_MARK;
}

export function groupSteps(steps: readonly StepRecord[]): StepGroup[] {
  const groups: StepGroup[] = [];
  steps.forEach((step, index) => {
    const last = groups.at(-1);
    const other = isOtherModuleStep(step);
    if (last && last.instance === step.instance && last.other === other) {
      last.steps.push(index);
      return;
    }
    groups.push({
      key: `${index}`,
      title: groupTitle(step.instance, other),
      instance: step.instance,
      other,
      steps: [index],
    });
  });
  return groups;
}

function groupTitle(instance: number | null, other: boolean): string {
  if (instance === null) return "Module: plan and image";
  return other ? `Instance ${instance} of the other module` : `Instance ${instance}`;
}

/** A one-line name of a step: what it did, where, and how the slot was picked. */
export function stepTitle(step: StepRecord): string {
  const other = isOtherModuleStep(step);
  switch (step.step) {
    case "plan":
      return "Plan the image";
    case "image":
      return "Build the image";
    case "compile":
      return "Compile (Wasmtime)";
    case "acquire":
      return `Acquire slot ${step.slot ?? "?"}${step.pick ? ` (${step.pick})` : ""}`;
    case "map":
      return `Map the image into slot ${step.slot ?? "?"}`;
    case "instantiate":
      // Wasmtime picks its slot inside instantiation: the pick is shown here.
      return step.pick ? `Instantiate in slot ${step.slot ?? "?"} (${step.pick})` : "Instantiate";
    case "initialize":
      return "Initialize (_initialize)";
    case "start":
      return "Start (_start)";
    case "invoke":
      return `Invoke ${other ? "" : displayText(step.export ?? "")}`.trim();
    case "reset": {
      const strategy =
        typeof step.detail?.strategy === "string" ? ` (${step.detail.strategy})` : "";
      return `Reset slot ${step.slot ?? "?"}${strategy}`;
    }
    default:
      return step.step;
  }
}

/** WASI output the runner captured during a step. The protocol's StepRecord does not
 *  declare it, but the runner's StepRecord carries it and the host forwards steps whole. */
export function stepOutput(step: StepRecord): { stdout: string; stderr: string } | null {
  const output = (step as { output?: unknown }).output;
  if (typeof output !== "object" || output === null) return null;
  const { stdout, stderr } = output as Record<string, unknown>;
  if (typeof stdout !== "string" || typeof stderr !== "string") return null;
  return stdout || stderr ? { stdout, stderr } : null;
}
