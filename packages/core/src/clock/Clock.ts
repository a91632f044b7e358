/** A timer handle returned by a `Clock`. */
export interface TimerHandle {
  readonly __timer?: never;
}

/**
 * Time as the library sees it. The system clock is the default; tests inject a virtual one
 * (`VirtualClock` from `@switchboard/testing`) so timeouts run without real waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and Node timers that do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};
