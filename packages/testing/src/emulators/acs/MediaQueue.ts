/** A play or recognize operation in a call's media queue. */
export interface MediaOperation {
  readonly kind: 'play' | 'recognize';
  /** Starts; calls `done` once it completed or failed on its own. */
  start(done: () => void): void;
  /** Cancels (cancel all media, or barged in): reports its canceled event. */
  cancel(): void;
  /** Stops silently (the call ended). */
  stop(): void;
}

/** A call's media operations: ACS runs them one at a time, in the order requested. */
export class MediaQueue {
  #current: MediaOperation | undefined;
  #waiting: MediaOperation[] = [];

  /** The operation running now. */
  get current(): MediaOperation | undefined {
    return this.#current;
  }

  /** Queues an operation; with `interrupt`, it cancels the running one and starts at once. */
  enqueue(operation: MediaOperation, interrupt = false): void {
    if (interrupt) {
      const running = this.#current;
      this.#current = undefined;
      running?.cancel();
      this.#waiting.unshift(operation);
    } else {
      this.#waiting.push(operation);
    }
    this.#pump();
  }

  /** Cancels the running and every queued operation, each reporting its canceled event. */
  cancelAll(): void {
    const all = [...(this.#current ? [this.#current] : []), ...this.#waiting];
    this.#current = undefined;
    this.#waiting = [];
    for (const operation of all) operation.cancel();
  }

  /** Drops everything silently. */
  stopAll(): void {
    const all = [...(this.#current ? [this.#current] : []), ...this.#waiting];
    this.#current = undefined;
    this.#waiting = [];
    for (const operation of all) operation.stop();
  }

  #pump(): void {
    if (this.#current) return;
    const next = this.#waiting.shift();
    if (!next) return;
    this.#current = next;
    next.start(() => {
      if (this.#current !== next) return;
      this.#current = undefined;
      this.#pump();
    });
  }
}
