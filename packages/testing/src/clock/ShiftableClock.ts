import { type Clock, systemClock, type TimerHandle } from '@switchboard/core';

/**
 * The system clock moved forward on demand: `now()` is real time plus the shift, timers run in real time. For
 * end-to-end tests that must see a day pass (key staleness) while servers and sockets keep real time.
 *
 * @example
 * const clock = new ShiftableClock();
 * const backend = new AcsBackend({ ...options, clock });
 * clock.shift(25 * 3_600_000);
 */
export class ShiftableClock implements Clock {
  #offsetMs = 0;

  /** Real time plus every shift so far. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Moves the clock forward by `ms`. */
  shift(ms: number): void {
    this.#offsetMs += ms;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return systemClock.setTimeout(callback, ms);
  }

  clearTimeout(handle: TimerHandle): void {
    systemClock.clearTimeout(handle);
  }
}
