import { type DtmfTone, describePlaySource, type PlaySource } from '@switchboard/core';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { MediaContext, MediaJob } from './MediaQueue.js';
import { memoryResults } from './memoryResults.js';

const defaultMaxRecordSeconds = 10;

/**
 * A record-response operation (Graph `recordResponse`): plays the prompt, then records until the party has said
 * something, pressed a stop tone, or the maximum duration passed. Canceling fails it with 8508, as Graph does.
 */
export class RecordResponseJob implements MediaJob {
  #party: PhoneParty | undefined;
  #startedAt: number | undefined;
  #ended = false;
  #onDone: (() => void) | undefined;
  readonly #cancels: (() => void)[] = [];

  constructor(
    private readonly context: MediaContext,
    readonly operationId: string,
    private readonly options: {
      readonly prompt?: PlaySource;
      readonly maxRecordDurationSeconds?: number;
      readonly stopTones?: readonly string[];
    },
  ) {}

  start(onDone: () => void): void {
    if (this.#ended) return;
    this.#onDone = onDone;
    const party = this.context.inputParty();
    if (!party) {
      this.#end(() =>
        this.context.emit('record.failed', { reason: memoryResults.notInCall }, this.operationId),
      );
      return;
    }
    this.#party = party;
    if (this.options.prompt) party.hear(describePlaySource(this.options.prompt));
    this.#cancels.push(this.context.after(this.context.promptDurationMs, () => this.#record()));
  }

  tone(party: PhoneParty, tone: DtmfTone): void {
    if (party !== this.#party || this.#startedAt === undefined) return;
    if (this.options.stopTones?.includes(tone)) this.#finish();
  }

  speech(party: PhoneParty): void {
    if (party !== this.#party || this.#ended) return;
    this.#startedAt ??= this.context.clock.now();
    this.#finish();
  }

  cancel(): void {
    if (this.#ended) return;
    this.stop();
    this.context.emit('record.failed', { reason: memoryResults.canceled }, this.operationId);
  }

  stop(): void {
    this.#ended = true;
    for (const cancel of this.#cancels.splice(0)) cancel();
  }

  #record(): void {
    if (this.#ended) return;
    this.#startedAt = this.context.clock.now();
    const maxMs = (this.options.maxRecordDurationSeconds ?? defaultMaxRecordSeconds) * 1_000;
    this.#cancels.push(this.context.after(maxMs, () => this.#finish()));
  }

  #finish(): void {
    const durationMs = this.context.clock.now() - (this.#startedAt ?? this.context.clock.now());
    const recordingLocation = `https://memory.invalid/recordings/${this.context.nextId('recording')}.wav`;
    this.#end(() =>
      this.context.emit(
        'record.completed',
        { recordingLocation, durationMs, reason: memoryResults.completed },
        this.operationId,
      ),
    );
  }

  #end(report: () => void): void {
    if (this.#ended) return;
    this.stop();
    report();
    this.#onDone?.();
  }
}
