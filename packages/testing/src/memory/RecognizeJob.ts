import {
  type DtmfCollectionOutcome,
  DtmfCollector,
  type DtmfTone,
  describePlaySource,
  dtmfResults,
  type RecognizeOptions,
  type RecognizeResult,
  type ResultInfo,
} from '@switchboard/core';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { MediaContext, MediaJob } from './MediaQueue.js';
import { memoryResults } from './memoryResults.js';

const defaultInitialSilenceMs = 5_000;

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A recognize operation: plays its prompt to the input party, then listens. DTMF goes through core's
 * `DtmfCollector` (ACS semantics); choices match a said phrase (whole words, any case) or a choice's tone; speech
 * takes what the party says.
 */
export class RecognizeJob implements MediaJob {
  #party: PhoneParty | undefined;
  #collector: DtmfCollector | undefined;
  #listening = false;
  #ended = false;
  #onDone: (() => void) | undefined;
  readonly #cancels: (() => void)[] = [];
  readonly takesTypeAhead = true;

  constructor(
    private readonly context: MediaContext,
    readonly operationId: string,
    private readonly options: RecognizeOptions,
  ) {}

  start(onDone: () => void): void {
    if (this.#ended) return;
    this.#onDone = onDone;
    const party = this.context.inputParty(this.options.from);
    if (!party) {
      this.#fail(memoryResults.notInCall);
      return;
    }
    this.#party = party;
    const { options } = this;
    if (options.kind === 'dtmf' || options.kind === 'speechOrDtmf') {
      this.#collector = new DtmfCollector(
        {
          ...(options.maxTones !== undefined ? { maxTones: options.maxTones } : {}),
          ...(options.stopTones !== undefined ? { stopTones: options.stopTones } : {}),
          ...(options.interToneTimeoutMs !== undefined
            ? { interToneTimeoutMs: options.interToneTimeoutMs }
            : {}),
          initialSilenceTimeoutMs: options.initialSilenceTimeoutMs ?? defaultInitialSilenceMs,
        },
        this.context.clock,
        (outcome) => this.#collected(outcome),
      );
    }
    if (options.prompt) {
      party.hear(describePlaySource(options.prompt));
      this.#cancels.push(this.context.after(this.context.promptDurationMs, () => this.#listen()));
    } else {
      this.#listen();
    }
  }

  tone(party: PhoneParty, tone: DtmfTone): void {
    if (!this.#accepts(party)) return;
    const { options } = this;
    if (options.kind === 'choices') {
      const choice = options.choices.find((candidate) => candidate.tone === tone);
      if (choice) this.#complete({ kind: 'choice', label: choice.label }, memoryResults.dtmfOptionMatched);
      else this.#fail(memoryResults.wrongTone);
      return;
    }
    this.#collector?.push(tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    if (!this.#accepts(party)) return;
    const { options } = this;
    if (options.kind === 'dtmf') return;
    if (options.kind === 'choices') {
      const said = ` ${normalize(phrase)} `;
      for (const choice of options.choices) {
        const matched = choice.phrases.find((candidate) => said.includes(` ${normalize(candidate)} `));
        if (matched !== undefined) {
          this.#complete(
            { kind: 'choice', label: choice.label, phrase: matched },
            memoryResults.speechOptionMatched,
          );
          return;
        }
      }
      this.#fail(memoryResults.noMatch);
      return;
    }
    this.#complete({ kind: 'speech', text: phrase, confidence: 1 }, memoryResults.speechRecognized);
  }

  cancel(): void {
    if (this.#ended) return;
    this.stop();
    this.context.emit('recognize.canceled', { reason: memoryResults.canceled }, this.operationId);
  }

  stop(): void {
    this.#ended = true;
    this.#collector?.cancel();
    for (const cancel of this.#cancels.splice(0)) cancel();
  }

  // Input during the prompt interrupts it unless `interruptPrompt` is false, in which case it is not heard.
  #accepts(party: PhoneParty): boolean {
    if (this.#ended || party !== this.#party) return false;
    if (this.#listening) return true;
    if (this.options.interruptPrompt === false) return false;
    for (const cancel of this.#cancels.splice(0)) cancel();
    this.#listening = true;
    return true;
  }

  #listen(): void {
    if (this.#ended || this.#listening) return;
    this.#listening = true;
    if (this.#collector) {
      this.#collector.start();
      return;
    }
    const silenceMs = this.options.initialSilenceTimeoutMs ?? defaultInitialSilenceMs;
    this.#cancels.push(this.context.after(silenceMs, () => this.#fail(dtmfResults.initialSilence)));
  }

  #collected(outcome: DtmfCollectionOutcome): void {
    if (outcome.kind === 'completed') this.#complete({ kind: 'dtmf', tones: outcome.tones }, outcome.reason);
    else this.#fail(outcome.reason);
  }

  #complete(result: RecognizeResult, reason: ResultInfo): void {
    if (this.#ended) return;
    this.stop();
    this.context.emit('recognize.completed', { result, reason }, this.operationId);
    this.#onDone?.();
  }

  #fail(reason: ResultInfo): void {
    if (this.#ended) return;
    this.stop();
    this.context.emit('recognize.failed', { reason }, this.operationId);
    this.#onDone?.();
  }
}
