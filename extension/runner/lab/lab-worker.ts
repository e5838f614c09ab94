// A worker thread of the lab's scaling figures: its own V8 isolate, its own session and
// pool, the same module and strategy. It loads the module, says it is ready, and on
// "go" runs its instances back to back (thread-scaling.ts starts all threads at once).

import { parentPort, workerData } from "node:worker_threads";
import { loadBackend } from "../native-backend";
import { enableWasmFeatures } from "../v8-features";
import { LAB_MODULE, openLabSession, toolCycle } from "./instance-cycle";
import type { LabWorkerData, LabWorkerMessage } from "./thread-scaling";

enableWasmFeatures();

const data = workerData as LabWorkerData;
const port = parentPort!;
const post = (message: LabWorkerMessage): void => port.postMessage(message);

try {
  const backend = loadBackend();
  if (!backend.available) throw new Error(backend.reason);
  const { session } = openLabSession(backend.addon, data.module, 1);
  const cycle = toolCycle(session, data.strategy, data.invokes);
  port.once("message", () => {
    try {
      for (let i = 0; i < data.instances; i++) cycle.run();
      post({ kind: "done" });
      // After the timing: the slots detached before the isolate goes, since a userfaultfd
      // registration left behind would keep its image's bytes in the handler's table.
      session.unloadModule(LAB_MODULE);
      post({ kind: "closed" });
    } catch (error) {
      post({ kind: "failed", error: (error as Error).message });
    }
  });
  post({ kind: "ready" });
} catch (error) {
  post({ kind: "failed", error: (error as Error).message });
}
