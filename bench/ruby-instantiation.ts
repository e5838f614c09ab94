// The affine `instantiate` step of a real, large module (ruby.wasm from @ruby/3.4-wasm-wasi,
// 16 MB, a 4.9 MiB image starting at 16 MiB) through RunnerSession, against V8's own
// instantiation of the same rewritten module with a memory supplied (a plain
// WebAssembly.Memory of the same size, the same WASI imports): the step's ns is what the
// stepper shows, the plain `new WebAssembly.Instance` what any embedder pays. Both run in
// rounds in this process, so drift hits them alike; the ratio is of the medians.
//
// The module is fetched with `npm pack` into .cache/npm-wasm/ (see
// test/helpers/npm-wasm.ts); nothing is asserted about times.

import { rewriteForCow } from "../extension/analysis/cow-rewriter";
import { DEFAULT_DENSE_LIMIT, planImages } from "../extension/analysis/image-planner";
import { readModule } from "../extension/analysis/module-reader";
import { buildImports } from "../extension/runner/instance-imports";
import { RunnerSession } from "../extension/runner/runner-session";
import { fetchRealModule, type RealModule } from "../test/helpers/npm-wasm";
import { requireAddon } from "./native";
import { formatTable } from "../common/markdown-table";
import { describeMachine, writeResults } from "./report";
import { formatMs, formatRatio, sampleRounds, summarize } from "./timing";

const RUBY: RealModule = {
  label: "ruby.wasm (CRuby 3.4, WASI)",
  spec: "@ruby/3.4-wasm-wasi@2.8.1",
  file: "package/dist/ruby.wasm",
};

export async function runRubyInstantiation(): Promise<void> {
  const bytes = await fetchRealModule(RUBY);
  const module = readModule(bytes);
  const plan = planImages(module, { pageSize: 4096, denseLimit: DEFAULT_DENSE_LIMIT });
  if (!plan.memories[0]?.static) throw new Error("ruby.wasm has no static image");
  const addon = requireAddon();
  const session = new RunnerSession(addon, {
    slots: 1,
    maxUnusedWarmSlots: 1,
    includePageStates: false,
  });
  session.loadModule({
    moduleId: "ruby",
    fileName: "ruby.wasm",
    bytes,
    pageSize: 4096,
    denseLimit: DEFAULT_DENSE_LIMIT,
  });
  const options = { init: "cow" as const, initialize: false, wasi: true };
  const stepNs: number[] = [];
  const viaSession = (): void => {
    const created = session.instantiate("ruby", options);
    const acquire = created.steps.find((step) => step.step === "acquire");
    const instantiate = created.steps.find((step) => step.step === "instantiate");
    if (!instantiate || instantiate.error)
      throw new Error(`instantiate failed: ${instantiate?.error}`);
    // Only affine reuses count: the first use maps the image into a cold slot.
    if (acquire?.pick === "affine") stepNs.push(instantiate.ns);
    session.release(created.instance, "madvise", 0);
  };

  // V8's own instantiation of the same rewritten module, its memory supplied.
  const rewrite = rewriteForCow(module, new Set([0]));
  const rewritten = new WebAssembly.Module(rewrite.bytes as Uint8Array<ArrayBuffer>);
  const memoryType = module.memories[0]!.type;
  const memory = new WebAssembly.Memory({
    initial: Number(memoryType.min),
    ...(memoryType.max === null ? {} : { maximum: Number(memoryType.max) }),
  });
  const plainNs: number[] = [];
  const plain = (): void => {
    const environment = buildImports(module, [{ slot: rewrite.memories[0]!, memory }], {
      wasi: true,
      args: ["ruby.wasm"],
      maxOutputBytes: 1 << 20,
      mirror: null,
    });
    const started = process.hrtime.bigint();
    new WebAssembly.Instance(rewritten, environment.imports);
    plainNs.push(Number(process.hrtime.bigint() - started));
  };

  sampleRounds([viaSession, plain], { minRuns: 30, budgetMs: 6_000 });
  session.unloadModule("ruby");
  const step = summarize(stepNs.map((ns) => ns / 1e6));
  const own = summarize(plainNs.map((ns) => ns / 1e6));
  const ratio = step.medianMs / own.medianMs;
  const rows = [
    ["V8's own instantiation of the rewritten module, memory supplied", own],
    ["the session's affine instantiate step (what the stepper shows)", step],
  ] as const;
  console.log(
    `\n${RUBY.label}, ${(bytes.length / 1e6).toFixed(1)} MB: median per instance, ${describeMachine()}`,
  );
  console.log(
    formatTable(
      ["path", "median", "p10", "p90", "runs", "÷ V8's own"],
      rows.map(([path, stats]) => [
        path,
        formatMs(stats.medianMs),
        formatMs(stats.p10Ms),
        formatMs(stats.p90Ms),
        String(stats.runs),
        formatRatio(stats.medianMs / own.medianMs),
      ]),
    ),
  );
  console.log(`\nratio (target ≤ 1.3×): ${ratio.toFixed(2)}×`);
  console.log(`results: ${writeResults("ruby-instantiation", { module: RUBY, rows, ratio })}`);
}
