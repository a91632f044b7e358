import type { Clock, TimerHandle } from '../clock/Clock.js';
import type { DtmfTone } from '../events/DtmfTone.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { DtmfRecognizeLimits } from './RecognizeOptions.js';

/** How a DTMF collection ended. Result codes are those ACS reports, so every backend reads the same. */
export type DtmfCollectionOutcome =
  | { readonly kind: 'completed'; readonly tones: string; readonly reason: ResultInfo }
  | { readonly kind: 'failed'; readonly tones: string; readonly reason: ResultInfo };

/** Result codes of a DTMF collection (ACS's). */
export const dtmfResults = {
  maxTones: { code: 200, subcode: 8531, message: 'Action completed, max digits received.' },
  stopTone: { code: 200, subcode: 8514, message: 'Action completed, stop tone detected.' },
  initialSilence: { code: 400, subcode: 8510, message: 'Action failed, initial silence timeout reached.' },
  interToneSilence: {
    code: 400,
    subcode: 8532,
    message: 'Action failed, inter-digit silence timeout reached.',
  },
} as const satisfies Record<string, ResultInfo>;

/** Options of a collection: the DTMF limits plus the initial silence timeout. */
export interface DtmfCollectorOptions extends DtmfRecognizeLimits {
  readonly initialSilenceTimeoutMs?: number;
}

/**
 * Collects DTMF tones with ACS's recognize semantics (max tones, stop tones, initial and inter-tone silence),
 * for backends that only deliver single tones (Graph's subscribe-to-tone, the in-memory backend).
 * Call `start()` when listening begins (after the prompt), `push()` for each tone, `cancel()` to stop.
 */
export class DtmfCollector {
  readonly #maxTones: number;
  readonly #stopTones: ReadonlySet<string>;
  readonly #initialSilenceMs: number;
  readonly #interToneMs: number;
  #tones = '';
  #timer: TimerHandle | undefined;
  #done = false;

  constructor(
    options: DtmfCollectorOptions,
    private readonly clock: Clock,
    private readonly onDone: (outcome: DtmfCollectionOutcome) => void,
  ) {
    this.#maxTones = Math.max(1, options.maxTones ?? 1);
    this.#stopTones = new Set(options.stopTones ?? []);
    this.#initialSilenceMs = options.initialSilenceTimeoutMs ?? 5_000;
    this.#interToneMs = options.interToneTimeoutMs ?? 2_000;
  }

  /** Tones collected so far. */
  get tones(): string {
    return this.#tones;
  }

  /** Whether the collection has ended. */
  get done(): boolean {
    return this.#done;
  }

  /** Begins listening: arms the initial silence timeout unless a tone already came. */
  start(): void {
    if (this.#done || this.#timer !== undefined || this.#tones !== '') return;
    this.#arm(this.#initialSilenceMs, { kind: 'failed', tones: '', reason: dtmfResults.initialSilence });
  }

  /** Feeds one tone. */
  push(tone: DtmfTone): void {
    if (this.#done) return;
    this.#tones += tone;
    if (this.#stopTones.has(tone)) {
      this.#finish({ kind: 'completed', tones: this.#tones, reason: dtmfResults.stopTone });
    } else if (this.#tones.length >= this.#maxTones) {
      this.#finish({ kind: 'completed', tones: this.#tones, reason: dtmfResults.maxTones });
    } else {
      this.#arm(this.#interToneMs, () => ({
        kind: 'failed',
        tones: this.#tones,
        reason: dtmfResults.interToneSilence,
      }));
    }
  }

  /** Stops without reporting an outcome. */
  cancel(): void {
    this.#done = true;
    this.#clear();
  }

  #arm(ms: number, outcome: DtmfCollectionOutcome | (() => DtmfCollectionOutcome)): void {
    this.#clear();
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#finish(typeof outcome === 'function' ? outcome() : outcome);
    }, ms);
  }

  #clear(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #finish(outcome: DtmfCollectionOutcome): void {
    if (this.#done) return;
    this.#done = true;
    this.#clear();
    this.onDone(outcome);
  }
}
