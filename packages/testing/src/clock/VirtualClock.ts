import type { Clock, TimerHandle } from '@switchboard/core';

interface VirtualTimer extends TimerHandle {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** The fixed instant a `VirtualClock` starts at unless told otherwise: 2025-01-01T00:00:00.000Z. */
export const virtualEpoch = Date.UTC(2025, 0, 1);

// Promise callbacks and `setImmediate` work (such as the in-memory backend's event dispatch) may chain a few
// macrotask turns; this many turns lets such chains settle between two timers.
const settleTurns = 10;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A deterministic `Clock` for tests: time stands still until `advance(ms)` or `runAll()` moves it, running due
 * timers in time order (ties in the order they were set) and letting promise callbacks run between them.
 *
 * @example
 * const clock = new VirtualClock();
 * const client = createTelephonyClient(new MemoryBackend({ clock }), { clock });
 * await clock.advance(5_000);
 */
export class VirtualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, VirtualTimer>();

  constructor(startAt: number = virtualEpoch) {
    this.#now = startAt;
  }

  /** Milliseconds since the epoch, as far as this clock has advanced. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` to run once the clock has advanced `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: VirtualTimer = { id: this.#nextId++, dueAt: this.#now + delay, callback };
    this.#timers.set(timer.id, timer);
    return timer;
  }

  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    const id = (handle as Partial<VirtualTimer>).id;
    if (id !== undefined) this.#timers.delete(id);
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way (including timers those timers
   * set), each at its own due time, with promise callbacks settling before and after each one.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('VirtualClock.advance needs a non-negative number');
    const target = this.#now + ms;
    await this.#settle();
    for (let timer = this.#nextDue(target); timer; timer = this.#nextDue(target)) {
      this.#timers.delete(timer.id);
      this.#now = Math.max(this.#now, timer.dueAt);
      timer.callback();
      await this.#settle();
    }
    this.#now = target;
    await this.#settle();
  }

  /** Runs timers until none is left (at most `limit` of them, to stop runaway loops), advancing time to each. */
  async runAll(limit = 10_000): Promise<void> {
    await this.#settle();
    for (let ran = 0; this.#timers.size > 0; ran++) {
      if (ran >= limit) throw new Error(`VirtualClock.runAll stopped after ${limit} timers`);
      const timer = this.#nextDue(Number.POSITIVE_INFINITY);
      if (!timer) break;
      this.#timers.delete(timer.id);
      this.#now = Math.max(this.#now, timer.dueAt);
      timer.callback();
      await this.#settle();
    }
  }

  #nextDue(until: number): VirtualTimer | undefined {
    let next: VirtualTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.dueAt > until) continue;
      if (!next || timer.dueAt < next.dueAt || (timer.dueAt === next.dueAt && timer.id < next.id))
        next = timer;
    }
    return next;
  }

  async #settle(): Promise<void> {
    for (let i = 0; i < settleTurns; i++) await nextTurn();
  }
}
