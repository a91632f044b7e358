import type { Clock, DtmfCollectionOutcome, DtmfTone, ResultInfo, TimerHandle } from '@switchboard/core';
import { DtmfCollector, dtmfResults } from '@switchboard/core';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import { acsToneName } from './acsToneName.js';
import type { MediaOperation } from './MediaQueue.js';
import type { OperationEmitter } from './PlayOperation.js';
import { canceledResult } from './PlayOperation.js';

/** What a recognize request asks for, read from its body. */
export interface RecognizeSpec {
  readonly inputType: 'dtmf' | 'speech' | 'speechOrDtmf' | 'choices';
  /** Prompts as the party hears them. */
  readonly prompts: readonly string[];
  /** Raw id of the participant whose input counts. */
  readonly targetRawId: string;
  readonly interruptPrompt: boolean;
  readonly initialSilenceTimeoutMs: number;
  readonly maxTones: number;
  readonly stopTones: readonly DtmfTone[];
  readonly interToneTimeoutMs: number;
  readonly choices: readonly {
    readonly label: string;
    readonly phrases: readonly string[];
    readonly tone?: DtmfTone;
  }[];
}

const results = {
  choiceByTone: { code: 200, subCode: 8533, message: 'Action completed, DTMF option matched.' },
  choiceBySpeech: { code: 200, subCode: 8545, message: 'Action completed, speech option matched.' },
  speech: { code: 200, subCode: 8546, message: 'Action completed, speech recognized.' },
  wrongTone: { code: 400, subCode: 8534, message: 'Action failed, incorrect tone entered.' },
  noChoiceMatched: { code: 400, subCode: 8547, message: 'Action failed, speech option not matched.' },
};

function wire(reason: ResultInfo): { code: number; subCode: number; message: string } {
  return { code: reason.code, subCode: reason.subcode, message: reason.message };
}

function normalize(phrase: string): string {
  return phrase
    .trim()
    .toLowerCase()
    .replace(/[.!?,]+$/g, '');
}

/**
 * A recognize: the prompts are heard by the target, then input is collected with ACS's semantics (DTMF through
 * core's `DtmfCollector`, choices by tone or phrase, free speech), ending in RecognizeCompleted or RecognizeFailed.
 */
export class RecognizeOperation implements MediaOperation {
  readonly kind = 'recognize';
  #timers: TimerHandle[] = [];
  #collector: DtmfCollector | undefined;
  #listening = false;
  #finished = false;
  #done: (() => void) | undefined;

  constructor(
    readonly spec: RecognizeSpec,
    private readonly listener: () => PhoneParty | undefined,
    private readonly options: {
      readonly promptDurationMs: number;
      readonly clock: Clock;
      readonly emit: OperationEmitter;
    },
  ) {}

  start(done: () => void): void {
    this.#done = done;
    const { clock, promptDurationMs } = this.options;
    if (this.spec.inputType === 'dtmf' || this.spec.inputType === 'speechOrDtmf') {
      this.#collector = new DtmfCollector(
        {
          maxTones: this.spec.maxTones,
          stopTones: this.spec.stopTones,
          interToneTimeoutMs: this.spec.interToneTimeoutMs,
          initialSilenceTimeoutMs: this.spec.initialSilenceTimeoutMs,
        },
        clock,
        (outcome) => this.#collected(outcome),
      );
    }
    this.spec.prompts.forEach((prompt, index) => {
      if (index === 0) this.#hear(prompt);
      else this.#timers.push(clock.setTimeout(() => this.#hear(prompt), index * promptDurationMs));
    });
    if (this.spec.prompts.length === 0) this.#listen();
    else
      this.#timers.push(clock.setTimeout(() => this.#listen(), this.spec.prompts.length * promptDurationMs));
  }

  /** A tone from the target participant. */
  tone(tone: DtmfTone): void {
    if (this.#finished) return;
    if (this.spec.inputType === 'choices') {
      const choice = this.spec.choices.find((c) => c.tone === tone);
      if (choice)
        this.#complete(
          { recognitionType: 'choices', choiceResult: { label: choice.label } },
          results.choiceByTone,
        );
      else this.#fail(results.wrongTone);
      return;
    }
    if (!this.#collector) return;
    if (!this.#listening && this.spec.interruptPrompt) this.#listen();
    this.#collector.push(tone);
  }

  /** A phrase from the target participant. */
  say(phrase: string): void {
    if (this.#finished) return;
    if (this.spec.inputType === 'choices') {
      const said = normalize(phrase);
      const choice = this.spec.choices.find((c) =>
        c.phrases.some((p) => normalize(p) === said || said.includes(normalize(p))),
      );
      if (choice) {
        this.#complete(
          {
            recognitionType: 'choices',
            choiceResult: { label: choice.label, recognizedPhrase: phrase, confidence: 0.95 },
          },
          results.choiceBySpeech,
        );
      } else {
        this.#fail(results.noChoiceMatched);
      }
    } else if (this.spec.inputType === 'speech' || this.spec.inputType === 'speechOrDtmf') {
      this.#complete(
        { recognitionType: 'speech', speechResult: { speech: phrase, confidence: 0.95 } },
        results.speech,
      );
    }
  }

  cancel(): void {
    if (!this.#finish()) return;
    this.options.emit('RecognizeCanceled', { resultInformation: canceledResult });
  }

  stop(): void {
    this.#finish();
  }

  #hear(prompt: string): void {
    if (this.#finished || this.#listening) return;
    this.listener()?.hear(prompt);
  }

  #listen(): void {
    if (this.#finished || this.#listening) return;
    this.#listening = true;
    for (const timer of this.#timers) this.options.clock.clearTimeout(timer);
    this.#timers = [];
    if (this.#collector) {
      this.#collector.start();
    } else {
      this.#timers.push(
        this.options.clock.setTimeout(
          () => this.#fail(dtmfResults.initialSilence),
          this.spec.initialSilenceTimeoutMs,
        ),
      );
    }
  }

  #collected(outcome: DtmfCollectionOutcome): void {
    if (outcome.kind === 'completed') {
      const tones = [...outcome.tones].map((tone) => acsToneName(tone as DtmfTone));
      this.#complete({ recognitionType: 'dtmf', dtmfResult: { tones } }, outcome.reason);
    } else {
      this.#fail(outcome.reason);
    }
  }

  #complete(fields: Record<string, unknown>, reason: ResultInfo | ReturnType<typeof wire>): void {
    if (!this.#finish()) return;
    this.options.emit('RecognizeCompleted', {
      ...fields,
      resultInformation: 'subcode' in reason ? wire(reason) : reason,
    });
    this.#done?.();
  }

  #fail(reason: ResultInfo | ReturnType<typeof wire>): void {
    if (!this.#finish()) return;
    this.options.emit('RecognizeFailed', { resultInformation: 'subcode' in reason ? wire(reason) : reason });
    this.#done?.();
  }

  #finish(): boolean {
    if (this.#finished) return false;
    this.#finished = true;
    this.#collector?.cancel();
    for (const timer of this.#timers) this.options.clock.clearTimeout(timer);
    this.#timers = [];
    return true;
  }
}
