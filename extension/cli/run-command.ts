// `wasm-cow run FILE.wasm [--invoke NAME[=ARG,ARG…]]… [--instances N] [--init cow|eager|userfaultfd]
//   [--reset madvise|keep-resident=BYTES|pagemap[=BYTES]] [--timeout MS] [--json] …`
//
// Runs N instances one after another in the runner process (each acquires a slot,
// maps the image, instantiates, runs the invocations, and resets), so slot reuse shows.

import { DEFAULT_DENSE_LIMIT } from "../analysis/image-planner";
import { splitInvocation } from "../../common/invocation";
import { readModule } from "../analysis/module-reader";
import type { BackendStatus, EngineConfig, InitMode, WasmtimePooling } from "../runner/protocol";
import { findWasmtime } from "../runner/wasmtime-discovery";
import { RunnerClient, RunnerCrashedError, RunnerTimeoutError } from "../runner/runner-client";
import { integerOption, oneFile, timeoutOption, UsageError, type CliIo } from "./cli-io";
import { readRunnableModule } from "./module-file";
import type { FailedStep, RunStep, RunSummary, WhatIfCowReport } from "./run-report";
import { imagedVariant } from "../analysis/imaged-variant";
import { runFigures } from "../../common/cow-savings";
import { runOutput, type RunFormat } from "./run-output";
import { endRunnerOnSignals } from "./signal-forwarding";
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  MAX_BYTE_COUNT,
  MAX_INSTANCES,
  MAX_OUTPUT_BYTES,
  MAX_SLOTS,
  MAX_UNUSED_WARM_SLOTS,
} from "../runner/limits";
import { isResetStrategy, type ResetStrategy, type StepRecord } from "../../common/run-types";

export const RUN_USAGE = `wasm-cow run FILE.wasm [--invoke NAME[=ARG,ARG...]]... [--instances N] [--init cow|eager]
       [--reset madvise|keep-resident=BYTES|pagemap[=BYTES]] [--timeout MS] [--json | --json-lines]
       [--slots N] [--max-unused-warm-slots N] [--max-output BYTES] [--no-initialize] [--no-wasi]
       [--smaps] [--engine v8|wasmtime[=PATH]] [--max-memory-size BYTES] [--what-if-cow]

  --invoke        call an exported function after instantiation (repeatable), arguments typed by its signature
  --instances N   run N instances one after another on the slot pool (default 1)
  --init          cow: map the image copy-on-write (default); eager: V8 copies the segments (baseline);
                  userfaultfd: the same slots, each page copied from the image by a fault handler
                  thread when first touched (Wasmtime before PR #4040), faults counted per step
  --reset         how a slot is reset after each instance (default madvise); pagemap resets only the
                  dirty pages found by PAGEMAP_SCAN, up to BYTES (default: the whole memory)
  --timeout MS    time limit of each call into module code: instantiation with its start function and
                  initialiser, and each --invoke (default 5000); loading a module is not module code
  --json          the whole run as one JSON object at the end (keeps every step: for long runs use
                  --json-lines, one JSON object per line as each step completes)
  --slots N       pool size (default 8); --max-unused-warm-slots N (default 100, as Wasmtime)
  --max-output B  WASI output kept per stream and step (default ${DEFAULT_MAX_OUTPUT_BYTES}); the rest is counted
  --no-initialize do not call _initialize / _start; --no-wasi: WASI imports trap instead
  --smaps         add /proc/self/smaps figures (RSS, PSS, shared clean, private dirty, anonymous,
                  VMAs) to every step; slow: each read walks every mapping of the process
  --engine        v8 (default): V8 with this tool's CoW slots; wasmtime: real Wasmtime 49 and its
                  pooling allocator, its library found automatically (the wasmtime Python package)
                  or at PATH. Pooling options are Wasmtime's defaults unless given: --slots
                  (total_memories), --max-unused-warm-slots, --reset keep-resident=BYTES
                  (linear_memory_keep_resident), --max-memory-size BYTES (max_memory_size).
                  Not with --init eager, --reset pagemap or --smaps (V8 engine only)
  --what-if-cow   for a module that gets no memory image: run the same steps again, on a fresh
                  pool, on the closest module that gets one (imported memories defined,
                  offsets from an imported global fixed at the 0 the runner gives it, the dense
                  limit raised to the span), and compare per instance (V8 engine only)

  Exit status: 0 when every step succeeded, 3 when one failed (a trap, a time-out, a bad
  argument; the report is complete), 1 when the file or the runner failed, 2 for usage errors.`;

/** A run whose report is complete but one of its steps failed. */
export const EXIT_STEP_FAILED = 3;

