// The Slot pool tab: every slot of the runner's pool with its state and affinity, the
// actions that show an affine reuse and a remap, and the reset strategy with the last
// resets measured side by side.

import type { ReactElement } from "react";
import "../styles/slot-pool.css";
import "../styles/stepper.css";
import { formatNs } from "./stepper/format";
import { lastInstantiation, nextPick } from "./stepper/pool-facts";
import { ResetComparison } from "./stepper/ResetComparison";
import { ResetSettings } from "./stepper/ResetSettings";
import { RunButton } from "./stepper/RunButton";
import { runGate } from "./stepper/run-gate";
import { SlotTable } from "./stepper/SlotTable";
import type { ViewProps } from "./view-props";
import type { StepRecord } from "../../../common/run-types";

export function SlotPoolView({ data, capabilities, settings, run }: ViewProps): ReactElement {
  const gate = runGate(capabilities, run);
  const disabled = gate.blocked !== null;
  const reset = run?.reset ?? {
    strategy: settings.resetStrategy,
    keepResidentBytes: settings.keepResidentBytes,
  };
  const latest = run ? lastInstantiation(run.steps) : null;

  return (
    <section className="slot-pool" aria-label="Slot pool">
      <div className="run-actions-row" role="group" aria-label="Pool actions">
        <RunButton action="instantiate" disabled={disabled}>
          Instantiate again
        </RunButton>
        <RunButton action="instantiateOther" secondary disabled={disabled}>
          Instantiate another module
        </RunButton>
      </div>
      {gate.blocked && (
        <p className={gate.running ? "run-status" : "notice"} role="status" data-field="blocked">
          {gate.blocked}
        </p>
      )}
      {run?.error && (
        <div className="error-banner" role="alert" data-field="run-error">
          {run.error}
        </div>
      )}
      <h2>Slots</h2>
      {run && run.slots.length > 0 ? (
        <SlotTable run={run} fileName={data.fileName} />
      ) : (
        <p className="muted" data-field="no-slots">
          The pool is shown once the runner has run an action (it starts on demand).
        </p>
      )}
      <h2>How a slot is picked</h2>
      {latest && (
        <LastInstantiation instance={latest.instance} acquire={latest.acquire} map={latest.map} />
      )}
      <p>
        Wasmtime's pooling allocator gives an instantiation, in this order: the most recently freed{" "}
        <em>warm</em> slot that last held this module's memory (an <em>affine</em> reuse: its image
        is still mapped, so nothing is mapped again); otherwise, while fewer than{" "}
        <code>max_unused_warm_slots</code> slots are warm, a <em>cold</em> slot; otherwise the least
        recently used warm slot, whose image belongs to another module and is <em>remapped</em>{" "}
        (unmap the old image, map this one).
      </p>
      <p>
        So after “Instantiate another module”, with a pool this small ({run?.slots.length ?? "?"}{" "}
        slot{run?.slots.length === 1 ? "" : "s"}) or <code>max_unused_warm_slots</code> = 0, the
        other module takes this module's warm slot, and the next instantiation of this module must
        remap.
      </p>
      {run && run.slots.length > 0 && (
        <p data-field="next-pick" aria-live="polite">
          {nextPick(run)}
        </p>
      )}
      <h2>Reset</h2>
      <ResetSettings
        key={`${reset.strategy}:${reset.keepResidentBytes}`}
        current={reset}
        disabled={!capabilities.execution}
        hostPageSize={capabilities.hostPageSize}
      />
      <ResetComparison steps={run?.steps ?? []} />
    </section>
  );
}

function LastInstantiation({
  instance,
  acquire,
  map,
}: {
  instance: number;
  acquire: StepRecord | null;
  map: StepRecord | null;
}): ReactElement {
  const mapped = map
    ? map.detail?.alreadyMapped === true
      ? "nothing mapped (the image was still there)"
      : `${map.syscalls?.mmap ?? "uncounted"} mmap in ${formatNs(map.ns)}`
    : "not mapped yet";
  const retired = typeof acquire?.detail?.retired === "string" ? acquire.detail.retired : null;
  return (
    <p data-field="last-instantiation" aria-live="polite">
      Last instantiation of this module (instance {instance}): slot {acquire?.slot ?? "?"},{" "}
      <strong data-field="last-pick">{acquire?.pick ?? "unknown"}</strong> pick; {mapped}.
      {retired && ` The slot's old memory was retired: ${retired}.`}
    </p>
  );
}
