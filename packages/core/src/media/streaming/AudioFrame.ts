import type { Identity } from '../../identity/Identity.js';

/**
 * One frame of a call's inbound audio: 16-bit signed PCM (little-endian on the wire), usually 20 ms. In an unmixed
 * stream each frame carries the participant who spoke it; in a mixed stream `participant` is absent.
 */
export interface AudioFrame {
  readonly callId: string;
  /** The speaker, where the stream is unmixed. */
  readonly participant?: Identity;
  /** When the service captured the audio (ISO time). */
  readonly timestamp: string;
  /** The samples, one per channel per sampling instant. */
  readonly samples: Int16Array;
  /** Samples per second: 16 000 or 24 000 on ACS. */
  readonly sampleRate: number;
  readonly channels: number;
  /** The service marked this frame as silence. */
  readonly silent: boolean;
  /** When the library received the frame (`performance.now()` milliseconds), for latency measurements. */
  readonly receivedAt: number;
}

/** Audio the bot sends into a call: mono 16-bit PCM at the stream's sample rate (16 000 or 24 000 on ACS). */
export interface OutboundAudio {
  readonly samples: Int16Array;
  /** Samples per second; the backend rejects a rate that differs from the stream's (default: the stream's). */
  readonly sampleRate?: number;
}
