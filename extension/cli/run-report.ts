// The report of `wasm-cow run` (its JSON shape) and its human form: one line per step
// with its time, the syscalls it made and the page states of the instance's memory
// afterwards.

import { displayLines, displayText } from "../../common/display-text";
import { grouped, plural } from "../../common/format";
import { memoryInitText, memoryPlaceText } from "../../common/memory-origin-text";
import { savingsRows, type RunFigures } from "../../common/cow-savings";
import type { EngineInfo, InitMode, ModuleSummary } from "../runner/protocol";
import type { ResetStrategy, StepRecord, UserfaultCounts } from "../../common/run-types";

/** A request that failed before the runner could answer (a time-out, a crash, a bad
 *  invocation): its time is what this process measured until the failure; the system
 *  calls made are unknown, so they are null rather than a made-up zero. */
export type FailedStep = StepRecord & { syscalls: null; error: string };

export type RunStep = StepRecord | FailedStep;

/** What is known of a run before its first instance: everything but the steps. */
export interface RunHeader {
  file: string;
  /** The backend that ran the module (a run needs one: without it the CLI stops). */
  backend: {
    /** Page states and reset bytes count pages of this size. */
    hostPageSize: number;
    pagemapScan: boolean;
    pfnReadable: boolean;
    kernel: string;
  };
  /** The engine that ran the module code, with its version (and Wasmtime's library and
   *  the pooling options given; the others are Wasmtime's defaults). */
  engine: EngineInfo;
  module: ModuleSummary;
  init: InitMode;
  reset: { strategy: ResetStrategy; keepResident: number };
}

/** The last line of `--json-lines`, and of the text report: what the run came to. */
export interface RunSummary {
  steps: number;
  failedSteps: number;
  instances: number;
}

/** `--what-if-cow`: the same steps on the module's imaged variant and the comparison,
 *  or why there is no such variant. */
export type WhatIfCowReport =
  | { refusal: string }
  | {
      /** What the variant changed (extension/analysis/imaged-variant.ts). */
      changes: string[];
      denseLimit: number;
      module: ModuleSummary;
      steps: RunStep[];
      summary: RunSummary;
      savings: { asBuilt: RunFigures; imaged: RunFigures };
    };

/** `--json`: the whole run as one object. */
export interface RunReport extends RunHeader {
  steps: RunStep[];
  summary: RunSummary;
  whatIfCow?: WhatIfCowReport;
}

const STEP_COLUMNS =
  "inst slot pick    step         time µs  mmap madv ioctl  pages: absent  zero clean idirty adirty swap  result";

/** The human form of --what-if-cow's section: the variant's steps, then the comparison. */
export function renderWhatIfCow(report: WhatIfCowReport): string {
  if ("refusal" in report)
    return `\nwhat CoW would have saved: no imaged variant: ${report.refusal}`;
  const lines = [
    "",
    "what CoW would have saved: the same steps on a fresh pool, the module changed so",
  ];
  for (const change of report.changes) lines.push(`  - ${change}`);
  for (const image of report.module.images)
    lines.push(
      `  memory ${image.memory}: image at 0x${image.offset.toString(16)}, ${grouped(image.length)} bytes`,
    );
  lines.push("", STEP_COLUMNS);
  for (const step of report.steps) lines.push(stepLine(step).trimEnd());
  lines.push("", renderRunSummary(report.summary), "");
  const rows = savingsRows(report.savings.asBuilt, report.savings.imaged);
  const width = Math.max(...rows.map((row) => row.label.length));
  const n = report.savings.asBuilt.instances;
  lines.push(
    `${`per instance (median of ${n})`.padEnd(width + 2)}  ${"as built".padStart(12)}  ${"with an image".padStart(14)}`,
  );
  for (const row of rows)
    lines.push(
      `  ${row.label.padEnd(width)}  ${row.asBuilt.padStart(12)}  ${row.imaged.padStart(14)}`,
    );
  return displayLines(lines);
}

/** The lines of the human report before its steps, with the steps' column heads. */
export function renderRunHeader(header: RunHeader): string {
  const lines: string[] = [];
  const backend = header.backend;
  lines.push(
    `${header.file}: ${!header.module.cow ? `ordinary instantiation: ${header.module.cowRefusal}` : header.init === "userfaultfd" ? "userfaultfd: the image copied in page by page as pages are first touched" : `copy-on-write (${header.init})`}`,
  );
  lines.push(`  engine: ${engineLine(header.engine)}`);
  lines.push(
    `  backend: ${backend.kernel}, PAGEMAP_SCAN ${backend.pagemapScan ? "yes" : "no"}, page frames ${backend.pfnReadable ? "readable" : "not readable"}`,
  );
  for (const image of header.module.images) {
    lines.push(
      `  memory ${image.memory}: ${header.engine.kind === "wasmtime" ? "planned image" : "image"} at 0x${image.offset.toString(16)}, ${grouped(image.length)} bytes`,
    );
  }
  lines.push(
    `  reset: ${header.reset.strategy}${header.reset.strategy === "madvise" ? "" : ` (keep resident ${grouped(header.reset.keepResident)} bytes)`}`,
  );
  lines.push("");
  lines.push(STEP_COLUMNS);
  return displayLines(lines);
}

