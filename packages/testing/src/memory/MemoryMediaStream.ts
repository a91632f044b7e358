import {
  type BackendSink,
  type Clock,
  type OutboundAudio,
  Pcm16,
  TelephonyError,
  type TranscriptWord,
} from '@switchboard/core';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';

const frameMs = 20;
// How long the simulated speaker takes per word, for transcript offsets and durations.
const msPerWord = 300;

/** The stream's sample rate from its options (ACS formats: 16 kHz by default, 24 kHz on request). */
export function streamSampleRate(call: MemoryCallRecord): number {
  return call.streamingOptions.audioFormat === 'pcm24KMono' ? 24_000 : 16_000;
}

/**
 * Real-time media of the in-memory backend: a party's speech becomes 20 ms audio frames paced on the backend's
 * clock (while media streaming runs) and transcripts (while transcription runs); audio the bot sends reaches every
 * party of the call.
 */
export class MemoryMediaStream {
  constructor(
    private readonly clock: Clock,
    private readonly sink: () => BackendSink | undefined,
  ) {}

  /** A party speaks audio: frames follow one another in real time on the clock. */
  speak(call: MemoryCallRecord, party: PhoneParty, samples: Int16Array, sampleRate: number): void {
    if (!call.streaming || call.state === 'disconnected') return;
    const rate = streamSampleRate(call);
    const frames = Pcm16.frames(Pcm16.resample(samples, sampleRate, rate), rate, frameMs);
    const now = this.clock.now();
    const start = Math.max(now, call.audioCursor);
    call.audioCursor = start + frames.length * frameMs;
    const unmixed = call.streamingOptions.audioChannelType === 'unmixed';
    frames.forEach((frame, index) => {
      const at = start + index * frameMs;
      call.tasks.after(at - now, () => {
        if (!call.streaming) return;
        this.sink()?.audio?.({
          callId: call.id,
          timestamp: new Date(at).toISOString(),
          samples: frame,
          sampleRate: rate,
          channels: 1,
          silent: Pcm16.level(frame) === 0,
          receivedAt: performance.now(),
          ...(unmixed ? { participant: party.identity } : {}),
        });
      });
    });
  }

  /** A party says a phrase: with transcription running it arrives as a transcript (intermediate first, if asked). */
  transcribe(call: MemoryCallRecord, party: PhoneParty, phrase: string): void {
    if (!call.transcribing || call.state === 'disconnected') return;
    const offsetMs = Math.max(0, this.clock.now() - call.transcriptionStartedAt);
    const texts = phrase.split(/\s+/).filter((word) => word.length > 0);
    const words: TranscriptWord[] = texts.map((text, index) => ({
      text,
      offsetMs: offsetMs + index * msPerWord,
      durationMs: msPerWord,
    }));
    const base = {
      callId: call.id,
      offsetMs,
      durationMs: words.length * msPerWord,
      participant: party.identity,
      format: 'display',
    };
    const sink = this.sink();
    call.tasks.after(0, () => {
      if (!call.transcribing) return;
      if (call.transcriptionOptions.enableIntermediateResults && words.length > 1) {
        const partial = words.slice(0, Math.ceil(words.length / 2));
        sink?.transcript?.({
          ...base,
          text: partial.map((word) => word.text).join(' '),
          durationMs: partial.length * msPerWord,
          final: false,
          words: partial,
          receivedAt: performance.now(),
        });
      }
      sink?.transcript?.({
        ...base,
        text: phrase,
        confidence: 0.95,
        final: true,
        words,
        receivedAt: performance.now(),
      });
    });
  }

  /** The bot sends audio: every party of the call receives it (bidirectional streams only). */
  send(call: MemoryCallRecord, audio: OutboundAudio): void {
    this.#requireBidirectional(call, 'sendAudio');
    const rate = streamSampleRate(call);
    if (audio.sampleRate !== undefined && audio.sampleRate !== rate) {
      throw new TelephonyError(
        'invalidInput',
        `the stream carries ${rate} Hz audio; sendAudio got ${audio.sampleRate} Hz`,
        { backend: 'memory', operation: 'sendAudio', callId: call.id },
      );
    }
    for (const party of call.parties) party.receiveAudio(audio.samples.slice());
  }

  /** The bot stops its outbound audio. */
  stop(call: MemoryCallRecord): void {
    this.#requireBidirectional(call, 'stopAudio');
    for (const party of call.parties) party.audioStopped();
  }

  #requireBidirectional(call: MemoryCallRecord, operation: string): void {
    if (call.streaming && call.streamingOptions.enableBidirectional === true) return;
    throw new TelephonyError(
      'invalidInput',
      call.streaming
        ? 'the media stream is not bidirectional: start it with enableBidirectional'
        : 'media streaming is not running on this call',
      { backend: 'memory', operation, callId: call.id },
    );
  }
}
