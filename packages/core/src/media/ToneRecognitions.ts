import type { Clock } from '../clock/Clock.js';
import type { DtmfTone } from '../events/DtmfTone.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { BackendName, TelephonyEvent } from '../events/TelephonyEvent.js';
import { type DtmfCollectionOutcome, DtmfCollector } from './DtmfCollector.js';
import { recognizeFailureOf } from './RecognizeFailure.js';
import type { RecognizeOptions } from './RecognizeOptions.js';

/** The DTMF recognize options (the only kind that can be built on tones). */
export type DtmfRecognizeOptions = Extract<RecognizeOptions, { kind: 'dtmf' }>;

interface Recognition {
  readonly operationId: string;
  readonly collector: DtmfCollector;
  readonly interruptPrompt: boolean;
  promptPending: boolean;
}

/**
 * DTMF recognition built on a call's tone stream, for backends with the `recognize.fromTones` trait (Graph's
 * subscribe-to-tone delivers single tones): one `DtmfCollector` per recognize operation, started when its prompt
 * has finished (or at once without a prompt), fed the call's tones, and reporting `recognize.completed` /
 * `recognize.failed` / `recognize.canceled` with the operation's `operationId` through `emit`, with the result
 * codes ACS uses, so every backend reads the same.
 */
export class ToneRecognitions {
  readonly #byOperation = new Map<string, Recognition>();

  constructor(
    private readonly call: { readonly backend: BackendName; readonly callId: string },
    private readonly clock: Clock,
    private readonly emit: (event: TelephonyEvent) => void,
  ) {}

  /** Registers a recognition; it listens once `listen()` is called (after the prompt) or a tone barges in. */
  begin(operationId: string, options: DtmfRecognizeOptions): void {
    this.drop(operationId);
    const withPrompt = options.prompt !== undefined;
    const collector = new DtmfCollector(
      {
        ...(options.maxTones !== undefined ? { maxTones: options.maxTones } : {}),
        ...(options.stopTones !== undefined ? { stopTones: options.stopTones } : {}),
        ...(options.interToneTimeoutMs !== undefined
          ? { interToneTimeoutMs: options.interToneTimeoutMs }
          : {}),
        ...(options.initialSilenceTimeoutMs !== undefined
          ? { initialSilenceTimeoutMs: options.initialSilenceTimeoutMs }
          : {}),
      },
      this.clock,
      (outcome) => this.#finish(operationId, outcome),
    );
    this.#byOperation.set(operationId, {
      operationId,
      collector,
      interruptPrompt: options.interruptPrompt !== false,
      promptPending: withPrompt,
    });
    if (!withPrompt) collector.start();
  }

  /** Whether a recognition with this operation id is running. */
  has(operationId: string): boolean {
    return this.#byOperation.has(operationId);
  }

  /** Whether any recognition runs. */
  get active(): boolean {
    return this.#byOperation.size > 0;
  }

  /** The prompt has finished playing: the initial silence timeout starts now. */
  listen(operationId: string): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined || !recognition.promptPending) return;
    recognition.promptPending = false;
    recognition.collector.start();
  }

  /** The prompt failed: the recognition fails with the prompt's reason (`promptFailed`). */
  promptFailed(operationId: string, reason: ResultInfo | undefined): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined) return;
    this.#remove(recognition);
    this.emit(this.#event(recognition, 'recognize.failed', reason, 'promptFailed'));
  }

  /** The prompt was canceled: so is the recognition. */
  promptCanceled(operationId: string, reason: ResultInfo | undefined): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined) return;
    this.#remove(recognition);
    this.emit(this.#event(recognition, 'recognize.canceled', reason, 'canceled'));
  }

  /** One tone: fed to every recognition listening (or barging into its prompt). */
  tone(tone: DtmfTone): void {
    for (const recognition of [...this.#byOperation.values()]) {
      if (recognition.promptPending) {
        if (!recognition.interruptPrompt) continue;
        recognition.promptPending = false;
      }
      recognition.collector.push(tone);
    }
  }

  /** Forgets one recognition without reporting anything (its operation settled otherwise). */
  drop(operationId: string): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition !== undefined) this.#remove(recognition);
  }

  /** Cancels every recognition; with `report`, each emits `recognize.canceled`. */
  cancelAll(report: boolean): void {
    for (const recognition of [...this.#byOperation.values()]) {
      this.#remove(recognition);
      if (report) this.emit(this.#event(recognition, 'recognize.canceled', undefined, 'canceled'));
    }
  }

  #remove(recognition: Recognition): void {
    recognition.collector.cancel();
    this.#byOperation.delete(recognition.operationId);
  }

  #finish(operationId: string, outcome: DtmfCollectionOutcome): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined) return;
    this.#byOperation.delete(operationId);
    if (outcome.kind === 'completed') {
      this.emit({
        ...this.#base(recognition, 'recognize.completed', outcome),
        result: { kind: 'dtmf', tones: outcome.tones },
        reason: outcome.reason,
      });
    } else {
      this.emit(
        this.#event(
          recognition,
          'recognize.failed',
          outcome.reason,
          recognizeFailureOf(outcome.reason),
          outcome,
        ),
      );
    }
  }

  #base<T extends string>(recognition: Recognition, type: T, raw: unknown) {
    return {
      type,
      backend: this.call.backend,
      callId: this.call.callId,
      at: new Date(this.clock.now()).toISOString(),
      raw,
      operationId: recognition.operationId,
    };
  }

  #event(
    recognition: Recognition,
    type: 'recognize.failed' | 'recognize.canceled',
    reason: ResultInfo | undefined,
    failure: ReturnType<typeof recognizeFailureOf>,
    raw: unknown = { operationId: recognition.operationId, type },
  ): TelephonyEvent {
    return {
      ...this.#base(recognition, type, raw),
      failure,
      ...(reason === undefined ? {} : { reason }),
    } as TelephonyEvent;
  }
}
