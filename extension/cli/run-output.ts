// Where `wasm-cow run` writes its report as the run goes: the human report and
// `--json-lines` write each step as it completes and keep nothing, so a run of any length
// holds flat memory; `--json` is one object, so it keeps every step until the end.

import { toJsonText } from "../analysis/json-text";
import type { CliIo } from "./cli-io";
import {
  renderRunHeader,
  renderRunSummary,
  renderStepLine,
  renderWhatIfCow,
  type RunHeader,
  type RunReport,
  type RunStep,
  type RunSummary,
  type WhatIfCowReport,
} from "./run-report";

export type RunFormat = "text" | "json" | "json-lines";

export interface RunOutput {
  header(header: RunHeader): void;
  step(step: RunStep): void;
  /** The run's end; with --what-if-cow, the variant's section after it. */
  end(summary: RunSummary, whatIfCow?: WhatIfCowReport): void;
}

export function runOutput(format: RunFormat, io: CliIo): RunOutput {
  switch (format) {
    case "text":
      return {
        header: (header) => io.stdout(renderRunHeader(header)),
        step: (step) => io.stdout(renderStepLine(step)),
        end: (summary, whatIfCow) => {
          io.stdout(`\n${renderRunSummary(summary)}`);
          if (whatIfCow) io.stdout(renderWhatIfCow(whatIfCow));
        },
      };
    case "json-lines": {
      // One JSON object per line, each tagged with what it is.
      const line = (type: string, value: object) => io.stdout(toJsonText({ type, ...value }, 0));
      return {
        header: (header) => line("run", header),
        step: (step) => line("step", step),
        end: (summary, whatIfCow) => {
          line("summary", summary);
          if (whatIfCow) line("whatIfCow", whatIfCow);
        },
      };
    }
    case "json": {
      let header: RunHeader | null = null;
      const steps: RunStep[] = [];
      return {
        header: (value) => {
          header = value;
        },
        step: (step) => steps.push(step),
        end: (summary, whatIfCow) => {
          const report: RunReport = {
            ...header!,
            steps,
            summary,
            ...(whatIfCow ? { whatIfCow } : {}),
          };
          io.stdout(toJsonText(report));
        },
      };
    }
  }
}