export interface RunArgs {
  file: string;
  invocations: { name: string; args: string[] }[];
  instances: number;
  init: InitMode;
  strategy: ResetStrategy;
  keepResident: number;
  timeoutMs: number;
  format: RunFormat;
  slots: number;
  maxUnusedWarmSlots: number;
  maxOutputBytes: number;
  initialize: boolean;
  wasi: boolean;
  smaps: boolean;
  engine: EngineChoice;
  whatIfCow: boolean;
}

/** The engine asked for; Wasmtime with the pooling options the user gave. */
export type EngineChoice =
  { kind: "v8" } | { kind: "wasmtime"; path: string | undefined; pooling: WasmtimePooling };

/** `--invoke NAME[=ARG,ARG…]` values (`run` and `lab`), in order. */
export function parseInvocations(specs: string[]): { name: string; args: string[] }[] {
  return specs.map((spec) => {
    const invocation = splitInvocation(spec);
    if (!invocation.name)
      throw new UsageError(`--invoke needs an export name, got ${JSON.stringify(spec)}`);
    return invocation;
  });
}

/** "No limit" for the pagemap strategy: more than any 32-bit memory holds. */
const WHOLE_MEMORY = 2 ** 32;

export function parseRunArgs(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  positionals: string[],
): RunArgs {
  const reset = typeof values.reset === "string" ? values.reset : "madvise";
  const [strategy, bytes, ...extra] = reset.split("=");
  if (
    !isResetStrategy(strategy) ||
    extra.length > 0 ||
    (strategy === "madvise" && bytes !== undefined) ||
    (strategy === "keep-resident" && bytes === undefined)
  ) {
    throw new UsageError(
      `--reset must be madvise, keep-resident=BYTES or pagemap[=BYTES], got ${JSON.stringify(reset)}`,
    );
  }
  const keepResident = integerOption(bytes, `--reset ${strategy}=BYTES`, {
    min: 0,
    max: MAX_BYTE_COUNT,
    fallback: strategy === "pagemap" ? WHOLE_MEMORY : 0,
    maxReason: "the largest exact integer",
  });
  const init = values.init ?? "cow";
  if (init !== "cow" && init !== "eager" && init !== "userfaultfd")
    throw new UsageError(`--init must be cow, eager or userfaultfd, got ${JSON.stringify(init)}`);
  if (values.json === true && values["json-lines"] === true)
    throw new UsageError("--json and --json-lines exclude each other");
  const invokes = (values.invoke as string[] | undefined) ?? [];
  const slots = integerOption(values.slots, "--slots", { min: 1, max: MAX_SLOTS, fallback: 8 });
  const maxUnusedWarmSlots = integerOption(
    values["max-unused-warm-slots"],
    "--max-unused-warm-slots",
    { min: 0, max: MAX_UNUSED_WARM_SLOTS, fallback: 100, maxReason: "a u32 in Wasmtime" },
  );
  const engine = parseEngine(values, { strategy, keepResident, init, slots, maxUnusedWarmSlots });
  const whatIfCow = values["what-if-cow"] === true;
  if (whatIfCow && (engine.kind !== "v8" || init !== "cow"))
    throw new UsageError(
      "--what-if-cow compares this tool's copy-on-write slots with V8's copying: V8 engine, --init cow",
    );
  return {
    file: oneFile("run", positionals),
    invocations: parseInvocations(invokes),
    instances: integerOption(values.instances, "--instances", {
      min: 1,
      max: MAX_INSTANCES,
      fallback: 1,
    }),
    init,
    strategy,
    keepResident,
    timeoutMs: timeoutOption(values.timeout, 5000),
    format: values.json === true ? "json" : values["json-lines"] === true ? "json-lines" : "text",
    slots,
    maxUnusedWarmSlots,
    maxOutputBytes: integerOption(values["max-output"], "--max-output", {
      min: 0,
      max: MAX_OUTPUT_BYTES,
      fallback: DEFAULT_MAX_OUTPUT_BYTES,
      maxReason: "64 MiB: kept output must fit a JSON string",
    }),
    initialize: values["no-initialize"] !== true,
    wasi: values["no-wasi"] !== true,
    smaps: values.smaps === true,
    engine,
    whatIfCow,
  };
}

