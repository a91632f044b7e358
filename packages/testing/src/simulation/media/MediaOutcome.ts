import type { RecognizeFailure, RecognizeResult } from '@switchboard/core';

/**
 * What the world's media engine reports about one operation, in neutral terms. A backend or emulator maps each
 * outcome to its own events and result codes in a small codec of its own (the memory backend's is
 * `memory/memoryMediaCodec.ts`).
 */

/** Why a media operation could not run at all: the party it plays to or listens to is not in the call. */
export type MediaNotInCall = { readonly kind: 'failed'; readonly cause: 'notInCall' };

/** How a play went: `started`, then exactly one of `completed`, `failed` or `canceled`. */
export type PlayOutcome =
  | { readonly kind: 'started' }
  | { readonly kind: 'completed' }
  | MediaNotInCall
  /** A source could not be played (the context's `playable` hook said so); nothing was heard, no `started`. */
  | { readonly kind: 'failed'; readonly cause: 'unplayable'; readonly failedSourceIndex: number }
  | { readonly kind: 'canceled' };

/** How a completed recognize matched its input. */
export type RecognizeMatch =
  /** DTMF collection reached `maxTones`. */
  | 'maxTones'
  /** DTMF collection ended on a stop tone. */
  | 'stopTone'
  /** A choice picked by its tone. */
  | 'choiceTone'
  /** A choice picked by one of its phrases. */
  | 'choicePhrase'
  /** Free speech. */
  | 'speech';

/** How a recognize ended: exactly one of `completed`, `failed` or `canceled`. */
export type RecognizeOutcome =
  | { readonly kind: 'completed'; readonly result: RecognizeResult; readonly match: RecognizeMatch }
  | MediaNotInCall
  | {
      readonly kind: 'failed';
      /** Core's normalized cause (never `canceled`: a canceled recognize reports `canceled`). */
      readonly cause: Exclude<RecognizeFailure, 'canceled'>;
      /** For `noMatch`: whether a tone or a phrase matched no choice. */
      readonly input?: 'tone' | 'phrase';
      /** For `promptFailed`: which prompt (0-based) could not be played. */
      readonly failedSourceIndex?: number;
      /** For DTMF failures: the tones collected before it failed. */
      readonly tones?: string;
    }
  | { readonly kind: 'canceled' };

/** How a record-response ended: exactly one of `completed`, `failed` or `canceled`. */
export type RecordResponseOutcome =
  | {
      readonly kind: 'completed';
      /** How long the recording ran (clock ms). */
      readonly durationMs: number;
      /** What ended it: the party spoke, pressed a stop tone, or the maximum duration passed. */
      readonly endedBy: 'speech' | 'stopTone' | 'maxDuration';
    }
  | MediaNotInCall
  | { readonly kind: 'canceled' };
