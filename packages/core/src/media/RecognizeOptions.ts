import type { DtmfTone } from '../events/DtmfTone.js';
import type { Identity } from '../identity/Identity.js';
import type { PlaySource } from './PlaySource.js';

/** Options shared by every kind of recognition. */
export interface RecognizeCommon {
  /** Whose input to collect. Defaults to the only non-bot participant. */
  readonly from?: Identity;
  /** A prompt played before listening. */
  readonly prompt?: PlaySource;
  /** Whether input interrupts the prompt (default true). */
  readonly interruptPrompt?: boolean;
  /** Fail with `recognize.failed` when nothing is heard for this long after the prompt (default 5 s). */
  readonly initialSilenceTimeoutMs?: number;
}

/** DTMF collection limits. */
export interface DtmfRecognizeLimits {
  /** Complete after this many tones (default 1). */
  readonly maxTones?: number;
  /** Complete when one of these is pressed; the stop tone ends the result (`"1234#"`), as ACS reports it. */
  readonly stopTones?: readonly DtmfTone[];
  /** Fail (`recognize.failed`, subcode 8532, as ACS does) when no further tone comes for this long (default 2 s). */
  readonly interToneTimeoutMs?: number;
}

/** A choice the caller can pick by voice or by tone. */
export interface RecognizeChoice {
  readonly label: string;
  readonly phrases: readonly string[];
  readonly tone?: DtmfTone;
}

/** What to recognize: DTMF, one of several choices, free speech, or speech or DTMF. */
export type RecognizeOptions =
  | (RecognizeCommon & { readonly kind: 'dtmf' } & DtmfRecognizeLimits)
  | (RecognizeCommon & { readonly kind: 'choices'; readonly choices: readonly RecognizeChoice[] })
  | (RecognizeCommon & {
      readonly kind: 'speech';
      readonly endSilenceTimeoutMs?: number;
      readonly language?: string;
    })
  | (RecognizeCommon & {
      readonly kind: 'speechOrDtmf';
      readonly endSilenceTimeoutMs?: number;
      readonly language?: string;
    } & DtmfRecognizeLimits);
