// The Slot pool tab: every slot of the runner's pool with its state and affinity, the
// actions that show an affine reuse and a remap, and the reset strategy with the last
// resets measured side by side.

import type { ReactElement } from "react";
import "../styles/slot-pool.css";
import "../styles/stepper.css";
import { formatNs } from "./stepper/format";
import { exactBytes } from "../../../common/format";
import { lastInstantiation, memoriesOutsidePool, nextPick } from "./stepper/pool-facts";
import { ResetComparison } from "./stepper/ResetComparison";
import { ResetSettings } from "./stepper/ResetSettings";
import { RunButton } from "./stepper/RunButton";
import { runGate } from "./stepper/run-gate";
import { SlotTable } from "./stepper/SlotTable";
import type { ViewProps } from "./view-props";
import type { EngineKind, StepRecord } from "../../../common/run-types";
import type { RunView } from "../../../common/webview-protocol";
import { EnginePicker } from "./stepper/EnginePicker";
import { displayMultiline } from "../../../common/display-text";
import { memoryInitText } from "../../../common/memory-origin-text";

/** What Wasmtime's instantiation left mapped, as /proc/self/maps showed it. */
function wasmtimeMapping(step: StepRecord): string {
  const detail = step.detail ?? {};
  if (detail.imageMapped !== true) return "no image mapped in the slot (seen in /proc/self/maps)";
  return detail.imageRemapped === true
    ? "Wasmtime mapped a different image there (a remap)"
    : "the image is mapped in the slot (seen in /proc/self/maps)";
}

export function SlotPoolView({
  data,
  capabilities,
  settings,
  run,
  runs,
  engines,
  chooseEngine,
}: ViewProps): ReactElement {
  const gate = runGate(capabilities, runs, engines);
  const reset = run?.reset ?? {
    strategy: settings.resetStrategy,
    keepResidentBytes: settings.keepResidentBytes,
  };
  // Side by side: each engine's pool, V8's first.
  const shown = engines.map((engine) => ({ engine, run: runs[engine] ?? null }));

  return (
    <section className="slot-pool" aria-label="Slot pool">
      <EnginePicker
        capabilities={capabilities}
        report={data.report}
        component={data.component}
        engines={engines}
        disabled={gate.running}
        choose={chooseEngine}
      />
      <div className="run-actions-row" role="group" aria-label="Pool actions">
        <RunButton action="instantiate" gate={gate}>
          Instantiate again
        </RunButton>
        {/* A component's slots are taken over by another module only in a real Wasmtime
            pool with other modules in it; "another module" is a core module's remap demo. */}
        {!data.component && (
          <RunButton action="instantiateOther" secondary gate={gate}>
            Instantiate another module
          </RunButton>
        )}
      </div>
      {gate.blocked && (
        <p className={gate.running ? "run-status" : "notice"} role="status" data-field="blocked">
          {gate.blocked}
        </p>
      )}
      {shown.map(({ engine, run: shownRun }) => (
        <EnginePool
          key={engine}
          engine={engine}
          titled={shown.length > 1}
          run={shownRun}
          fileName={data.fileName}
        />
      ))}
      <h2>How a slot is picked</h2>
      <p>
        Wasmtime's pooling allocator gives an instantiation, in this order: the most recently freed{" "}
        <em>warm</em> slot that last held this module's memory (an <em>affine</em> reuse: its image
        is still mapped, so nothing is mapped again); otherwise, while fewer than{" "}
        <code>max_unused_warm_slots</code> slots are warm, a <em>cold</em> slot; otherwise the least
        recently used warm slot, whose image belongs to another module and is <em>remapped</em>{" "}
        (unmap the old image, map this one).
      </p>
      <p>
        So after “Instantiate another module”, with a pool this small
        {run ? ` (${run.slots.length} slot${run.slots.length === 1 ? "" : "s"})` : ""} or{" "}
        <code>max_unused_warm_slots</code> = 0, the other module takes this module's warm slot, and
        the next instantiation of this module must remap.
      </p>
      {shown.map(
        ({ engine, run: shownRun }) =>
          shownRun &&
          shownRun.slots.length > 0 && (
            <p key={engine} data-field="next-pick" data-engine={engine} aria-live="polite">
              {shown.length > 1 && `${ENGINE_NAMES[engine]}: `}
              {nextPick(shownRun)}
            </p>
          ),
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

const ENGINE_NAMES: Record<EngineKind, string> = {
  v8: "V8 emulation",
  wasmtime: "Wasmtime",
  imaged: "V8 emulation, the module with an image",
};

/** One engine's slots and how its last instantiation got one. */
function EnginePool({
  engine,
  titled,
  run,
  fileName,
}: {
  engine: EngineKind;
  titled: boolean;
  run: RunView | null;
  fileName: string;
}): ReactElement {
  const latest = run ? lastInstantiation(run.steps) : null;
  return (
    <div className="engine-pool" data-engine={engine}>
      {run?.error && (
        <div className="error-banner" role="alert" data-field="run-error">
          {titled && `${ENGINE_NAMES[engine]}: `}
          {displayMultiline(run.error)}
        </div>
      )}
      <h2>{titled ? `Slots: ${ENGINE_NAMES[engine]}` : "Slots"}</h2>
      {run && run.slots.length > 0 ? (
        <SlotTable run={run} fileName={fileName} />
      ) : (
        <p className="muted" data-field="no-slots">
          The pool is shown once the runner has run an action (it starts on demand).
        </p>
      )}
      {latest && (
        <LastInstantiation instance={latest.instance} acquire={latest.acquire} map={latest.map} />
      )}
      {run && <OutsidePool run={run} />}
    </div>
  );
}

/** Memories the live instance has outside the pool: the ones made for its imports. */
function OutsidePool({ run }: { run: RunView }): ReactElement | null {
  const memories = memoriesOutsidePool(run);
  if (!memories.length) return null;
  return (
    <div data-field="outside-pool">
      <h3>Outside the pool</h3>
      <p className="muted">
        Wasmtime's pool holds only the memories a module defines; a memory it imports belongs to
        whoever made it (here the runner, from the import's type), so no slot, no image, no reset.
      </p>
      <ul>
        {memories.map((memory) => (
          <li key={memory.memory} data-memory={memory.memory}>
            Memory {memory.memory} of instance {run.liveInstance}, imported:{" "}
            {memoryInitText(memory.origin)}; {exactBytes(memory.rssBytes)} resident,{" "}
            {exactBytes(memory.privateDirtyBytes)} private dirty.
          </li>
        ))}
      </ul>
    </div>
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
    : acquire?.step === "instantiate"
      ? wasmtimeMapping(acquire)
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
