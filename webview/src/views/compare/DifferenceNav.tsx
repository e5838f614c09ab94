// Previous / Next difference (keys p / n anywhere in the view but text fields) and the
// selected difference in words, announced to screen readers when it changes.

import { VscodeButton } from "@vscode-elements/react-elements";
import { useEffect, type ReactElement } from "react";
import type { Difference } from "../../../../common/layout-diff";
import { addressRange, DIFFERENCE_KIND_LABELS } from "../../../../common/layout-diff-text";
import { grouped, plural } from "../../../../common/format";
import { displayText } from "../../../../common/display-text";

export interface DifferenceNavProps {
  count: number;
  selected: number | null;
  /** The selected difference, rebuilt from the packed diff. */
  current: Difference | null;
  onSelect(difference: number): void;
}

/** The difference Next (+1) or Previous (−1) goes to; null at the ends. */
export function stepDifference(
  count: number,
  selected: number | null,
  step: 1 | -1,
): number | null {
  if (count === 0) return null;
  if (selected === null) return step > 0 ? 0 : count - 1;
  const next = selected + step;
  return next >= 0 && next < count ? next : null;
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT", "VSCODE-TEXTFIELD", "VSCODE-TEXTAREA"].includes(
      target.tagName,
    ) ||
    target.tagName.startsWith("VSCODE-SINGLE-SELECT")
  );
}

export function DifferenceNav({
  count,
  selected,
  current,
  onSelect,
}: DifferenceNavProps): ReactElement {
  const previous = stepDifference(count, selected, -1);
  const next = stepDifference(count, selected, 1);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typingIn(event.target)) return;
      const key = event.key.toLowerCase();
      const target = key === "n" ? next : key === "p" ? previous : undefined;
      if (target === undefined) return;
      event.preventDefault();
      if (target !== null) onSelect(target);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [next, previous, onSelect]);

  return (
    <div className="compare-nav" role="group" aria-label="Difference navigation">
      <VscodeButton
        secondary
        disabled={previous === null}
        aria-keyshortcuts="p"
        onClick={() => previous !== null && onSelect(previous)}
      >
        Previous difference (p)
      </VscodeButton>
      <VscodeButton
        disabled={next === null}
        aria-keyshortcuts="n"
        onClick={() => next !== null && onSelect(next)}
      >
        Next difference (n)
      </VscodeButton>
      <p
        className="compare-nav-status"
        aria-live="polite"
        aria-atomic="true"
        data-index={selected ?? ""}
        data-kind={current?.kind ?? ""}
        data-memory={current?.memory ?? ""}
        data-start={current?.start.toString() ?? ""}
        data-end={current?.end.toString() ?? ""}
      >
        {count === 0
          ? "The two memory layouts do not differ."
          : current === null
            ? `${plural(count, "difference")}: press Next (n) to go to the first.`
            : `Difference ${grouped(selected! + 1)} of ${grouped(count)} (${DIFFERENCE_KIND_LABELS[current.kind]}, ${addressRange(current.start, current.end)}): ${displayText(current.description)}`}
      </p>
    </div>
  );
}
