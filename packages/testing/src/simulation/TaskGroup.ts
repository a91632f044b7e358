import type { Clock, TimerHandle } from '@switchboard/core';

/**
 * Timed work of one owner (a call, the backend), cancellable all at once. A delay of zero runs on the next
 * macrotask turn (so work is never synchronous inside the request that caused it); longer delays use the clock.
 */
export class TaskGroup {
  readonly #cancels = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Runs `callback` after `ms`; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void {
    let cancel: () => void;
    const run = (): void => {
      this.#cancels.delete(cancel);
      callback();
    };
    if (!(ms > 0)) {
      const immediate = setImmediate(run);
      cancel = () => {
        clearImmediate(immediate);
        this.#cancels.delete(cancel);
      };
    } else {
      const timer: TimerHandle = this.clock.setTimeout(run, ms);
      cancel = () => {
        this.clock.clearTimeout(timer);
        this.#cancels.delete(cancel);
      };
    }
    this.#cancels.add(cancel);
    return cancel;
  }

  /** Cancels everything still waiting. */
  cancelAll(): void {
    for (const cancel of [...this.#cancels]) cancel();
  }
}
