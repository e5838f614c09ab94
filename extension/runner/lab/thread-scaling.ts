// Instances per second as threads grow: T worker threads (lab-worker.ts), each its own
// V8 isolate and session, run the same strategy's instances back to back from one start
// signal; the figure is all their instances over the wall time until the last is done.
// Under userfaultfd every thread's faults go to the process's one handler thread.

import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { LabInvoke, LabStrategy, ScalingPoint } from "../../../common/lab-types";
import type { NativeAddon } from "../native-backend";
import { packageRoot } from "../package-root";

export interface LabWorkerData {
  module: { fileName: string; bytes: Uint8Array };
  strategy: LabStrategy;
  invokes: LabInvoke[];
  instances: number;
}

export type LabWorkerMessage =
  { kind: "ready" } | { kind: "done" } | { kind: "closed" } | { kind: "failed"; error: string };

/** dist/lab-worker.js beside the bundled runner; the TypeScript source through tsx's
 *  require hook otherwise (a worker does not inherit the parent's --import). */
function startWorker(data: LabWorkerData): Worker {
  const bundled = path.join(__dirname, "lab-worker.js");
  if (!__filename.endsWith(".ts") && existsSync(bundled))
    return new Worker(bundled, { workerData: data });
  const source = path.join(packageRoot(), "extension", "runner", "lab", "lab-worker.ts");
  // tsx is resolved from the package, not the working directory, and inside the worker's
  // code, where the bundler does not follow it (the bundled runner never takes this path).
  const packageJson = JSON.stringify(path.join(packageRoot(), "package.json"));
  const boot = `require("node:module").createRequire(${packageJson})("tsx/cjs/api").register(); require(${JSON.stringify(source)});`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** Follows a worker through `kinds`, its messages in that order: resolves after the last,
 *  calling `onEach` at each; rejects on a failure, an error or an exit first. One set of
 *  listeners for the whole exchange: a worker posts "done" and "closed" back to back and
 *  then exits, and when this thread is slow to wake, Node delivers all three at once, in
 *  one synchronous drain; listeners added after "done" (in a promise's continuation)
 *  missed "closed" and the exit, and the lab waited forever. */
export function follow(
  worker: Worker,
  kinds: readonly ("ready" | "done" | "closed")[],
  onEach: (kind: string) => void = () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    const onMessage = (message: LabWorkerMessage): void => {
      if (message.kind !== kinds[next]) {
        cleanUp();
        reject(new Error(message.kind === "failed" ? message.error : `unexpected ${message.kind}`));
        return;
      }
      onEach(message.kind);
      if (++next < kinds.length) return;
      cleanUp();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanUp();
      reject(new Error(`a lab worker exited with code ${code}`));
    };
    const cleanUp = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
    worker.once("exit", onExit);
  });
}

export async function measureScaling(
  addon: NativeAddon,
  threads: number,
  data: LabWorkerData,
  countFaults: boolean,
): Promise<ScalingPoint> {
  const workers = Array.from({ length: threads }, () => startWorker(data));
  try {
    await Promise.all(workers.map((worker) => follow(worker, ["ready"])));
    const faultsBefore = countFaults ? addon.userfaultStats().faults : 0;
    const started = process.hrtime.bigint();
    // The time is up to the last "done".
    let lastDone = started;
    const closed = Promise.all(
      workers.map((worker) =>
        follow(worker, ["done", "closed"], (kind) => {
          if (kind === "done") lastDone = process.hrtime.bigint();
        }),
      ),
    );
    for (const worker of workers) worker.postMessage("go");
    await closed;
    const seconds = Number(lastDone - started) / 1e9;
    return {
      threads,
      instancesPerSecond: (threads * data.instances) / seconds,
      faults: countFaults ? addon.userfaultStats().faults - faultsBefore : null,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
