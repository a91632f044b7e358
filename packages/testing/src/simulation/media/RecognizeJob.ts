import {
  type DtmfCollectionOutcome,
  DtmfCollector,
  type DtmfTone,
  dtmfResults,
  type PlaySource,
  type RecognizeOptions,
  type RecognizeResult,
} from '@switchboard/core';
import type { MediaContext, MediaJob, MediaParty } from './MediaJob.js';
import { MediaJobBase } from './MediaJobBase.js';
import type { RecognizeMatch, RecognizeOutcome } from './MediaOutcome.js';
import { firstUnplayable, heardText, normalizePhrase } from './mediaSources.js';

const defaultInitialSilenceMs = 5_000;

type RecognizeFailed = Extract<RecognizeOutcome, { kind: 'failed' }>;

/**
 * A recognize: plays its prompts to the input party in turn, then listens. DTMF goes through core's
 * `DtmfCollector` (ACS semantics); choices match a said phrase (whole words, any case) or a choice's tone; speech
 * takes what the party says. Input during the prompt interrupts it unless `interruptPrompt` is false, in which
 * case it is not heard. A prompt the context cannot play fails it with `promptFailed` and the prompt's index.
 */
export class RecognizeJob extends MediaJobBase<RecognizeOutcome> implements MediaJob {
  #party: MediaParty | undefined;
  #collector: DtmfCollector | undefined;
  #listening = false;
  #onDone: (() => void) | undefined;
  readonly #prompts: readonly PlaySource[];
  readonly takesTypeAhead = true;

  /** `prompts` replaces `options.prompt` when a service takes several (ACS `playPrompts`). */
  constructor(
    context: MediaContext,
    operationId: string,
    private readonly options: RecognizeOptions,
    report: (outcome: RecognizeOutcome) => void,
    prompts?: readonly PlaySource[],
  ) {
    super(context, operationId, report);
    this.#prompts = prompts ?? (options.prompt ? [options.prompt] : []);
  }

  start(onDone: () => void): void {
    if (this.ended) return;
    this.#onDone = onDone;
    const party = this.context.inputParty(this.options.from);
    if (!party) {
      this.#end({ kind: 'failed', cause: 'notInCall' });
      return;
    }
    const failedSourceIndex = firstUnplayable(this.context, this.#prompts);
    if (failedSourceIndex !== undefined) {
      this.#end({ kind: 'failed', cause: 'promptFailed', failedSourceIndex });
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
    this.#prompt(party, 0);
  }

  tone(party: MediaParty, tone: DtmfTone): void {
    if (!this.#accepts(party)) return;
    const { options } = this;
    if (options.kind === 'choices') {
      const choice = options.choices.find((candidate) => candidate.tone === tone);
      if (choice) this.#complete({ kind: 'choice', label: choice.label }, 'choiceTone');
      else this.#end({ kind: 'failed', cause: 'noMatch', input: 'tone' });
      return;
    }
    this.#collector?.push(tone);
  }

  speech(party: MediaParty, phrase: string): void {
    if (!this.#accepts(party)) return;
    const { options } = this;
    if (options.kind === 'dtmf') return;
    if (options.kind === 'choices') {
      const said = ` ${normalizePhrase(phrase)} `;
      for (const choice of options.choices) {
        const matched = choice.phrases.find((candidate) => said.includes(` ${normalizePhrase(candidate)} `));
        if (matched !== undefined) {
          this.#complete({ kind: 'choice', label: choice.label, phrase: matched }, 'choicePhrase');
          return;
        }
      }
      this.#end({ kind: 'failed', cause: 'noMatch', input: 'phrase' });
      return;
    }
    this.#complete({ kind: 'speech', text: phrase, confidence: 1 }, 'speech');
  }

  protected override onStop(): void {
    this.#collector?.cancel();
  }

  #prompt(party: MediaParty, index: number): void {
    if (this.ended || this.#listening) return;
    const prompt = this.#prompts[index];
    if (!prompt) {
      this.#listen();
      return;
    }
    party.hear(heardText(this.context, prompt));
    this.after(this.context.promptDurationMs, () => this.#prompt(party, index + 1));
  }

  #accepts(party: MediaParty): boolean {
    if (this.ended || party !== this.#party) return false;
    if (this.#listening) return true;
    if (this.options.interruptPrompt === false) return false;
    this.cancelTimers();
    this.#listening = true;
    return true;
  }

  #listen(): void {
    if (this.ended || this.#listening) return;
    this.#listening = true;
    if (this.#collector) {
      this.#collector.start();
      return;
    }
    const silenceMs = this.options.initialSilenceTimeoutMs ?? defaultInitialSilenceMs;
    this.after(silenceMs, () => this.#end({ kind: 'failed', cause: 'noInput' }));
  }

  #collected(outcome: DtmfCollectionOutcome): void {
    const { tones, reason } = outcome;
    if (outcome.kind === 'completed') {
      this.#complete(
        { kind: 'dtmf', tones },
        reason.subcode === dtmfResults.stopTone.subcode ? 'stopTone' : 'maxTones',
      );
      return;
    }
    const cause: RecognizeFailed['cause'] =
      reason.subcode === dtmfResults.interToneSilence.subcode ? 'interToneTimeout' : 'noInput';
    this.#end({ kind: 'failed', cause, tones });
  }

  #complete(result: RecognizeResult, match: RecognizeMatch): void {
    this.#end({ kind: 'completed', result, match });
  }

  #end(outcome: RecognizeOutcome): void {
    if (this.ended) return;
    this.stop();
    this.report(outcome);
    this.#onDone?.();
  }
}
