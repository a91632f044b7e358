import { Pcm16 } from '@switchboard/core';
import WebSocket from 'ws';
import type { FramePacer, PacedStream } from './FramePacer.js';

/** How the emulated service opens one media or transcription WebSocket to the bot. */
export interface EmulatedStreamConnectionOptions {
  readonly url: string;
  /** The bearer token (RS256, audience the ACS resource id), or none to test refusal. */
  readonly token?: string;
  readonly callConnectionId: string;
  readonly correlationId: string;
  readonly channel: 'audio' | 'transcription';
  /** Audio: 16 000 or 24 000 (default 16 000). */
  readonly sampleRate?: number;
  /** Audio: send silent frames when there is nothing to say, as the service does (default true). */
  readonly continuous?: boolean;
  /** Transcription metadata. */
  readonly locale?: string;
  readonly pacer: FramePacer;
}

interface Utterance {
  readonly samples: Int16Array;
  readonly participantRawId: string | undefined;
  offset: number;
}

/**
 * One WebSocket the emulated service opens to the bot's transport URL: it sends the metadata message first, then
 * audio as 20 ms `AudioData` frames in real time (or `TranscriptionData` results), and records what the bot sends
 * back (`audioData` and `stopAudio`), in the JSON shapes of the SDK's `StreamingData` and `OutStreamingData`.
 */
export class EmulatedStreamConnection implements PacedStream {
  readonly sampleRate: number;
  /** Outbound audio the bot sent on this connection. */
  readonly received: Int16Array[] = [];
  stopAudioCount = 0;
  /** Messages the bot sent that were not outbound audio or stop-audio. */
  unreadable = 0;
  framesSent = 0;
  /** Called for each message the bot sends back (after it is recorded). */
  onOutbound:
    | ((message: { kind: 'audioData'; samples: Int16Array } | { kind: 'stopAudio' }) => void)
    | undefined;
  /** Called when the socket closes. */
  onClose: (() => void) | undefined;
  readonly #socket: WebSocket;
  readonly #options: EmulatedStreamConnectionOptions;
  readonly #queue: Utterance[] = [];
  readonly #frameSamples: number;
  readonly #silence: string;
  #open = false;

