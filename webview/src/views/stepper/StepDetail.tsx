// Everything the runner measured for one step: time, system calls, how the slot was
// picked, the step's own facts, its result or error, captured WASI output, and for each
// memory the page states after the step (counts and the page map).

import type { ReactElement } from "react";
import { exactBytes, grouped } from "../../../../common/format";
import { formatNs } from "./format";
import { MemoryAfterStep } from "./MemoryAfterStep";
import { stepOutput, stepTitle } from "./step-groups";
import type { StepRecord, SyscallCounts } from "../../../../common/run-types";
import type { MemoryRegion } from "../../../../common/memory-regions";
import { displayMultiline } from "../../../../common/display-text";

export interface StepDetailProps {
  step: StepRecord;
  hostPageSize: number;
  index: number;
  selectedPage: number | null;
  onSelectPage(page: number): void;
  /** Where a memory's static data, stack and heap lie (none for another module's step). */
  regionsOf(memory: number): readonly MemoryRegion[];
}

const SYSCALLS = ["mmap", "mprotect", "madvise", "ioctl", "copies"] as const;

const PICKS: Record<string, string> = {
  affine: "affine: this module's warm slot, its image still mapped",
  cold: "cold: a slot never used before",
  warm: "warm: the least recently used warm slot of another module (its image must go)",
};

/** Labels of the detail keys the runner writes; others are shown by their key. */
const DETAIL_LABELS: Record<string, string> = {
  strategy: "Reset strategy",
  bytesReset: "Bytes reset",
  bytesResident: "Bytes kept resident",
  pagesRestored: "Pages restored (copied back)",
  fellBack: "Fell back",
  retired: "Slot's memory retired",
  alreadyMapped: "Image already mapped",
  image: "Has an image",
};

function detailValue(key: string, value: string | number | boolean | null): string {
  if (value === null) return key === "fellBack" || key === "retired" ? "no" : "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  // A retirement is said with its reason ("yes: the reset failed: …").
  if (key === "retired") return `yes: ${String(value)}`;
  if (typeof value === "number") return /bytes/i.test(key) ? exactBytes(value) : grouped(value);
  return value;
}

export function StepDetail({
  step,
  hostPageSize,
  index,
  selectedPage,
  onSelectPage,
  regionsOf,
}: StepDetailProps): ReactElement {
  const title = stepTitle(step);
  const output = stepOutput(step);
  return (
    <section className="step-detail" aria-labelledby="step-detail-title">
      <h3 id="step-detail-title">
        Step {index + 1}: {title}
      </h3>
      <dl className="facts">
        <dt>Time</dt>
        <dd data-field="ns" data-value={step.ns} title={`${grouped(step.ns)} ns`}>
          {formatNs(step.ns)}
        </dd>
        {step.instance !== null && (
          <>
            <dt>Instance</dt>
            <dd data-field="instance">{step.instance}</dd>
          </>
        )}
        {step.slot !== null && (
          <>
            <dt>Slot</dt>
            <dd data-field="slot">{step.slot}</dd>
          </>
        )}
        {step.pick && (
          <>
            <dt>Slot pick</dt>
            <dd data-field="pick" data-value={step.pick}>
              {PICKS[step.pick] ?? step.pick}
            </dd>
          </>
        )}
        {Object.entries(step.detail ?? {}).map(([key, value]) => (
          <DetailFact key={key} name={key} value={value} />
        ))}
      </dl>
      {step.syscalls === null ? (
        <p data-field="syscalls-unknown">
          System calls: not counted
          {typeof step.detail?.syscalls === "string" ? ` (${step.detail.syscalls})` : ""}.
        </p>
      ) : (
        <SyscallTable counts={step.syscalls} />
      )}
      {step.error && (
        <p className="error-banner" data-field="error">
          <strong>Error:</strong> {displayMultiline(step.error)}
        </p>
      )}
      {typeof step.detail?.exitStatus === "number" ? (
        <p data-field="exit">
          <strong>Exited</strong> with code {step.detail.exitStatus} (proc_exit): the instance runs
          no more code.
        </p>
      ) : (
        step.result && (
          <p data-field="result">
            <strong>Result:</strong>{" "}
            {step.result.length === 0
              ? "(no values)"
              : step.result.map((value) => `${value.type} ${String(value.value)}`).join(", ")}
          </p>
        )
      )}
      {output && (
        <div className="step-output">
          {output.stdout && <Output name="stdout" text={output.stdout} />}
          {output.stderr && <Output name="stderr" text={output.stderr} />}
        </div>
      )}
      {step.memories.length === 0 && (
        <p className="muted">
          {step.instance === null
            ? "A module step: no instance memory exists yet."
            : "No memory to look at (the slot was retired, or the module has no memory this engine can observe)."}
        </p>
      )}
      {step.memories.map((memory) => (
        <MemoryAfterStep
          key={`${memory.memory}-${memory.slot}`}
          memory={memory}
          hostPageSize={hostPageSize}
          stepIndex={index}
          stepTitle={title}
          selectedPage={selectedPage}
          onSelectPage={onSelectPage}
          regions={regionsOf(memory.memory)}
        />
      ))}
    </section>
  );
}

function DetailFact({
  name,
  value,
}: {
  name: string;
  value: string | number | boolean | null;
}): ReactElement {
  return (
    <>
      <dt>{DETAIL_LABELS[name] ?? name}</dt>
      <dd data-detail={name} data-value={value === null ? "null" : String(value)}>
        {typeof value === "string"
          ? displayMultiline(detailValue(name, value))
          : detailValue(name, value)}
      </dd>
    </>
  );
}

function Output({ name, text }: { name: string; text: string }): ReactElement {
  return (
    <figure className="step-output-stream">
      <figcaption>Captured {name}</figcaption>
      <pre className="mono" data-output={name} tabIndex={0}>
        {displayMultiline(text)}
      </pre>
    </figure>
  );
}

function SyscallTable({ counts }: { counts: SyscallCounts }): ReactElement {
  return (
    <table className="syscalls">
      <caption>System calls of this step</caption>
      <thead>
        <tr>
          {SYSCALLS.map((name) => (
            <th key={name} scope="col">
              {name === "copies" ? "page copies" : name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {SYSCALLS.map((name) => (
            <td key={name} className="number" data-syscall={name}>
              {counts[name] ?? "not seen"}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
