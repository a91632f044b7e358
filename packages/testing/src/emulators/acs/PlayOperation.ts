import type { Clock, TimerHandle } from '@switchboard/core';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { MediaOperation } from './MediaQueue.js';

/** Emits one callback of a media operation, carrying the operation's context. */
export type OperationEmitter = (type: string, fields: Record<string, unknown>) => void;

/** Result information ACS reports on a canceled media operation. */
export const canceledResult = {
  code: 400,
  subCode: 8508,
  message: 'Action failed, the operation was canceled.',
};

/**
 * A play: PlayStarted, each source heard by the listeners for `promptDurationMs`, then PlayCompleted; a looping
 * play repeats until canceled.
 */
export class PlayOperation implements MediaOperation {
  readonly kind = 'play';
  #timers: TimerHandle[] = [];
  #finished = false;

  constructor(
    private readonly sources: readonly string[],
    private readonly listeners: () => readonly PhoneParty[],
    private readonly options: {
      readonly loop: boolean;
      readonly promptDurationMs: number;
      readonly clock: Clock;
      readonly emit: OperationEmitter;
    },
  ) {}

  // PlayStarted comes a moment after the request (flow 11); a play canceled before then reports only
  // PlayCanceled (flow 10).
  start(done: () => void): void {
    this.#timers.push(
      this.options.clock.setTimeout(
        () => {
          if (this.#finished) return;
          this.options.emit('PlayStarted', {
            resultInformation: { code: 200, subCode: 0, message: 'Action completed successfully.' },
          });
          this.#round(true, done);
        },
        Math.max(1, this.options.promptDurationMs),
      ),
    );
  }

  cancel(): void {
    if (!this.#finish()) return;
    this.options.emit('PlayCanceled', { resultInformation: canceledResult });
  }

  stop(): void {
    this.#finish();
  }

  #round(first: boolean, done: () => void): void {
    const { clock, promptDurationMs } = this.options;
    this.sources.forEach((source, index) => {
      // A looping prompt is heard once: the party's transcript should not grow without bound.
      if (!first) return;
      if (index === 0) this.#hear(source);
      else this.#timers.push(clock.setTimeout(() => this.#hear(source), index * promptDurationMs));
    });
    this.#timers.push(
      clock.setTimeout(
        () => {
          if (this.#finished) return;
          if (this.options.loop) {
            this.#timers = [];
            this.#round(false, done);
            return;
          }
          this.#finish();
          this.options.emit('PlayCompleted', {
            resultInformation: { code: 200, subCode: 0, message: 'Action completed successfully.' },
          });
          done();
        },
        Math.max(1, this.sources.length * promptDurationMs),
      ),
    );
  }

  #hear(source: string): void {
    if (this.#finished) return;
    for (const party of this.listeners()) party.hear(source);
  }

  #finish(): boolean {
    if (this.#finished) return false;
    this.#finished = true;
    for (const timer of this.#timers) this.options.clock.clearTimeout(timer);
    this.#timers = [];
    return true;
  }
}
