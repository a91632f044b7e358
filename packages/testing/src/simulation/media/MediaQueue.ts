import type { DtmfTone } from '@switchboard/core';
import type { MediaJob, MediaParty } from './MediaJob.js';

/** How long a tone pressed while no recognize listens is kept for the next one, by default. */
export const typeAheadMs = 5_000;
const defaultMaxTypeAhead = 32;

/** Options of a call's media queue. */
export interface MediaQueueOptions {
  /** Runs `callback` after `ms` (0: on a later turn, never synchronously); returns a canceller. */
  readonly after: (ms: number, callback: () => void) => () => void;
  /** The clock's time in ms (type-ahead ages by it). */
  readonly now: () => number;
  /**
   * Keep tones pressed while no recognize listens for the next recognize (off unless given). `keepMs` defaults to
   * `typeAheadMs`, `max` (the most tones kept) to 32.
   */
  readonly typeAhead?: { readonly keepMs?: number; readonly max?: number };
  /**
   * What an interrupting job cancels: `all` (the running job and every waiting one, the default) or `running`
   * (only the running one; the interrupting job then runs before the waiting ones).
   */
  readonly interruptCancels?: 'all' | 'running';
}

interface TypedTone {
  readonly party: MediaParty;
  readonly tone: DtmfTone;
  readonly at: number;
}

/**
 * A call's media operations, run one at a time in request order, as ACS does. An interrupting job cancels the
 * running one (and, by default, the waiting ones); `cancelAll` cancels everything, each job reporting its
 * `canceled` outcome; `stopAll` drops everything silently (the call ended).
 *
 * Type-ahead (an option): a tone pressed while no recognize listens (during a plain play, or between operations)
 * is kept for `keepMs` and given to the next recognize, as if pressed when it started. A simulated caller presses
 * the moment a prompt begins, long before a person would, while a bot written as `await play(); await
 * recognizeDtmf()` is still moving from the play to the recognize; without type-ahead that digit would be lost.
 * (Microsoft's earlier UCMA platform keeps type-ahead by default, `PreFlushDtmf` false; ACS documents no
 * buffering, so bots that must not miss an early key give the prompt to `recognizeDtmf` itself.)
 */
export class MediaQueue {
  #active: MediaJob | undefined;
  readonly #waiting: MediaJob[] = [];
  #typeAhead: TypedTone[] = [];

  constructor(private readonly options: MediaQueueOptions) {}

  /** The job running now. */
  get active(): MediaJob | undefined {
    return this.#active;
  }

  /** Queues a job; with `interrupt`, it cancels what `interruptCancels` says first. */
  enqueue(job: MediaJob, interrupt = false): void {
    if (interrupt && this.options.interruptCancels === 'running') {
      const running = this.#active;
      this.#active = undefined;
      running?.cancel();
      this.#waiting.unshift(job);
    } else {
      if (interrupt) this.cancelAll();
      this.#waiting.push(job);
    }
    this.#pump();
  }

  /** Cancels the running job and every waiting one, each reporting `canceled`. */
  cancelAll(): void {
    for (const job of this.#drain()) job.cancel();
  }

  /** Stops everything silently. */
  stopAll(): void {
    for (const job of this.#drain()) job.stop();
  }

  /**
   * A party pressed a key: the running job hears it; unless a recognize took it, it is typed ahead for the next
   * recognize (when type-ahead is on and `typeAhead` is not false, e.g. the bot already had it as continuous DTMF).
   */
  tone(party: MediaParty, tone: DtmfTone, options: { readonly typeAhead?: boolean } = {}): void {
    const active = this.#active;
    active?.tone?.(party, tone);
    if (active?.takesTypeAhead) return;
    const keep = this.options.typeAhead;
    if (!keep || options.typeAhead === false) return;
    this.#typeAhead.push({ party, tone, at: this.options.now() });
    if (this.#typeAhead.length > (keep.max ?? defaultMaxTypeAhead)) this.#typeAhead.shift();
  }

  /** A party said a phrase: the running job hears it. */
  speech(party: MediaParty, phrase: string): void {
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
    this.options.after(0, () => {
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
    const keep = this.options.typeAhead;
    const typed = this.#typeAhead;
    this.#typeAhead = [];
    if (!keep) return;
    const since = this.options.now() - (keep.keepMs ?? typeAheadMs);
    for (const entry of typed) {
      if (this.#active !== job) return;
      if (entry.at >= since) job.tone?.(entry.party, entry.tone);
    }
  }
}
