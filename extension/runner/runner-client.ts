// The caller's side of the runner: starts the runner process on demand, sends typed
// requests, and guards each one with a watchdog. A request that outlives its time
// limit kills the runner and fails with RunnerTimeoutError; a runner that dies fails
// its pending request with RunnerCrashedError. Either way the next request gets a fresh
// runner, configured again and with every loaded module loaded again (instances do not
// survive a restart).

import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { PendingRequests } from "../../common/pending-requests";
import { OUTPUT_FD_ENV, OutputCollector } from "./output-mirror";
import { packageRoot } from "./package-root";
import {
  PARENT_PID_ENV,
  type BackendStatus,
  type LoadModuleRequest,
  type RequestKind,
  type RequestMap,
  type RequestMessage,
  type ResponseMessage,
  type SessionConfig,
} from "./protocol";

/** Time limit of starting a runner (process start, configure, reloading modules). */
const STARTUP_TIMEOUT_MS = 30_000;
/** Instance ids each runner may hand out before the next runner's range begins. */
const INSTANCE_IDS_PER_RUNNER = 1_000_000_000;

/** What a call wrote before the runner was lost, when it wrote anything. */
export type LostOutput = { stdout: string; stderr: string } | null;

/** How long a killed runner may take to close its output pipe, so that what it wrote
 *  before the kill is read; the pipe closes as soon as the process is gone. */
const DRAIN_MS = 2_000;

/** The requests that run module code: only these are held to the user's time limit. */
const RUNS_MODULE_CODE: ReadonlySet<RequestKind> = new Set(["instantiate", "invoke"]);

/** The limit of every other request (loading and planning a module, a reset, a read of
 *  memory): a watchdog against a runner that hangs, not a limit on module code. A 13 MB
 *  module loads in about 0.3 s; this leaves room for the 1 GiB largest module. */
export const HOUSEKEEPING_TIMEOUT_MS = 120_000;

/** With Wasmtime the engine stops a call itself at the time limit (epoch interruption)
 *  and the runner survives; the watchdog waits this much longer before killing it, for the
 *  interrupt and the step's page states to arrive. */
const ENGINE_STOP_GRACE_MS = 2_000;

export class RunnerTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly output: LostOutput = null,
  ) {
    super(`timed out after ${timeoutMs} ms: the runner was killed and will restart`);
    this.name = "RunnerTimeoutError";
  }
}

export class RunnerCrashedError extends Error {
  constructor(
    detail: string,
    readonly output: LostOutput = null,
  ) {
    super(`the runner process crashed (${detail}); the next request starts a fresh one`);
    this.name = "RunnerCrashedError";
  }
}

export interface RunnerEntry {
  script: string;
  execArgv: string[];
}

/** dist/runner.js beside a bundle; the TypeScript source through tsx otherwise. */
export function defaultRunnerEntry(): RunnerEntry {
  const bundled = path.join(__dirname, "runner.js");
  if (!__filename.endsWith(".ts") && existsSync(bundled)) return { script: bundled, execArgv: [] };
  return {
    script: path.join(packageRoot(), "extension", "runner", "runner-main.ts"),
    execArgv: ["--import", "tsx"],
  };
}

export interface RunnerClientOptions {
  config: SessionConfig;
  /** Time limit, in milliseconds, of each request that runs module code (instantiate,
   *  with its start function and initialiser; invoke). Every other request has
   *  HOUSEKEEPING_TIMEOUT_MS. */
  timeoutMs: number;
  entry?: RunnerEntry;
  /** Called when a runner process ends unexpectedly or is killed by the watchdog. */
  onRestart?: (reason: string) => void;
}

export class RunnerClient {
  private child: ChildProcess | null = null;
  /** WASI output of the current runner's calls, as they write it (output-mirror.ts). */
  private output = new OutputCollector();
  /** Resolves when the current runner's output pipe has closed. */
  private outputClosed: Promise<void> = Promise.resolve();
  /** The request the current runner is working on. */
  private current: number | null = null;
  private readonly pending = new PendingRequests<unknown>();
  private readonly modules = new Map<string, LoadModuleRequest>();
  private starting: Promise<BackendStatus> | null = null;
  private stderrTail = "";
  private nextInstanceBase = 1;

  constructor(private readonly options: RunnerClientOptions) {}

  /** What the runner's backend offers (it starts the runner if needed). */
  status(): Promise<BackendStatus> {
    return this.ensureStarted();
  }

