import type { TelephonyEvent } from './TelephonyEvent.js';

/** Options of `CallEventQueues`. */
export interface CallEventQueuesOptions {
  /**
   * How long one turn may apply events before it yields to the event loop (default 50 ms). A turn that runs
   * longer (a slow subscriber) lets pending HTTP requests be answered and other calls' events be applied.
   */
  readonly sliceMs?: number;
  /** Time source in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Told about an exception thrown while applying an event; the queues go on with the next event. */
  readonly onError?: (error: unknown, event: TelephonyEvent) => void;
}

/**
 * One queue of events per call, applied strictly in order for each call and round-robin across calls. Events
 * are applied at once when nothing is pending (so a webhook's events are applied before it is answered), and
 * an event dispatched while another is being applied (from a subscriber) waits until that one is done. When a
 * turn exceeds its time slice, the rest is applied in later turns, so one call's slow subscriber delays the
 * other calls by at most one of its events.
 */
export class CallEventQueues {
  readonly #apply: (event: TelephonyEvent) => void;
  readonly #sliceMs: number;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, event: TelephonyEvent) => void) | undefined;
  // Insertion order is turn order: a call with events left goes to the back after each event.
  readonly #queues = new Map<string, TelephonyEvent[]>();
  #running = false;
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];

  constructor(apply: (event: TelephonyEvent) => void, options: CallEventQueuesOptions = {}) {
    this.#apply = apply;
    this.#sliceMs = options.sliceMs ?? 50;
    this.#now = options.now ?? (() => performance.now());
    this.#onError = options.onError;
  }

  /** How many events wait to be applied. */
  get pending(): number {
    let count = 0;
    for (const queue of this.#queues.values()) count += queue.length;
    return count;
  }

  /** Queues events (each to its call's queue, in the given order) and applies what it can now. */
  enqueue(events: readonly TelephonyEvent[]): void {
    // The usual case, one event while nothing waits: applied at once, without a queue (no map entry, no array).
    if (events.length === 1 && !this.#running && !this.#scheduled && this.#queues.size === 0) {
      this.#applyAlone(events[0]!);
      return;
    }
    for (const event of events) {
      const queue = this.#queues.get(event.callId);
      if (queue === undefined) this.#queues.set(event.callId, [event]);
      else queue.push(event);
    }
    if (!this.#running && !this.#scheduled) this.#drain();
  }

  /** Resolves once every queued event has been applied. */
  idle(): Promise<void> {
    if (this.#queues.size === 0 && !this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #applyAlone(event: TelephonyEvent): void {
    this.#running = true;
    try {
      this.#apply(event);
    } catch (error) {
      this.#onError?.(error, event);
    } finally {
      this.#running = false;
    }
    // Events its subscribers dispatched meanwhile were queued: apply them now, as a turn would.
    if (this.#queues.size > 0) this.#drain();
    else if (this.#idleWaiters.length > 0) this.#wake();
  }

  #wake(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #drain(): void {
    this.#running = true;
    const started = this.#now();
    try {
      while (this.#queues.size > 0) {
        if (this.#now() - started > this.#sliceMs) {
          this.#scheduled = true;
          setImmediate(() => {
            this.#scheduled = false;
            if (!this.#running) this.#drain();
          });
          return;
        }
        const next = this.#queues.entries().next();
        if (next.done) break;
        const [callId, queue] = next.value;
        const event = queue.shift();
        this.#queues.delete(callId);
        if (queue.length > 0) this.#queues.set(callId, queue);
        if (event === undefined) continue;
        try {
          this.#apply(event);
        } catch (error) {
          this.#onError?.(error, event);
        }
      }
    } finally {
      this.#running = false;
    }
    this.#wake();
  }
}
