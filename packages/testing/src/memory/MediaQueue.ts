import type { Clock, DtmfTone, Identity, TelephonyEventFields, TelephonyEventType } from '@switchboard/core';
import type { PhoneParty } from '../simulation/PhoneParty.js';

/** What a media job of the in-memory backend can do on its call. */
export interface MediaContext {
  readonly clock: Clock;
  /** How long each prompt plays. */
  readonly promptDurationMs: number;
  /** Runs `callback` after `ms` (cancelled when the call ends); returns a canceller. */
  after(ms: number, callback: () => void): () => void;
  /** Dispatches an event of this call, asynchronously. */
  emit<T extends TelephonyEventType>(type: T, fields: TelephonyEventFields[T], operationId?: string): void;
  /** The parties in the call among `to` (all non-bot parties when absent); undefined if one of `to` is not in it. */
  listeners(to?: readonly Identity[]): PhoneParty[] | undefined;
  /** The party whose input to collect: `from`, or the only (first) non-bot party. */
  inputParty(from?: Identity): PhoneParty | undefined;
  /** A new id with this prefix. */
  nextId(prefix: string): string;
}

/** One play, recognize or record-response operation in a call's media queue. */
export interface MediaJob {
  readonly operationId: string;
  /** Starts; the job calls `onDone` when it ends by itself. */
  start(onDone: () => void): void;
  /** Cancels (cancelMedia, interrupt): reports the cancellation event. */
  cancel(): void;
  /** Stops without reporting anything (the call ended). */
  stop(): void;
  tone?(party: PhoneParty, tone: DtmfTone): void;
  speech?(party: PhoneParty, phrase: string): void;
}

/**
 * A call's media operations, run one at a time in order as ACS does; an interrupting play cancels the rest.
 */
export class MediaQueue {
  #active: MediaJob | undefined;
  readonly #waiting: MediaJob[] = [];

  constructor(private readonly after: (ms: number, callback: () => void) => () => void) {}

  enqueue(job: MediaJob, interrupt = false): void {
    if (interrupt) this.cancelAll();
    this.#waiting.push(job);
    this.#pump();
  }

  /** Cancels the running job and every waiting one. */
  cancelAll(): void {
    for (const job of this.#drain()) job.cancel();
  }

  /** Stops everything silently. */
  stopAll(): void {
    for (const job of this.#drain()) job.stop();
  }

  tone(party: PhoneParty, tone: DtmfTone): void {
    this.#active?.tone?.(party, tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    this.#active?.speech?.(party, phrase);
  }

  #drain(): MediaJob[] {
    const jobs = [...(this.#active ? [this.#active] : []), ...this.#waiting];
    this.#active = undefined;
    this.#waiting.length = 0;
    return jobs;
  }

  #pump(): void {
    if (this.#active) return;
    const next = this.#waiting.shift();
    if (!next) return;
    this.#active = next;
    this.after(0, () => {
      if (this.#active !== next) return;
      next.start(() => {
        if (this.#active !== next) return;
        this.#active = undefined;
        this.#pump();
      });
    });
  }
}
