import type { DtmfTone, PlaySource } from '@switchboard/core';
import type { MediaContext, MediaJob, MediaParty } from './MediaJob.js';
import { MediaJobBase } from './MediaJobBase.js';
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
export class RecordResponseJob extends MediaJobBase<RecordResponseOutcome> implements MediaJob {
  #party: MediaParty | undefined;
  #startedAt: number | undefined;
  #onDone: (() => void) | undefined;

  constructor(
    context: MediaContext,
    operationId: string,
    private readonly options: RecordResponseJobOptions,
    report: (outcome: RecordResponseOutcome) => void,
  ) {
    super(context, operationId, report);
  }

  start(onDone: () => void): void {
    if (this.ended) return;
    this.#onDone = onDone;
    const party = this.context.inputParty();
    if (!party) {
      this.#end({ kind: 'failed', cause: 'notInCall' });
      return;
    }
    this.#party = party;
    if (this.options.prompt) party.hear(heardText(this.context, this.options.prompt));
    this.after(this.context.promptDurationMs, () => this.#record());
  }

  tone(party: MediaParty, tone: DtmfTone): void {
    if (party !== this.#party || this.#startedAt === undefined) return;
    if (this.options.stopTones?.includes(tone)) this.#finish('stopTone');
  }

  speech(party: MediaParty): void {
    if (party !== this.#party || this.ended) return;
    this.#startedAt ??= this.context.clock.now();
    this.#finish('speech');
  }

  #record(): void {
    if (this.ended) return;
    this.#startedAt = this.context.clock.now();
    const maxMs = (this.options.maxRecordDurationSeconds ?? defaultMaxRecordSeconds) * 1_000;
    this.after(maxMs, () => this.#finish('maxDuration'));
  }

  #finish(endedBy: 'speech' | 'stopTone' | 'maxDuration'): void {
    const now = this.context.clock.now();
    this.#end({ kind: 'completed', durationMs: now - (this.#startedAt ?? now), endedBy });
  }

  #end(outcome: RecordResponseOutcome): void {
    if (this.ended) return;
    this.stop();
    this.report(outcome);
    this.#onDone?.();
  }
}
