import type { MediaStreamingOptions, TranscriptionOptions } from '@switchboard/core';
import { SimulatedCall, type SimulatedCallOptions } from '../simulation/call/SimulatedCall.js';

/**
 * The in-memory backend's state of one call: the world's `SimulatedCall` (state, roster, rings, media queue)
 * plus what only this backend tracks (its ids, event sequence numbers, recording, streaming and transcription).
 */
export class MemoryCallRecord extends SimulatedCall {
  rosterSequence = 0;
  dtmfSequence = 0;
  /** Raw ids of the parties whose tones the bot follows (continuous DTMF). */
  readonly continuousDtmf = new Set<string>();
  recording: { readonly id: string; state: 'active' | 'paused' } | undefined;
  transcribing = false;
  streaming = false;
  /** Real-time media: the options the stream and the transcription were started with. */
  streamingOptions: MediaStreamingOptions = {};
  transcriptionOptions: TranscriptionOptions = {};
  /** When the next inbound frame may start (clock ms), so frames of successive utterances do not overlap. */
  audioCursor = 0;
  /** When transcription started (clock ms): transcript offsets count from it. */
  transcriptionStartedAt = 0;

  constructor(
    options: SimulatedCallOptions,
    readonly direction: 'inbound' | 'outbound',
    readonly serverCallId: string,
    readonly correlationId: string,
  ) {
    super(options);
  }
}
