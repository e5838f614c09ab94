// The steps as a timeline grouped by instance. One step is current (aria-current="step"
// and the only one in the tab order); arrow keys, Home and End move between steps.

import { useEffect, useRef, type KeyboardEvent, type ReactElement } from "react";
import { formatNs } from "./format";
import { stepTitle, type StepGroup } from "./step-groups";
import type { StepRecord } from "../../../../common/run-types";

export interface TimelineProps {
  steps: readonly StepRecord[];
  groups: readonly StepGroup[];
  current: number;
  onSelect(index: number): void;
}

const MOVES: Record<string, (current: number, last: number) => number> = {
  ArrowDown: (current, last) => Math.min(current + 1, last),
  ArrowRight: (current, last) => Math.min(current + 1, last),
  ArrowUp: (current) => Math.max(current - 1, 0),
  ArrowLeft: (current) => Math.max(current - 1, 0),
  Home: () => 0,
  End: (_current, last) => last,
};

export function Timeline({ steps, groups, current, onSelect }: TimelineProps): ReactElement {
  const list = useRef<HTMLOListElement>(null);
  const moved = useRef(false);

  // Keyboard moves carry the focus along; clicks and the Next/Back buttons do not steal it.
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    list.current?.querySelector<HTMLButtonElement>(`[data-step-index="${current}"]`)?.focus();
  }, [current]);

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>): void => {
    const move = MOVES[event.key];
    if (!move) return;
    event.preventDefault();
    moved.current = true;
    onSelect(move(current, steps.length - 1));
  };

  return (
    <ol className="timeline" ref={list} onKeyDown={onKeyDown} aria-label="Steps">
      {groups.map((group) => (
        <li key={group.key} className={group.other ? "timeline-group other" : "timeline-group"}>
          <span className="timeline-group-title" id={`step-group-${group.key}`} title={group.title}>
            {group.title}
          </span>
          <ol aria-labelledby={`step-group-${group.key}`}>
            {group.steps.map((index) => {
              const step = steps[index]!;
              const selected = index === current;
              return (
                <li key={index}>
                  <button
                    type="button"
                    className={step.error ? "timeline-step failed" : "timeline-step"}
                    data-step-index={index}
                    data-step={step.step}
                    aria-current={selected ? "step" : undefined}
                    tabIndex={selected ? 0 : -1}
                    onClick={() => onSelect(index)}
                  >
                    <span className="timeline-step-number">{index + 1}</span>
                    <span className="timeline-step-title" title={stepTitle(step)}>
                      {stepTitle(step)}
                    </span>
                    <span className="timeline-step-time">{formatNs(step.ns)}</span>
                    {step.error && <span className="timeline-step-error">failed</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </li>
      ))}
    </ol>
  );
}
