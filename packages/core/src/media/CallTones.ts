import type { Clock } from '../clock/Clock.js';
import type { BackendName, TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Capabilities } from '../operations/CallOperation.js';
import type { DtmfRecognizeOptions } from './ToneRecognitions.js';
import { ToneRecognitions } from './ToneRecognitions.js';
import { ToneSequencer } from './ToneSequencer.js';

type ToneEvent = TelephonyEventOf<'dtmf.received'>;

// How many interrupted prompts are remembered until their play ends (a call rarely has more than one).
const maxInterrupted = 64;

/**
 * What the core does with one call's tones for backends whose service only streams single tones (traits
 * `dtmf.sequenced` and `recognize.fromTones`): it puts them back in sequence order, builds DTMF recognitions on
 * them, keeps a recognize's prompt inside the recognize (its `play.*` events are not the bot's), and passes a tone
 * to the bot's events only while continuous DTMF is on, as on a backend that recognizes by itself.
 *
 * A tone during a prompt the recognize lets be interrupted (`interruptPrompt`, default true) is the first tone of
 * the recognition; the backend stops the prompt (Graph: cancelMediaProcessing), and the prompt's own end, which
 * may come after the recognize settled, is still no event of the bot's.
 */
export class CallTones {
  readonly #sequencer: ToneSequencer | undefined;
  readonly #recognitions: ToneRecognitions | undefined;
  #continuous = false;
  /** Recognizes whose prompt is playing and may be interrupted by a tone. */
  readonly #interruptible = new Set<string>();
  /** Recognizes whose prompt a tone interrupted: its `play.*` events, until the last, are consumed. */
  readonly #interrupted = new Set<string>();

  /** Whether a backend with these capabilities needs the core's tone handling. */
  static needed(capabilities: Capabilities): boolean {
    return capabilities['dtmf.sequenced'] === true || capabilities['recognize.fromTones'] === true;
  }

  constructor(
    capabilities: Capabilities,
    call: { readonly backend: BackendName; readonly callId: string },
    clock: Clock,
    /** Applies events the helpers produce later (tones released after a gap, recognition outcomes). */
    apply: (event: TelephonyEvent) => void,
  ) {
    if (capabilities['dtmf.sequenced'] === true) {
      this.#sequencer = new ToneSequencer(clock, (_callId, tones) => {
        for (const tone of tones) apply(tone);
      });
    }
    if (capabilities['recognize.fromTones'] === true)
      this.#recognitions = new ToneRecognitions(call, clock, apply);
  }

  /** Whether recognize operations are built here. */
  get recognizes(): boolean {
    return this.#recognitions !== undefined;
  }

  /** The tones to apply now for one that arrived, in sequence order (none while a gap is open or for a repeat). */
  order(event: ToneEvent): readonly ToneEvent[] {
    return this.#sequencer ? this.#sequencer.accept(event) : [event];
  }

  /** Feeds a tone to the recognitions; returns whether the bot's events get it. */
  tone(event: ToneEvent): boolean {
    if (this.#recognitions === undefined) return true;
    for (const operationId of this.#interruptible) this.#interrupt(operationId);
    this.#interruptible.clear();
    this.#recognitions.tone(event.tone);
    return this.#continuous;
  }

  /**
   * A `play.*` event: if it is a recognize's prompt, the recognition moves on (listens, or fails or is canceled
   * with the prompt) and the event is consumed (returns true).
   */
  prompt(event: TelephonyEvent): boolean {
    const recognitions = this.#recognitions;
    const operationId = event.operationId;
    if (recognitions === undefined || operationId === undefined) return false;
    const ends = event.type !== 'play.started';
    if (this.#interrupted.has(operationId)) {
      // The prompt a tone interrupted: its end (canceled, or completed if it ended first) is the recognize's.
      if (ends) this.#interrupted.delete(operationId);
      return true;
    }
    if (ends) this.#interruptible.delete(operationId);
    if (!recognitions.has(operationId)) return false;
    const reason = 'reason' in event ? event.reason : undefined;
    if (event.type === 'play.completed') recognitions.listen(operationId);
    else if (event.type === 'play.failed') recognitions.promptFailed(operationId, reason);
    else if (event.type === 'play.canceled') recognitions.promptCanceled(operationId, reason);
    return true;
  }

  /** A recognize operation starts (before the backend is asked). */
  begin(operationId: string, options: DtmfRecognizeOptions): void {
    if (this.#recognitions === undefined) return;
    if (options.prompt !== undefined && options.interruptPrompt !== false)
      this.#interruptible.add(operationId);
    this.#recognitions.begin(operationId, options);
  }

  /** An operation settled: its recognition, if any, is dropped. */
  settled(operationId: string): void {
    this.#interruptible.delete(operationId);
    this.#recognitions?.drop(operationId);
  }

  /** An operation the backend has carried out: continuous DTMF on or off, or media canceled. */
  done(kind: string): void {
    if (kind === 'startContinuousDtmf') this.#continuous = true;
    else if (kind === 'stopContinuousDtmf') this.#continuous = false;
    else if (kind === 'cancelMedia') this.#recognitions?.cancelAll(true);
  }

  #interrupt(operationId: string): void {
    if (this.#interrupted.size >= maxInterrupted) {
      const oldest = this.#interrupted.values().next().value;
      if (oldest !== undefined) this.#interrupted.delete(oldest);
    }
    this.#interrupted.add(operationId);
  }

  /** The call ended: timers stop, nothing is reported. */
  close(): void {
    this.#interruptible.clear();
    this.#interrupted.clear();
    this.#recognitions?.cancelAll(false);
    this.#sequencer?.clear();
  }
}
