import type { Clock, Logger, TimerHandle } from '@switchboard/core';

/**
 * Sends Graph's keep-alive for each established call on a fixed interval (Graph ends a call with 408/8537 when
 * none succeeds for 45 minutes; 15 minutes is recommended). The next one is scheduled after the previous one
 * settled, so a slow service never gets overlapping keep-alives.
 *
 * One timer serves every call: a call costs one map entry, not a timer and its closure. Each call is due one
 * interval after it was (re)armed, so the calls' insertion order is their due order and the timer always waits
 * for the first of them.
 */
export class KeepAliveScheduler {
  // The calls waiting for their next keep-alive, in due order: callId → when it is due.
  readonly #due = new Map<string, number>();
  // The calls whose keep-alive is in flight: callId → the start it belongs to (a stop and start while it is in
  // flight must not arm the call twice).
  readonly #sending = new Map<string, number>();
  #generation = 0;
  #timer: TimerHandle | undefined;
  #timerDue = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (callId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Starts keep-alives for a call (no-op if running). The first one goes out one interval from now. */
  start(callId: string): void {
    if (this.isRunning(callId)) return;
    this.#due.set(callId, this.clock.now() + this.intervalMs);
    this.#arm();
  }

  /** Whether keep-alives run for a call. */
  isRunning(callId: string): boolean {
    return this.#due.has(callId) || this.#sending.has(callId);
  }

  /** Stops a call's keep-alives. */
  stop(callId: string): void {
    this.#due.delete(callId);
    this.#sending.delete(callId);
    if (this.#due.size === 0) this.#disarm();
  }

  /** Stops every call's keep-alives. */
  stopAll(): void {
    this.#due.clear();
    this.#sending.clear();
    this.#disarm();
  }

  /** Arms the timer for the first call due, unless it is armed for that time already. */
  #arm(): void {
    const first = this.#due.values().next();
    if (first.done === true) return;
    if (this.#timer !== undefined && this.#timerDue <= first.value) return;
    this.#disarm();
    this.#timerDue = first.value;
    this.#timer = this.clock.setTimeout(() => this.#fire(), Math.max(0, first.value - this.clock.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.clock.now();
    for (const [callId, due] of this.#due) {
      if (due > now) break;
      this.#due.delete(callId);
      const generation = ++this.#generation;
      this.#sending.set(callId, generation);
      this.send(callId)
        .catch((error: unknown) => {
          this.logger.warn('Graph keep-alive failed', {
            callId,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          if (this.#sending.get(callId) !== generation) return;
          this.#sending.delete(callId);
          this.#due.set(callId, this.clock.now() + this.intervalMs);
          this.#arm();
        });
    }
    this.#arm();
  }
}
