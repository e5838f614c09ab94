// `WebAssembly.validate` on a thread of its own, for module bytes in shared memory: the
// analysis worker asks it first and decodes and plans meanwhile, so V8's validation (and
// the private copy V8 makes of shared bytes, about 120 ms for 40 MB on the CI-kind VM)
// runs on the other core instead of after the analysis. Bytes in an ordinary buffer are
// not sent: cloning them would cost that copy again, so the caller validates those itself.

import { Worker } from "node:worker_threads";

const VALIDATOR_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ id, bytes }) =>
  parentPort.postMessage({ id, validates: WebAssembly.validate(bytes) }),
);
`;

export class V8ValidatorThread {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, (validates: boolean | undefined) => void>();

  private start(): void {
    if (this.worker) return;
    const worker = new Worker(VALIDATOR_SOURCE, { eval: true });
    worker.on("message", ({ id, validates }: { id: number; validates: boolean }) => {
      this.waiting.get(id)?.(validates);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
    });
    // A validator that fails leaves the question to the caller (undefined: not asked).
    const giveUp = (): void => {
      for (const settle of this.waiting.values()) settle(undefined);
      this.waiting.clear();
      this.worker = null;
    };
    worker.on("error", giveUp);
    worker.on("exit", giveUp);
    // It keeps its parent alive only while an answer is awaited.
    worker.unref();
    this.worker = worker;
  }

  /** V8's answer for shared bytes; undefined (not asked) for other bytes. */
  validate(bytes: Uint8Array): Promise<boolean | undefined> {
    if (!(bytes.buffer instanceof SharedArrayBuffer)) return Promise.resolve(undefined);
    this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker!.ref();
      this.worker!.postMessage({ id, bytes });
    });
  }
}
