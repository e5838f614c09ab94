// Entry point of the runner process: owns the native backend and runs module code,
// answering one request at a time over the IPC channel. A runaway call blocks this
// process only; the caller's watchdog kills it and starts a fresh one.

import { enableWasmFeatures } from "./v8-features";
import { loadBackend } from "./native-backend";
import { OutputMirror } from "./output-mirror";
import {
  PARENT_PID_ENV,
  type RequestMap,
  type RequestMessage,
  type ResponseMessage,
} from "./protocol";
import { RunnerSession } from "./runner-session";
import { WasmtimeSession } from "./wasmtime-session";
import { runLab } from "./lab/lab-runner";

enableWasmFeatures();

/** The requests a session answers, whichever engine runs the module code. */
type Session = Pick<
  RunnerSession,
  "loadModule" | "unloadModule" | "instantiate" | "invoke" | "release" | "poolView" | "readMemory"
>;

let session: Session | null = null;
/** WASI output goes to the caller as it is written (kept through a watchdog kill). */
const mirror = OutputMirror.fromEnvironment();

/** The process that started this one: named by it (PARENT_PID_ENV), else the parent now. */
function parentPid(): number {
  const named = Number(process.env[PARENT_PID_ENV]);
  return Number.isInteger(named) && named > 1 ? named : process.ppid;
}

function needSession(): Session {
  if (!session) throw new Error("the runner was not configured");
  return session;
}

const handlers: {
  [K in keyof RequestMap]: (
    params: RequestMap[K]["params"],
  ) => RequestMap[K]["result"] | Promise<RequestMap[K]["result"]>;
} = {
  configure: (config) => {
    const backend = loadBackend();
    if (!backend.available) return { available: false, reason: backend.reason };
    // From here on module code may run and keep the event loop busy, so the "disconnect"
    // handler below could not end this process: the kernel ends it with its parent. (Without
    // the addon no module code runs, and that handler suffices.)
    backend.addon.dieWithParent(parentPid());
    const engine = config.engine ?? { kind: "v8" };
    if (engine.kind === "v8") {
      session = new RunnerSession(backend.addon, config, mirror);
      return {
        available: true,
        probe: backend.addon.probe(),
        engine: { kind: "v8", version: process.versions.v8 },
      };
    }
    try {
      backend.addon.loadWasmtime(engine.library.path);
      session = new WasmtimeSession(backend.addon, config, engine.pooling);
    } catch (error) {
      return {
        available: false,
        reason: `Wasmtime ${engine.library.version} (${engine.library.path}) cannot run here: ${(error as Error).message}`,
      };
    }
    return {
      available: true,
      probe: backend.addon.probe(),
      engine: {
        kind: "wasmtime",
        version: engine.library.version,
        library: engine.library.path,
        pooling: engine.pooling,
      },
    };
  },
  loadModule: (params) => needSession().loadModule(params),
  unloadModule: ({ moduleId }) => {
    needSession().unloadModule(moduleId);
    return null;
  },
  instantiate: ({ moduleId, options }) => needSession().instantiate(moduleId, options),
  invoke: ({ instance, export: name, args }) => needSession().invoke(instance, name, args),
  release: ({ instance, strategy, keepResident }) =>
    needSession().release(instance, strategy, keepResident),
  pool: () => needSession().poolView(),
  readMemory: ({ instance, memory, offset, length }) =>
    needSession().readMemory(instance, memory, offset, length),
  lab: (request) => {
    const backend = loadBackend();
    if (!backend.available) throw new Error(backend.reason);
    return runLab(backend.addon, request);
  },
};

async function answer(message: RequestMessage): Promise<void> {
  let response: ResponseMessage;
  mirror?.beginRequest(message.id);
  try {
    const handler = handlers[message.kind] as (params: unknown) => unknown;
    if (!handler) throw new Error(`unknown request "${String(message.kind)}"`);
    response = { id: message.id, ok: true, result: await handler(message.params) };
  } catch (error) {
    response = {
      id: message.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  process.send!(response);
}

// One request at a time, in order, even when one (the lab) waits for worker threads.
let answering: Promise<void> = Promise.resolve();
process.on("message", (message: RequestMessage) => {
  answering = answering.then(() => answer(message));
});

// The parent going away must not leave this process behind.
process.on("disconnect", () => process.exit(0));
