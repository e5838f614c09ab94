// Inspecting a real component: the "hello" JavaScript component componentize-js builds
// (12.5 MB, its main core module 12.4 MB with an 8.1 MiB image; built at first use into
// .cache/npm-tools, see test/helpers/componentize.ts), against inspecting that main core
// module on its own, the work a component adds being finding and planning the others.
// Both in rounds in this process; target: the component under 1 s on this machine kind.
// Nothing is asserted about times.

import { readFileSync } from "node:fs";
import { readComponent } from "../extension/analysis/component-reader";
import { inspectModule } from "../extension/analysis/inspect";
import { inspectComponent } from "../extension/analysis/inspect-component";
import { DEFAULT_DENSE_LIMIT } from "../extension/analysis/image-planner";
import { helloComponent } from "../test/helpers/componentize";
import { formatTable } from "../common/markdown-table";
import { describeMachine, writeResults } from "./report";
import { formatMs, formatRatio, sampleRounds, summarize } from "./timing";

export async function runComponentInspect(): Promise<void> {
  const bytes = readFileSync(await helloComponent());
  const main = readComponent(bytes).modules[0]!;
  const options = {
    fileName: "hello.component.wasm",
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
  };
  const [component, module] = sampleRounds(
    [() => void inspectComponent(bytes, options), () => void inspectModule(main.bytes, options)],
    { warmup: 1, minRuns: 5, budgetMs: 20_000 },
  );
  const whole = summarize(component!);
  const alone = summarize(module!);
  const rows = [
    [`its main core module alone (${(main.length / 1e6).toFixed(1)} MB)`, alone],
    ["the component: every core module found and planned", whole],
  ] as const;
  console.log(
    `\nhello.component.wasm (componentize-js), ${(bytes.length / 1e6).toFixed(1)} MB: median per inspection, ${describeMachine()}`,
  );
  console.log(
    formatTable(
      ["inspect", "median", "p10", "p90", "runs", "÷ module alone"],
      rows.map(([what, stats]) => [
        what,
        formatMs(stats.medianMs),
        formatMs(stats.p10Ms),
        formatMs(stats.p90Ms),
        String(stats.runs),
        formatRatio(stats.medianMs / alone.medianMs),
      ]),
    ),
  );
  console.log(`\ncomponent inspect (target < 1 s): ${formatMs(whole.medianMs)}`);
  console.log(`results: ${writeResults("component-inspect", { rows })}`);
}