/** `--engine v8|wasmtime[=PATH]`, and the options only one engine has. */
function parseEngine(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  parsed: {
    strategy: ResetStrategy;
    keepResident: number;
    init: InitMode;
    slots: number;
    maxUnusedWarmSlots: number;
  },
): EngineChoice {
  const spec = typeof values.engine === "string" ? values.engine : "v8";
  const [kind, path] = spec.split(/=(.*)/s, 2) as [string, string | undefined];
  const maxMemorySize = values["max-memory-size"];
  if (kind === "v8" && path === undefined) {
    if (maxMemorySize !== undefined)
      throw new UsageError("--max-memory-size is a Wasmtime pooling option: add --engine wasmtime");
    return { kind: "v8" };
  }
  if (kind !== "wasmtime" || path === "")
    throw new UsageError(
      `--engine must be v8, wasmtime or wasmtime=PATH, got ${JSON.stringify(spec)}`,
    );
  if (parsed.init !== "cow")
    throw new UsageError(
      `--init ${parsed.init} is the V8 engine's: Wasmtime initialises memory itself (and Wasmtime 49 has no userfaultfd)`,
    );
  if (parsed.strategy === "pagemap")
    throw new UsageError(
      "--reset pagemap is this tool's own strategy: Wasmtime resets with madvise or keep-resident=BYTES",
    );
  if (values.smaps === true)
    throw new UsageError(
      "--smaps is for the V8 engine (its figures cover whole mappings, Wasmtime's slab among them)",
    );
  const pooling: WasmtimePooling = {};
  if (values.slots !== undefined) pooling.totalMemories = parsed.slots;
  if (values["max-unused-warm-slots"] !== undefined)
    pooling.maxUnusedWarmSlots = parsed.maxUnusedWarmSlots;
  if (parsed.strategy === "keep-resident") pooling.keepResident = parsed.keepResident;
  if (maxMemorySize !== undefined) {
    pooling.maxMemorySize = integerOption(maxMemorySize, "--max-memory-size", {
      min: 65536,
      max: MAX_BYTE_COUNT,
      fallback: 0,
      maxReason: "the largest exact integer",
    });
  }
  return { kind: "wasmtime", path, pooling };
}

/** The runner's engine: Wasmtime's library found (or refused, with the reason). */
function engineConfig(choice: EngineChoice): EngineConfig | { missing: string } {
  if (choice.kind === "v8") return choice;
  const search = findWasmtime(choice.path === undefined ? {} : { given: choice.path });
  if ("missing" in search) return search;
  return { kind: "wasmtime", library: search.found, pooling: choice.pooling };
}

export async function runRun(args: RunArgs, io: CliIo): Promise<number> {
  const bytes = readRunnableModule(
    args.file,
    io,
    // V8's JS API has no component model; real Wasmtime runs components with WASI 0.2.
    args.engine.kind === "v8"
      ? "components run in the Wasmtime engine (add --engine wasmtime); V8 runs core modules only"
      : null,
  );
  if (!bytes) return 1;
  const engine = engineConfig(args.engine);
  if ("missing" in engine) {
    io.stderr(`error: the Wasmtime engine is unavailable: ${engine.missing}`);
    return 1;
  }
  const newClient = () =>
    new RunnerClient({
      config: {
        engine,
        slots: args.slots,
        maxUnusedWarmSlots: args.maxUnusedWarmSlots,
        maxOutputBytes: args.maxOutputBytes,
        includePageStates: false,
        smaps: args.smaps,
      },
      timeoutMs: args.timeoutMs,
    });
  const client = newClient();
  let stopForwarding = endRunnerOnSignals(client, io);
  try {
    const status: BackendStatus = await client.status();
    if (!status.available) {
      io.stderr(`error: copy-on-write execution is unavailable here: ${status.reason}`);
      return 1;
    }
    // Checked here, not with the other options: only the backend knows the page size.
    const pageSize = status.probe.hostPageSize;
    if (args.keepResident % pageSize !== 0) {
      io.stderr(`error: --reset BYTES must be a multiple of ${pageSize} (the host page size)`);
      return 2;
    }
    const output = runOutput(args.format, io);
    const kept: RunStep[] = []; // for --what-if-cow's comparison
    const { summary, emit } = countSteps(args.instances, (step) => {
      if (args.whatIfCow) kept.push(step);
      output.step(step);
    });
    const loaded = await loadModule(client, bytes, DEFAULT_DENSE_LIMIT, args.file, pageSize);
    output.header({
      file: args.file,
      backend: {
        hostPageSize: pageSize,
        pagemapScan: status.probe.pagemapScan,
        pfnReadable: status.probe.pfnReadable,
        kernel: status.probe.kernel,
      },
      engine: status.engine,
      module: loaded.summary,
      init: args.init,
      reset: { strategy: args.strategy, keepResident: args.keepResident },
    });
    await runSteps(client, loaded.steps, args, emit);
    let whatIf: WhatIfCowReport | undefined;
    if (args.whatIfCow) {
      stopForwarding();
      client.dispose();
      const variantClient = newClient();
      stopForwarding = endRunnerOnSignals(variantClient, io);
      try {
        whatIf = await whatIfCow(variantClient, bytes, args, pageSize, kept);
      } finally {
        variantClient.dispose();
      }
    }
    output.end(summary, whatIf);
    const variantFailed = whatIf && "summary" in whatIf ? whatIf.summary.failedSteps : 0;
    return summary.failedSteps + variantFailed > 0 ? EXIT_STEP_FAILED : 0;
  } catch (error) {
    io.stderr(`error: ${args.file}: ${(error as Error).message}`);
    return 1;
  } finally {
    stopForwarding();
    client.dispose();
  }
}

