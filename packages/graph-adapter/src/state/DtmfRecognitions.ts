import {
  type Clock,
  type DtmfCollectionOutcome,
  DtmfCollector,
  type DtmfTone,
  type RecognizeOptions,
  type ResultInfo,
  type TelephonyEvent,
} from '@switchboard/core';

/** The DTMF recognize options (the only kind Graph supports). */
export type DtmfRecognizeOptions = Extract<RecognizeOptions, { kind: 'dtmf' }>;

interface Recognition {
  readonly callId: string;
  readonly operationId: string;
  readonly collector: DtmfCollector;
  readonly interruptPrompt: boolean;
  promptPending: boolean;
}

/**
 * DTMF recognition for Graph, which only delivers single tones (subscribe-to-tone): one core `DtmfCollector` per
 * recognize operation, started when its prompt has finished (or at once without a prompt), fed the call's
 * `dtmf.received` tones, and reporting `recognize.completed` / `recognize.failed` / `recognize.canceled` with
 * the operation's `operationId` through `emit`, with the same result codes as ACS.
 */
export class DtmfRecognitions {
  readonly #byOperation = new Map<string, Recognition>();

  constructor(
    private readonly clock: Clock,
    private readonly emit: (event: TelephonyEvent) => void,
  ) {}

  /** Registers a recognition; it listens once `listen()` is called (after the prompt) or a tone barges in. */
  begin(callId: string, operationId: string, options: DtmfRecognizeOptions, withPrompt: boolean): void {
    this.cancelOperation(operationId);
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
      callId,
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

  /** Whether any recognition runs on the call. */
  activeOn(callId: string): boolean {
    for (const recognition of this.#byOperation.values()) if (recognition.callId === callId) return true;
    return false;
  }

  /** The prompt has finished playing: the initial silence timeout starts now. */
  listen(operationId: string): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined || !recognition.promptPending) return;
    recognition.promptPending = false;
    recognition.collector.start();
  }

  /** The prompt failed: the recognition fails with the prompt's reason. */
  promptFailed(operationId: string, reason: ResultInfo | undefined): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition === undefined) return;
    this.#remove(recognition);
    this.emit(this.#event(recognition, 'recognize.failed', reason));
  }

  /** One tone on a call: fed to every recognition listening there. */
  tone(callId: string, tone: DtmfTone): void {
    for (const recognition of [...this.#byOperation.values()]) {
      if (recognition.callId !== callId) continue;
      if (recognition.promptPending) {
        if (!recognition.interruptPrompt) continue;
        recognition.promptPending = false;
      }
      recognition.collector.push(tone);
    }
  }

  /** Cancels one recognition without reporting anything (its request failed). */
  cancelOperation(operationId: string): void {
    const recognition = this.#byOperation.get(operationId);
    if (recognition !== undefined) this.#remove(recognition);
  }

  /** Cancels every recognition on a call; with `report`, each emits `recognize.canceled`. */
  cancelCall(callId: string, report: boolean): void {
    for (const recognition of [...this.#byOperation.values()]) {
      if (recognition.callId !== callId) continue;
      this.#remove(recognition);
      if (report) this.emit(this.#event(recognition, 'recognize.canceled', undefined));
    }
  }

  /** Cancels everything silently (the backend closes). */
  cancelAll(): void {
    for (const recognition of [...this.#byOperation.values()]) this.#remove(recognition);
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
      this.emit(this.#event(recognition, 'recognize.failed', outcome.reason, outcome));
    }
  }

  #base<T extends string>(recognition: Recognition, type: T, raw: unknown) {
    return {
      type,
      backend: 'graph' as const,
      callId: recognition.callId,
      at: new Date(this.clock.now()).toISOString(),
      raw,
      operationId: recognition.operationId,
    };
  }

  #event(
    recognition: Recognition,
    type: 'recognize.failed' | 'recognize.canceled',
    reason: ResultInfo | undefined,
    raw: unknown = { operationId: recognition.operationId, type },
  ): TelephonyEvent {
    return { ...this.#base(recognition, type, raw), ...(reason === undefined ? {} : { reason }) };
  }
}
