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
  /** A recognize: it is given the tones typed ahead while no recognize listened. */
  readonly takesTypeAhead?: boolean;
}

/** How long a tone pressed while no recognize listens is kept for the next one. */
export const typeAheadMs = 5_000;
const maxTypeAhead = 32;

interface TypedTone {
  readonly party: PhoneParty;
  readonly tone: DtmfTone;
  readonly at: number;
}

/**
 * A call's media operations, run one at a time in order as ACS does; an interrupting play cancels the rest.
 *
 * Type-ahead: a tone pressed while no recognize listens (during a plain play, or between operations) is kept for
 * `typeAheadMs` and given to the next recognize, as if pressed when it started. A simulated caller presses the
 * moment a prompt begins (`waitToHear` resolves as the prompt starts), long before a person would, while a bot
 * written as `await play(); await recognizeDtmf()` is still moving from the play to the recognize; without
 * type-ahead that digit would be lost in tests, though a person pressing after the prompt reaches the recognize.
 * (Microsoft's earlier UCMA platform keeps type-ahead by default, `PreFlushDtmf` false; ACS documents no
 * buffering, so bots that must not miss an early key give the prompt to `recognizeDtmf` itself.)
 */
export class MediaQueue {
  #active: MediaJob | undefined;
  readonly #waiting: MediaJob[] = [];
  #typeAhead: TypedTone[] = [];

  constructor(
    private readonly after: (ms: number, callback: () => void) => () => void,
    private readonly now: () => number = Date.now,
  ) {}

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

  /** A party pressed a key: the running job hears it, or it is typed ahead for the next recognize. */
  tone(party: PhoneParty, tone: DtmfTone, options: { readonly typeAhead?: boolean } = {}): void {
    const active = this.#active;
    if (active?.takesTypeAhead) {
      active.tone?.(party, tone);
      return;
    }
    active?.tone?.(party, tone);
    if (options.typeAhead === false) return;
    this.#typeAhead.push({ party, tone, at: this.now() });
    if (this.#typeAhead.length > maxTypeAhead) this.#typeAhead.shift();
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
      if (next.takesTypeAhead) this.#replayTypeAhead(next);
    });
  }

  #replayTypeAhead(job: MediaJob): void {
    const since = this.now() - typeAheadMs;
    const typed = this.#typeAhead.filter((entry) => entry.at >= since);
    this.#typeAhead = [];
    for (const entry of typed) {
      if (this.#active !== job) return;
      job.tone?.(entry.party, entry.tone);
    }
  }
}
