import type { Identity } from '../../identity/Identity.js';

/** One word of a transcription result, with its position in the audio. */
export interface TranscriptWord {
  readonly text: string;
  readonly offsetMs: number;
  readonly durationMs: number;
}

/**
 * A real-time transcription result: an intermediate hypothesis (`final: false`), later replaced by the final text
 * of the same phrase (`final: true`).
 */
export interface TranscriptSegment {
  readonly callId: string;
  readonly text: string;
  /** From 0 (no confidence) to 1, where the service gives it. */
  readonly confidence?: number;
  /** Where the phrase starts in the call's audio, in milliseconds. */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** Who spoke the phrase, where known. */
  readonly participant?: Identity;
  readonly final: boolean;
  /** The words of the phrase, where the service gives them. */
  readonly words?: readonly TranscriptWord[];
  /** The service's text format (`display`), where given. */
  readonly format?: string;
  /** When the library received the result (`performance.now()` milliseconds). */
  readonly receivedAt: number;
}
