// Requests waiting for their answers, by id: the one request/response mechanism of every
// channel here (the runner's IPC, the analysis worker, the webview's byte reads). Each
// request settles exactly once: by its answer, by its error, or with every other request
// when the channel is lost. An answer for an id that is not waiting (settled already,
// say by a time-out) is ignored. Timers stay with the caller: `onSettled` runs whichever
// way the request settles, so a watchdog can be cleared.

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  onSettled: (() => void) | undefined;
}

export class PendingRequests<T> {
  private readonly waiting = new Map<number, Waiter<T>>();
  private nextId = 1;

  /** A new request: its id (unique in this map's life) and the promise of its answer. */
  open(onSettled?: () => void): { id: number; answer: Promise<T> } {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, onSettled });
    });
    return { id, answer };
  }

  /** Answers request `id`; false when it is not waiting. */
  resolve(id: number, value: T): boolean {
    const waiter = this.take(id);
    waiter?.resolve(value);
    return waiter !== undefined;
  }

  /** Fails request `id`; false when it is not waiting. */
  reject(id: number, error: Error): boolean {
    const waiter = this.take(id);
    waiter?.reject(error);
    return waiter !== undefined;
  }

  /** Fails every waiting request (the channel is gone). */
  rejectAll(error: Error): void {
    for (const id of [...this.waiting.keys()]) this.reject(id, error);
  }

  /** The ids waiting now (to fail them later, once their channel is known to be gone). */
  waitingIds(): number[] {
    return [...this.waiting.keys()];
  }

  get size(): number {
    return this.waiting.size;
  }

  private take(id: number): Waiter<T> | undefined {
    const waiter = this.waiting.get(id);
    if (!waiter) return undefined;
    this.waiting.delete(id);
    waiter.onSettled?.();
    return waiter;
  }
}