  /** The runner's pid, or null when none runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async request<K extends RequestKind>(
    kind: K,
    params: RequestMap[K]["params"],
    timeoutMs = RUNS_MODULE_CODE.has(kind) ? this.moduleCodeTimeoutMs() : HOUSEKEEPING_TIMEOUT_MS,
  ): Promise<RequestMap[K]["result"]> {
    const status = await this.ensureStarted();
    if (!status.available)
      throw new Error(`copy-on-write execution is unavailable: ${status.reason}`);
    if (kind === "unloadModule") this.modules.delete((params as { moduleId: string }).moduleId);
    const result = await this.send(kind, params, timeoutMs);
    // Only modules the runner accepted are loaded again into a fresh runner.
    if (kind === "loadModule") {
      this.modules.set((params as LoadModuleRequest).moduleId, params as LoadModuleRequest);
    }
    return result;
  }

  private moduleCodeTimeoutMs(): number {
    const stopsItself = this.options.config.engine?.kind === "wasmtime";
    return this.options.timeoutMs + (stopsItself ? ENGINE_STOP_GRACE_MS : 0);
  }

  /** Ends the runner (by its pid) and forgets nothing: the next request restarts it. */
  dispose(): void {
    const child = this.child;
    this.child = null;
    this.starting = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    this.pending.rejectAll(new RunnerCrashedError("disposed"));
  }

  private ensureStarted(): Promise<BackendStatus> {
    if (this.child && this.starting) return this.starting;
    const entry = this.options.entry ?? defaultRunnerEntry();
    const child = fork(entry.script, [], {
      execArgv: entry.execArgv,
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc", "pipe"],
      env: { ...process.env, [OUTPUT_FD_ENV]: "4", [PARENT_PID_ENV]: String(process.pid) },
    });
    this.child = child;
    const output = new OutputCollector();
    this.output = output;
    const pipe = child.stdio[4] as NodeJS.ReadableStream;
    pipe.on("data", (chunk: Buffer) => output.push(chunk));
    this.outputClosed = new Promise((resolve) => pipe.once("close", () => resolve()));
    this.stderrTail = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    child.on("message", (message: ResponseMessage) => this.settle(message));
    child.on("exit", (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      this.starting = null;
      const detail = `${signal ? `signal ${signal}` : `exit code ${code}`}${this.stderrTail ? `: ${this.stderrTail.trim().split("\n").at(-1)}` : ""}`;
      this.options.onRestart?.(`runner ended (${detail})`);
      const lost = this.current === null ? null : output.outputOf(this.current);
      this.pending.rejectAll(new RunnerCrashedError(detail, lost));
    });
    // Start-up is not module code: it gets its own, generous time limit. Instance ids
    // continue from where the previous runner stopped, so an id from before a restart
    // can never name an instance of the new runner.
    const config = {
      ...this.options.config,
      firstInstanceId: this.nextInstanceBase,
      callTimeoutMs: this.options.timeoutMs,
    };
    this.nextInstanceBase += INSTANCE_IDS_PER_RUNNER;
    const starting = (async () => {
      const status = await this.send("configure", config, STARTUP_TIMEOUT_MS);
      if (status.available) {
        for (const [moduleId, module] of this.modules) {
          try {
            await this.send("loadModule", module, HOUSEKEEPING_TIMEOUT_MS);
          } catch (error) {
            if (error instanceof RunnerTimeoutError || error instanceof RunnerCrashedError)
              throw error;
            this.modules.delete(moduleId); // it loaded before; if it no longer does, forget it
          }
        }
      }
      return status;
    })();
    this.starting = starting;
    starting.catch(() => {
      if (this.starting === starting) this.starting = null;
    });
    return starting;
  }

  private send<K extends RequestKind>(
    kind: K,
    params: RequestMap[K]["params"],
    timeoutMs: number,
  ): Promise<RequestMap[K]["result"]> {
    const child = this.child;
    if (!child) return Promise.reject(new RunnerCrashedError("not running"));
    this.stderrTail = ""; // a crash should quote what this request printed, not start-up noise
    // The watchdog is armed once the request has its id, and disarmed however it settles.
    const watchdog: { timer?: NodeJS.Timeout } = {};
    const { id, answer } = this.pending.open(() => clearTimeout(watchdog.timer));
    watchdog.timer = setTimeout(() => {
      this.options.onRestart?.(`request "${kind}" timed out after ${timeoutMs} ms`);
      if (this.child === child) {
        this.child = null;
        this.starting = null;
      }
      child.kill("SIGKILL");
      // What the call wrote before the kill is still in the pipe: read it to the end. The
      // requests that went down with this runner are failed then; later ones are not.
      const { output, outputClosed } = this;
      const lost = this.pending.waitingIds();
      const drained = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
      void Promise.race([outputClosed, drained]).then(() => {
        this.pending.reject(id, new RunnerTimeoutError(timeoutMs, output.outputOf(id)));
        const crashed = new RunnerCrashedError("killed by the watchdog");
        for (const other of lost) this.pending.reject(other, crashed);
      });
    }, timeoutMs);
    const message: RequestMessage<K> = { id, kind, params };
    this.current = id;
    child.send(message);
    return answer as Promise<RequestMap[K]["result"]>;
  }

  private settle(message: ResponseMessage): void {
    if (message.ok) this.pending.resolve(message.id, message.result);
    else this.pending.reject(message.id, new Error(message.error));
  }
}