  private constructor(socket: WebSocket, options: EmulatedStreamConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.sampleRate = options.sampleRate ?? 16_000;
    this.#frameSamples = Pcm16.samplesFor(options.pacer.frameMs, this.sampleRate);
    this.#silence = Pcm16.toBase64(new Int16Array(this.#frameSamples));
    socket.on('message', (data, isBinary) => this.#outbound(String(data), isBinary));
    socket.on('close', () => {
      this.#open = false;
      options.pacer.delete(this);
      this.onClose?.();
    });
    socket.on('error', () => undefined);
  }

  /** Opens the WebSocket; rejects when the bot refuses the upgrade (e.g. 401). */
  static connect(options: EmulatedStreamConnectionOptions): Promise<EmulatedStreamConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(options.url, {
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          'x-ms-call-connection-id': options.callConnectionId,
          'x-ms-call-correlation-id': options.correlationId,
        },
        perMessageDeflate: false,
      });
      const connection = new EmulatedStreamConnection(socket, options);
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`the bot refused the media WebSocket: ${response.statusCode}`));
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
      socket.once('open', () => {
        connection.#open = true;
        connection.#sendMetadata();
        if (options.channel === 'audio' && options.continuous !== false) options.pacer.add(connection);
        resolve(connection);
      });
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Queues audio to stream (resampled to the stream's rate by the caller); starts pacing if not continuous. */
  speak(samples: Int16Array, participantRawId?: string): void {
    this.#queue.push({ samples, participantRawId, offset: 0 });
    this.#options.pacer.add(this);
  }

  /** How many samples wait to be streamed. */
  get pendingSamples(): number {
    return this.#queue.reduce((sum, utterance) => sum + utterance.samples.length - utterance.offset, 0);
  }

  /** Sends one transcription result. Offsets are given in milliseconds and sent in 100 ns ticks. */
  transcribe(result: {
    readonly text: string;
    readonly final: boolean;
    readonly offsetMs: number;
    readonly durationMs: number;
    readonly participantRawId?: string;
    readonly confidence?: number;
    readonly words?: readonly {
      readonly text: string;
      readonly offsetMs: number;
      readonly durationMs: number;
    }[];
  }): void {
    this.sendRaw(
      JSON.stringify({
        kind: 'TranscriptionData',
        transcriptionData: {
          text: result.text,
          format: 'display',
          confidence: result.confidence ?? 0.92,
          offset: Math.round(result.offsetMs * 10_000),
          duration: Math.round(result.durationMs * 10_000),
          words: (result.words ?? []).map((word) => ({
            text: word.text,
            offset: Math.round(word.offsetMs * 10_000),
            duration: Math.round(word.durationMs * 10_000),
          })),
          participantRawID: result.participantRawId,
          resultStatus: result.final ? 'Final' : 'Intermediate',
        },
      }),
    );
  }

  /** Sends a message as is (tests use it for malformed frames). */
  sendRaw(message: string): void {
    if (this.#open) this.#socket.send(message);
  }

  /** Sends one frame: the next 20 ms of queued speech, or silence. */
  tick(): void {
    if (!this.#open) return;
    const utterance = this.#queue[0];
    let data = this.#silence;
    let silent = true;
    let participant: string | undefined;
    if (utterance) {
      const frame = new Int16Array(this.#frameSamples);
      frame.set(utterance.samples.subarray(utterance.offset, utterance.offset + this.#frameSamples));
      utterance.offset += this.#frameSamples;
      if (utterance.offset >= utterance.samples.length) this.#queue.shift();
      data = Pcm16.toBase64(frame);
      silent = false;
      participant = utterance.participantRawId;
    } else if (this.#options.continuous === false) {
      this.#options.pacer.delete(this);
      return;
    }
    this.framesSent++;
    this.#socket.send(
      `{"kind":"AudioData","audioData":{"timestamp":"${new Date().toISOString()}",${
        participant ? `"participantRawID":${JSON.stringify(participant)},` : ''
      }"data":"${data}","silent":${silent}}}`,
    );
  }

  /** Drops the connection as a network failure would (no close handshake). */
  drop(): void {
    this.#socket.terminate();
  }

  /** Closes the connection normally. */
  close(code = 1000): void {
    this.#options.pacer.delete(this);
    if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING)
      this.#socket.close(code);
  }

  #sendMetadata(): void {
    const { options } = { options: this.#options };
    const subscriptionId = crypto.randomUUID();
    if (options.channel === 'audio') {
      this.sendRaw(
        JSON.stringify({
          kind: 'AudioMetadata',
          audioMetadata: {
            subscriptionId,
            encoding: 'PCM',
            sampleRate: this.sampleRate,
            channels: 1,
            length: this.#frameSamples * 2,
          },
        }),
      );
    } else {
      this.sendRaw(
        JSON.stringify({
          kind: 'TranscriptionMetadata',
          transcriptionMetadata: {
            subscriptionId,
            locale: options.locale ?? 'en-US',
            callConnectionId: options.callConnectionId,
            correlationId: options.correlationId,
          },
        }),
      );
    }
  }

  #outbound(text: string, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const root = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
    const kind = String(root.kind ?? root.Kind ?? '').toLowerCase();
    const audio = (root.audioData ?? root.AudioData) as Record<string, unknown> | undefined;
    const data = audio?.data ?? audio?.Data;
    if (kind === 'audiodata' && typeof data === 'string') {
      const samples = Pcm16.fromBase64(data).slice();
      this.received.push(samples);
      this.onOutbound?.({ kind: 'audioData', samples });
    } else if (kind === 'stopaudio') {
      this.stopAudioCount++;
      this.onOutbound?.({ kind: 'stopAudio' });
    } else {
      this.unreadable++;
    }
  }
}