function engineLine(engine: EngineInfo): string {
  if (engine.kind === "v8") return `V8 ${engine.version} with this tool's copy-on-write slots`;
  const given = Object.entries(engine.pooling).map(([name, value]) => `${name} ${grouped(value)}`);
  return `Wasmtime ${engine.version} (${engine.library}), pooling allocator: ${given.length ? given.join(", ") : "Wasmtime's defaults"}${given.length ? ", the rest Wasmtime's defaults" : ""}`;
}

/** One step of the human report, on one line; below it what the module wrote to stdout
 *  and stderr in the step, line by line, each escaped (it is the module's own text). */
export function renderStepLine(step: RunStep): string {
  const lines = [displayText(stepLine(step).trimEnd())];
  for (const stream of ["stdout", "stderr"] as const) {
    const text = step.output?.[stream];
    if (!text) continue;
    for (const line of text.replace(/\n$/, "").split("\n"))
      lines.push(`         ${stream}: ${displayText(line)}`);
  }
  return lines.join("\n");
}

export function renderRunSummary(summary: RunSummary): string {
  return `${plural(summary.instances, "instance")}, ${plural(summary.steps, "step")}, ${plural(summary.failedSteps, "failed step")}`;
}

function stepLine(step: RunStep): string {
  const memory = step.memories[0];
  const pages = memory
    ? [
        memory.pages.notPresent,
        memory.pages.zero,
        memory.pages.imageClean,
        memory.pages.imageDirty,
        memory.pages.anonDirty,
        memory.pages.swapped,
      ]
        .map((n, i) => String(n).padStart([13, 5, 5, 6, 6, 4][i]!))
        .join(" ")
    : "".padStart(44);
  const name = step.export ? `${step.step} ${step.export}` : step.step;
  const outcome = step.error
    ? `error: ${step.error}`
    : typeof step.detail?.exitStatus === "number"
      ? `exited with code ${step.detail.exitStatus}`
      : step.result
        ? step.result.map((r) => String(r.value)).join(", ")
        : step.step === "reset"
          ? resetSummary(step)
          : step.step === "instantiate"
            ? step.memories
                .map(
                  (m) =>
                    `${m.coreModule ? `${m.coreModule} ` : ""}memory ${m.memory} ${memoryPlaceText(m)}: ${memoryInitText(m.origin)}`,
                )
                .join("; ")
            : "";
  const retired = step.detail?.retired ? ` (retired: ${step.detail.retired})` : "";
  const faults = memory?.userfaults?.faults ? ` [${userfaultsText(memory.userfaults)}]` : "";
  return [
    String(step.instance ?? "-").padStart(4),
    String(step.slot ?? "-").padStart(4),
    (step.pick ?? "-").padEnd(7),
    name.padEnd(12).slice(0, Math.max(12, name.length)),
    (step.ns / 1000).toFixed(1).padStart(8),
    String(step.syscalls?.mmap ?? "-").padStart(5),
    String(step.syscalls?.madvise ?? "-").padStart(4),
    String(step.syscalls?.ioctl ?? "-").padStart(5),
    pages,
    ` ${outcome}${retired}${faults}`,
  ].join(" ");
}

/** "12 faults: 3 copied, 9 zero pages, handler 41.0 µs" */
function userfaultsText(counts: UserfaultCounts): string {
  const parts = [`${grouped(counts.copies)} copied`, `${grouped(counts.zeroPages)} zero pages`];
  if (counts.wakes) parts.push(`${grouped(counts.wakes)} woken only`);
  return `${plural(counts.faults, "fault")}: ${parts.join(", ")}, handler ${(counts.serviceNs / 1000).toFixed(1)} µs`;
}

/** Pages a keep-resident or pagemap reset restored by hand stay present as private
 *  copies with pristine contents, which is why they still count as dirty above. */
function resetSummary(step: RunStep): string {
  const detail = step.detail ?? {};
  const parts = [`${grouped(Number(detail.bytesResident ?? 0))} bytes kept resident`];
  if (typeof detail.imageStillMapped === "boolean")
    parts.push(detail.imageStillMapped ? "image still mapped" : "image unmapped");
  if (Number(detail.pagesRestored ?? 0) > 0)
    parts.push(`${grouped(Number(detail.pagesRestored))} pages restored by hand`);
  if (detail.fellBack) parts.push(`fell back to madvise: ${detail.fellBack}`);
  return parts.join(", ");
}
