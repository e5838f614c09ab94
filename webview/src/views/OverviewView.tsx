// Module facts and, per memory, the image plan: static or not, the reason, the advice,
// and the plain integers (bytes and pages) exactly as `wasm-cow inspect --json` has them.
// Every value carries `data-field` with its JSON path, so tests can compare them.

import { VscodeButton } from "@vscode-elements/react-elements";
import { useMemo, type ReactElement } from "react";
import { imageLabel, v8VerdictText, wasmtimeVerdictText } from "../../../common/verdict-text";
import type { ImageJson, MemoryJson, ReportJson } from "../../../common/report-json";
import { post } from "../vscode-api";
import type { ViewProps } from "./view-props";
import { displayText } from "../../../common/display-text";
import { reportRegions } from "../../../common/memory-regions";
import type { RunView } from "../../../common/webview-protocol";
import { MemoryPicture, type DirtiedSource } from "./overview/MemoryPicture";
import { stepTitle } from "./stepper/step-groups";
import "../styles/overview.css";
import { exactBytes, grouped } from "../../../common/format";

export function OverviewView({ data, run }: ViewProps): ReactElement {
  const report = data.report;
  const chosen = data.component?.modules[data.component.chosen] ?? null;
  const active = data.segmentCount - report.passiveSegments;
  // Once per report: a module can have 100,000 segments, and the Overview re-renders on
  // every step of a run.
  const regions = useMemo(
    () => report.memories.map((memory) => reportRegions(report, memory.index)),
    [report],
  );
  return (
    <section aria-label="Overview">
      <h2>
        {data.fileName}
        {chosen && (
          // A component's Overview is one core module's: the heading says which.
          <span data-field="overview-module">
            : {chosen.path}
            {chosen.name ? ` "${displayText(chosen.name)}"` : ""}
          </span>
        )}
      </h2>
      {report.wasmtime.compiles === false && <WasmtimeRefusal report={report} />}
      <dl className="facts">
        <Fact
          label={`Wasmtime ${report.wasmtime.version}`}
          field="wasmtime.compiles"
          value={wasmtimeVerdictText(report.wasmtime)}
        />
        <Fact label="Size (bytes)" field="size" value={report.size} bytes />
        <Fact label="SHA-256" field="sha256" value={report.sha256} mono />
        <Fact label={`V8 ${report.v8.version}`} field="v8.valid" value={v8VerdictText(report.v8)} />
        <Fact
          label="Features"
          field="features"
          value={report.features.map((use) => use.feature).join(", ") || "none beyond Wasm 1.0"}
        />
        <Fact label="Sections" field="sections.length" value={report.sections.length} />
        <Fact label="Imports" field="imports.length" value={report.imports.length} />
        <Fact label="Exports" field="exports.length" value={data.exportCount} />
        <Fact
          label="Functions (defined)"
          field="functions.defined"
          value={report.functions.defined}
        />
        <Fact label="Active data segments" field="activeSegments" value={active} />
        <Fact
          label="Passive data segments"
          field="passiveSegments"
          value={report.passiveSegments}
        />
        <Fact
          label="Initialisation"
          field="plan.initialization"
          value={report.plan.initialization}
        />
        <Fact
          label="Target page size (bytes)"
          field="plan.pageSize"
          value={report.plan.pageSize}
          bytes
        />
        <Fact
          label="Dense limit (bytes)"
          field="plan.denseLimit"
          value={report.plan.denseLimit}
          bytes
        />
      </dl>
      <div className="actions">
        <VscodeButton onClick={() => post({ type: "exportReport", format: "json" })}>
          Export JSON
        </VscodeButton>{" "}
        <VscodeButton secondary onClick={() => post({ type: "exportReport", format: "markdown" })}>
          Export Markdown
        </VscodeButton>{" "}
        <VscodeButton secondary onClick={() => post({ type: "compareWith" })}>
          Compare with…
        </VscodeButton>
      </div>
      {report.memories.map((memory) => {
        const image = report.images[memory.index]!;
        const span =
          image.offset !== null && image.length !== null
            ? { offset: image.offset, length: image.length }
            : null;
        return (
          <MemoryPlan
            key={memory.index}
            memory={memory}
            image={image}
            label={imageLabel(report.wasmtime)}
            picture={
              <MemoryPicture
                memory={memory.index}
                size={Number(memory.minPages) * 2 ** memory.pageSizeLog2}
                image={span}
                layer={data.layers.find((layer) => layer.memory === memory.index) ?? null}
                regions={regions[memory.index] ?? []}
                dirtied={latestStates(run, memory.index)}
              />
            }
          />
        );
      })}
      {report.warnings.map((warning) => (
        <p key={warning} className="notice" role="note">
          {warning}
        </p>
      ))}
    </section>
  );
}

