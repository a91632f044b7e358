import type { DtmfTone, PlaySource } from '@switchboard/core';
import type { MediaContext, MediaJob, MediaParty } from './MediaJob.js';
import type { RecordResponseOutcome } from './MediaOutcome.js';
import { heardText } from './mediaSources.js';

const defaultMaxRecordSeconds = 10;

/** Options of a record-response job (Graph `recordResponse`). */
export interface RecordResponseJobOptions {
  readonly prompt?: PlaySource;
  readonly maxRecordDurationSeconds?: number;
  readonly stopTones?: readonly string[];
}

/**
 * A record-response: plays the prompt to the input party, then records until the party has said something,
 * pressed a stop tone, or the maximum duration passed (`completed`, with what ended it and how long it ran).
 */
export class RecordResponseJob implements MediaJob {
  #party: MediaParty | undefined;
  #startedAt: number | undefined;
  #ended = false;
  #onDone: (() => void) | undefined;
  readonly #cancels: (() => void)[] = [];

  constructor(
    private readonly context: MediaContext,
    readonly operationId: string,
    private readonly options: RecordResponseJobOptions,
    private readonly report: (outcome: RecordResponseOutcome) => void,
  ) {}

  start(onDone: () => void): void {
    if (this.#ended) return;
    this.#onDone = onDone;
    const party = this.context.inputParty();
    if (!party) {
      this.#end({ kind: 'failed', cause: 'notInCall' });
      return;
    }
    this.#party = party;
    if (this.options.prompt) party.hear(heardText(this.context, this.options.prompt));
    this.#cancels.push(this.context.after(this.context.promptDurationMs, () => this.#record()));
  }

  tone(party: MediaParty, tone: DtmfTone): void {
    if (party !== this.#party || this.#startedAt === undefined) return;
    if (this.options.stopTones?.includes(tone)) this.#finish('stopTone');
  }

  speech(party: MediaParty): void {
    if (party !== this.#party || this.#ended) return;
    this.#startedAt ??= this.context.clock.now();
    this.#finish('speech');
  }

  cancel(): void {
    if (this.#ended) return;
    this.stop();
    this.report({ kind: 'canceled' });
  }

  stop(): void {
    this.#ended = true;
    for (const cancel of this.#cancels.splice(0)) cancel();
  }

  #record(): void {
    if (this.#ended) return;
    this.#startedAt = this.context.clock.now();
    const maxMs = (this.options.maxRecordDurationSeconds ?? defaultMaxRecordSeconds) * 1_000;
    this.#cancels.push(this.context.after(maxMs, () => this.#finish('maxDuration')));
  }

  #finish(endedBy: 'speech' | 'stopTone' | 'maxDuration'): void {
    const now = this.context.clock.now();
    this.#end({ kind: 'completed', durationMs: now - (this.#startedAt ?? now), endedBy });
  }

  #end(outcome: RecordResponseOutcome): void {
    if (this.#ended) return;
    this.stop();
    this.report(outcome);
    this.#onDone?.();
  }
}