function loadModule(
  client: RunnerClient,
  bytes: Uint8Array,
  denseLimit: number,
  fileName: string,
  pageSize: number,
) {
  return client.request("loadModule", {
    moduleId: "module",
    fileName,
    bytes,
    pageSize,
    denseLimit,
  });
}

/** A run's summary, counted as its steps are passed on to `onStep`. */
function countSteps(
  instances: number,
  onStep: (step: RunStep) => void,
): { summary: RunSummary; emit: (step: RunStep) => void } {
  const summary: RunSummary = { instances, steps: 0, failedSteps: 0 };
  const emit = (step: RunStep): void => {
    summary.steps++;
    if (step.error !== null) summary.failedSteps++;
    onStep(step);
  };
  return { summary, emit };
}

/** The module's own steps (plan, image), then every instance's. */
async function runSteps(
  client: RunnerClient,
  moduleSteps: readonly StepRecord[],
  args: RunArgs,
  emit: (step: RunStep) => void,
): Promise<void> {
  moduleSteps.forEach(emit);
  for (let n = 0; n < args.instances; n++) await runOneInstance(client, args, emit);
}

/** --what-if-cow: the same steps on the module's imaged variant, on a fresh pool (the
 *  caller's `client`), compared with the steps the module ran as built. */
async function whatIfCow(
  client: RunnerClient,
  bytes: Uint8Array,
  args: RunArgs,
  pageSize: number,
  asBuilt: readonly RunStep[],
): Promise<WhatIfCowReport> {
  const outcome = imagedVariant(readModule(bytes), { pageSize, denseLimit: DEFAULT_DENSE_LIMIT });
  if (!outcome.variant) return { refusal: outcome.refusal };
  const { variant } = outcome;
  const loaded = await loadModule(client, variant.bytes, variant.denseLimit, args.file, pageSize);
  const steps: RunStep[] = [];
  const { summary, emit } = countSteps(args.instances, (step) => steps.push(step));
  await runSteps(client, loaded.steps, args, emit);
  return {
    changes: variant.changes,
    denseLimit: variant.denseLimit,
    module: loaded.summary,
    steps,
    summary,
    savings: { asBuilt: runFigures(asBuilt), imaged: runFigures(steps) },
  };
}

/** One instance: instantiate, invoke, release. A time-out or crash becomes a failed
 *  step; the runner restarts and the next instance goes on. */
async function runOneInstance(
  client: RunnerClient,
  args: RunArgs,
  emit: (step: RunStep) => void,
): Promise<void> {
  let instance: number | null = null;
  /** Set when a time-out or crash took the runner, and the instance with it. */
  let runnerLost = false;
  /** Sends a request; one that fails becomes a failed step timed by this process. */
  const attempt = async <T>(
    step: StepRecord["step"],
    exportName: string | null,
    send: () => Promise<T>,
  ): Promise<{ answered: T } | { failed: FailedStep }> => {
    const started = process.hrtime.bigint();
    try {
      return { answered: await send() };
    } catch (error) {
      runnerLost = error instanceof RunnerTimeoutError || error instanceof RunnerCrashedError;
      if (!runnerLost && step === "instantiate") throw error;
      const failed: FailedStep = {
        step,
        export: exportName,
        instance,
        slot: null,
        pick: null,
        ns: Number(process.hrtime.bigint() - started),
        syscalls: null,
        memories: [],
        result: null,
        error: (error as Error).message,
        // What the call wrote before a time-out or a crash, read from the pipe to its end.
        output:
          error instanceof RunnerTimeoutError || error instanceof RunnerCrashedError
            ? error.output
            : null,
        detail: null,
      };
      return { failed };
    }
  };

  const started = await attempt("instantiate", null, () =>
    client.request("instantiate", {
      moduleId: "module",
      options: { init: args.init, initialize: args.initialize, wasi: args.wasi },
    }),
  );
  if ("failed" in started) return emit(started.failed);
  started.answered.steps.forEach(emit);
  instance = started.answered.instance;
  const live = instance;
  const usable = started.answered.steps.every((s) => s.error === null);
  for (const invocation of usable ? args.invocations : []) {
    const step = await attempt("invoke", invocation.name, () =>
      client.request("invoke", { instance: live, export: invocation.name, args: invocation.args }),
    );
    emit("failed" in step ? step.failed : step.answered);
    if (runnerLost) return;
  }
  const released = await client.request("release", {
    instance: live,
    strategy: args.strategy,
    keepResident: args.keepResident,
  });
  released.forEach(emit);
}