/** Said before anything else: a module Wasmtime refuses gets no image at all. */
function WasmtimeRefusal({ report }: { report: ReportJson }): ReactElement {
  return (
    <div className="notice" role="note" aria-label="Wasmtime verdict">
      <p>
        <strong>Wasmtime {report.wasmtime.version} cannot compile this module.</strong>{" "}
        {displayText(report.wasmtime.reason ?? "")}. The images below are what Wasmtime would map if
        it compiled.
      </p>
      {report.wasmtime.advice.length > 0 && (
        <ul aria-label="How to make Wasmtime compile it">
          {report.wasmtime.advice.map((advice) => (
            <li key={advice}>{displayText(advice)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The page states of the latest step that recorded this memory's. */
function latestStates(run: RunView | null, memory: number): DirtiedSource | null {
  const steps = run?.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const states = steps[i]!.memories.find((m) => m.memory === memory)?.states;
    if (states) {
      return {
        step: `step ${i + 1} (${stepTitle(steps[i]!)})`,
        states,
        hostPageSize: run!.hostPageSize,
      };
    }
  }
  return null;
}

function MemoryPlan({
  memory,
  image,
  label,
  picture,
}: {
  memory: MemoryJson;
  image: ImageJson;
  label: string;
  picture: ReactElement;
}): ReactElement {
  const prefix = `images.${memory.index}`;
  const limits = `${memory.minPages}${memory.maxPages === null ? "+" : `..${memory.maxPages}`} × ${2 ** memory.pageSizeLog2} bytes`;
  return (
    <section aria-label={`Memory ${memory.index}`} className="memory-plan">
      <h2>
        Memory {memory.index}
        {memory.name ? ` "${displayText(memory.name)}"` : ""}:{" "}
        {image.static ? "copy-on-write image" : "no CoW image"}
      </h2>
      {picture}
      <dl className="facts">
        <Fact label="Limits (pages)" field={`memories.${memory.index}.limits`} value={limits} />
        <Fact
          label="Kind"
          field={`memories.${memory.index}.kind`}
          value={[
            memory.memory64 ? "64-bit" : "32-bit",
            memory.shared ? "shared" : null,
            memory.imported
              ? `imported from ${displayText(memory.import!.module)}.${displayText(memory.import!.name)}`
              : "defined",
          ]
            .filter(Boolean)
            .join(", ")}
        />
        <Fact label={label} field={`${prefix}.static`} value={image.static ? "yes" : "no"} />
        {image.reason && (
          <Fact label="Reason" field={`${prefix}.reason`} value={displayText(image.reason)} mono />
        )}
        {image.explanation && (
          <Fact
            label="Why"
            field={`${prefix}.explanation`}
            value={displayText(image.explanation)}
          />
        )}
        <Fact label="Image offset (bytes)" field={`${prefix}.offset`} value={image.offset} bytes />
        <Fact label="Image length (bytes)" field={`${prefix}.length`} value={image.length} bytes />
        <Fact label="Image pages" field={`${prefix}.pages`} value={image.pages} />
        <Fact label="Non-zero pages" field={`${prefix}.nonzeroPages`} value={image.nonzeroPages} />
        <Fact label="Zero pages inside" field={`${prefix}.zeroPages`} value={image.zeroPages} />
        <Fact label="Data bytes" field={`${prefix}.dataBytes`} value={image.dataBytes} bytes />
        <Fact
          label="Active segments"
          field={`${prefix}.activeSegments`}
          value={image.activeSegments}
        />
        <Fact label="SHA-256 of the image" field={`${prefix}.sha256`} value={image.sha256} mono />
      </dl>
      {image.advice.length > 0 && (
        <ul className="advice" aria-label={`Advice for memory ${memory.index}`}>
          {image.advice.map((advice) => (
            <li key={advice}>{displayText(advice)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One fact: numbers shown grouped (byte counts with their human size too, one rule:
 *  common/format.ts), with the exact value as the CLI's JSON has it in `data-value`. */
function Fact({
  label,
  field,
  value,
  mono,
  bytes,
}: {
  label: string;
  field: string;
  value: string | number | bigint | null;
  mono?: boolean;
  /** The value is a byte count. */
  bytes?: boolean;
}): ReactElement {
  const numeric = typeof value === "number" || typeof value === "bigint";
  const shown =
    value === null ? "—" : numeric ? (bytes ? exactBytes(value) : grouped(value)) : value;
  return (
    <>
      <dt>{label}</dt>
      <dd
        data-field={field}
        data-value={value === null ? "—" : String(value)}
        className={[numeric ? "number-left" : "", mono ? "mono" : ""].join(" ").trim() || undefined}
        title={value === null ? "None: this module has nothing here (null in the JSON)" : undefined}
      >
        {shown}
      </dd>
    </>
  );
}
