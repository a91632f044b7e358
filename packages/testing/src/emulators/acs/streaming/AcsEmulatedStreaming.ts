import { type Logger, Pcm16 } from '@switchboard/core';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';
import { EmulatedStreamConnection } from './EmulatedStreamConnection.js';
import { FramePacer } from './FramePacer.js';

type Body = Record<string, unknown>;

/** What the streaming side needs to know of an emulated call. */
export interface StreamingCall {
  readonly id: string;
  readonly correlationId: string;
  readonly init: { readonly mediaStreamingOptions?: Body; readonly transcriptionOptions?: Body };
  /** The parties in the call now. */
  parties(): readonly PhoneParty[];
}

interface CallStreams {
  audio?: Promise<EmulatedStreamConnection | undefined>;
  transcription?: Promise<EmulatedStreamConnection | undefined>;
  transcriptionStartedAt: number;
}

const msPerWord = 300;

function text(body: Body | undefined, name: string): string | undefined {
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The emulator's media streaming and live transcription: when a call's streaming starts it opens a WebSocket to
 * the transport URL in the call's `mediaStreamingOptions` (or `transcriptionOptions`), authenticated with a bearer
 * token of the service, and streams 20 ms frames in real time; what the bot sends back is recorded and played to
 * the call's parties.
 */
export class AcsEmulatedStreaming {
  readonly pacer = new FramePacer(20);
  readonly #calls = new Map<string, CallStreams>();

  constructor(
    private readonly token: () => Promise<string>,
    private readonly logger: Logger,
  ) {}

  /** The open audio connection of a call (for tests: drop it, send malformed frames, read what came back). */
  audioConnection(callId: string): Promise<EmulatedStreamConnection | undefined> {
    return this.#calls.get(callId)?.audio ?? Promise.resolve(undefined);
  }

  /** The open transcription connection of a call. */
  transcriptionConnection(callId: string): Promise<EmulatedStreamConnection | undefined> {
    return this.#calls.get(callId)?.transcription ?? Promise.resolve(undefined);
  }

  started(call: StreamingCall, channel: 'audio' | 'transcription'): void {
    const streams = this.#streams(call);
    if (channel === 'audio') {
      const options = call.init.mediaStreamingOptions;
      const url = text(options, 'transportUrl');
      if (!url || streams.audio) return;
      const sampleRate = text(options, 'audioFormat')?.toLowerCase() === 'pcm24kmono' ? 24_000 : 16_000;
      streams.audio = this.#open(call, 'audio', url, { sampleRate });
      void streams.audio.then((connection) => {
        if (!connection) return;
        connection.onOutbound = (message) => {
          for (const party of call.parties()) {
            if (message.kind === 'audioData') party.receiveAudio(message.samples);
            else party.audioStopped();
          }
        };
      });
    } else {
      const options = call.init.transcriptionOptions;
      const url = text(options, 'transportUrl');
      if (!url || streams.transcription) return;
      streams.transcriptionStartedAt = Date.now();
      streams.transcription = this.#open(call, 'transcription', url, {
        locale: text(options, 'locale') ?? 'en-US',
      });
    }
  }

  stopped(call: StreamingCall, channel: 'audio' | 'transcription'): void {
    const streams = this.#calls.get(call.id);
    if (!streams) return;
    const connection = channel === 'audio' ? streams.audio : streams.transcription;
    if (channel === 'audio') streams.audio = undefined;
    else streams.transcription = undefined;
    void connection?.then((open) => open?.close(1000));
  }

  ended(call: StreamingCall): void {
    this.stopped(call, 'audio');
    this.stopped(call, 'transcription');
    this.#calls.delete(call.id);
  }

  /** A party speaks audio in the call: it streams in 20 ms frames at the stream's rate. */
  audio(call: StreamingCall, party: PhoneParty, samples: Int16Array, sampleRate: number): void {
    const unmixed = text(call.init.mediaStreamingOptions, 'audioChannelType')?.toLowerCase() === 'unmixed';
    void this.#calls.get(call.id)?.audio?.then((connection) => {
      if (!connection?.isOpen) return;
      const resampled = Pcm16.resample(samples, sampleRate, connection.sampleRate);
      connection.speak(resampled, unmixed ? party.identity.rawId : undefined);
    });
  }

  /** A party says a phrase: a transcription result (intermediate first when the bot asked for them). */
  said(call: StreamingCall, party: PhoneParty, phrase: string): void {
    const streams = this.#calls.get(call.id);
    const intermediate = call.init.transcriptionOptions?.enableIntermediateResults === true;
    void streams?.transcription?.then((connection) => {
      if (!connection?.isOpen) return;
      const offsetMs = Date.now() - streams.transcriptionStartedAt;
      const words = phrase
        .split(/\s+/)
        .filter((word) => word.length > 0)
        .map((word, index) => ({
          text: word,
          offsetMs: offsetMs + index * msPerWord,
          durationMs: msPerWord,
        }));
      const base = { offsetMs, participantRawId: party.identity.rawId };
      if (intermediate && words.length > 1) {
        const partial = words.slice(0, Math.ceil(words.length / 2));
        connection.transcribe({
          ...base,
          text: partial.map((word) => word.text).join(' '),
          durationMs: partial.length * msPerWord,
          final: false,
          words: partial,
        });
      }
      connection.transcribe({
        ...base,
        text: phrase,
        durationMs: words.length * msPerWord,
        final: true,
        words,
      });
    });
  }

  /** Closes every connection. */
  close(): void {
    for (const streams of this.#calls.values()) {
      void streams.audio?.then((connection) => connection?.close(1001));
      void streams.transcription?.then((connection) => connection?.close(1001));
    }
    this.#calls.clear();
  }

  #streams(call: StreamingCall): CallStreams {
    let streams = this.#calls.get(call.id);
    if (!streams) {
      streams = { transcriptionStartedAt: Date.now() };
      this.#calls.set(call.id, streams);
    }
    return streams;
  }

  async #open(
    call: StreamingCall,
    channel: 'audio' | 'transcription',
    url: string,
    extra: { readonly sampleRate?: number; readonly locale?: string },
  ): Promise<EmulatedStreamConnection | undefined> {
    try {
      return await EmulatedStreamConnection.connect({
        url,
        token: await this.token(),
        callConnectionId: call.id,
        correlationId: call.correlationId,
        channel,
        pacer: this.pacer,
        ...extra,
      });
    } catch (error) {
      this.logger.warn('acs emulator: the media WebSocket could not be opened', {
        url,
        error: String(error),
      });
      return undefined;
    }
  }
}
