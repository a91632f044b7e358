import type { Clock, Logger, TimerHandle } from '@switchboard/core';

interface Schedule {
  timer: TimerHandle | undefined;
  readonly generation: number;
}

/**
 * Sends Graph's keep-alive for each established call on a fixed interval (Graph ends a call with 408/8537 when
 * none succeeds for 45 minutes; 15 minutes is recommended). The next one is scheduled after the previous one
 * settled, so a slow service never gets overlapping keep-alives.
 */
export class KeepAliveScheduler {
  readonly #schedules = new Map<string, Schedule>();
  #generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (callId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Starts keep-alives for a call (no-op if running). The first one goes out one interval from now. */
  start(callId: string): void {
    if (this.#schedules.has(callId)) return;
    const schedule: Schedule = { timer: undefined, generation: ++this.#generation };
    this.#schedules.set(callId, schedule);
    this.#arm(callId, schedule);
  }

  /** Whether keep-alives run for a call. */
  isRunning(callId: string): boolean {
    return this.#schedules.has(callId);
  }

  /** Stops a call's keep-alives. */
  stop(callId: string): void {
    const schedule = this.#schedules.get(callId);
    if (schedule === undefined) return;
    if (schedule.timer !== undefined) this.clock.clearTimeout(schedule.timer);
    this.#schedules.delete(callId);
  }

  /** Stops every call's keep-alives. */
  stopAll(): void {
    for (const callId of [...this.#schedules.keys()]) this.stop(callId);
  }

  #arm(callId: string, schedule: Schedule): void {
    schedule.timer = this.clock.setTimeout(() => {
      schedule.timer = undefined;
      this.send(callId)
        .catch((error: unknown) => {
          this.logger.warn('Graph keep-alive failed', {
            callId,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          if (this.#schedules.get(callId)?.generation === schedule.generation) this.#arm(callId, schedule);
        });
    }, this.intervalMs);
  }
}
