import { Observable, throwError } from 'rxjs';
import type { TelephonyBackend } from '../backend/TelephonyBackend.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { toTelephonyError } from '../errors/toTelephonyError.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import type { Capabilities, Capability } from '../operations/CallOperation.js';
import type { OperationOptions } from './Call.js';
import type { CallStream } from './CallStream.js';

/** What a call's real-time media needs from its call. */
export interface CallMediaHost {
  readonly id: string;
  readonly backend: string;
  readonly capabilities: Capabilities;
  readonly isEnded: boolean;
  readonly port: TelephonyBackend;
  /** A stream of the call (completed at once when the call ended). */
  newStream<T>(): CallStream<T>;
}

/**
 * One call's real-time media (src/media/streaming): the inbound audio and transcript streams, made on their
 * first subscription, and the outbound audio requests. A call makes it when its media is first used.
 */
export class CallMedia {
  readonly #call: CallMediaHost;
  #audio: CallStream<AudioFrame> | undefined;
  #transcript: CallStream<TranscriptSegment> | undefined;

  constructor(call: CallMediaHost) {
    this.#call = call;
  }

  get audio$(): Observable<AudioFrame> {
    return this.#stream('audio.receive', () => (this.#audio ??= this.#call.newStream<AudioFrame>()));
  }

  get transcript$(): Observable<TranscriptSegment> {
    return this.#stream(
      'transcript.receive',
      () => (this.#transcript ??= this.#call.newStream<TranscriptSegment>()),
    );
  }

  /** One inbound audio frame routed to this call (ignored once it ended). */
  receiveAudio(frame: AudioFrame): void {
    if (!this.#call.isEnded) this.#audio?.next(frame);
  }

  /** One transcription result routed to this call (ignored once it ended). */
  receiveTranscript(segment: TranscriptSegment): void {
    if (!this.#call.isEnded) this.#transcript?.next(segment);
  }

  sendAudio(audio: OutboundAudio | Int16Array, options: OperationOptions): Promise<void> {
    const outbound: OutboundAudio = audio instanceof Int16Array ? { samples: audio } : audio;
    return this.#request('sendAudio', options, (backend) => {
      if (!(outbound.samples instanceof Int16Array) || outbound.samples.length === 0) {
        throw new TelephonyError(
          'invalidInput',
          'sendAudio needs 16-bit PCM samples (a non-empty Int16Array)',
        );
      }
      return backend.sendAudio?.(this.#call.id, outbound);
    });
  }

  stopAudio(options: OperationOptions): Promise<void> {
    return this.#request('stopAudio', options, (backend) => backend.stopAudio?.(this.#call.id));
  }

  /** The call ended: its media streams complete. */
  close(): void {
    this.#audio?.complete();
    this.#transcript?.complete();
  }

  #stream<T>(capability: Capability, stream: () => CallStream<T>): Observable<T> {
    const call = this.#call;
    if (call.capabilities[capability] === true)
      return new Observable<T>((subscriber) => stream().add(subscriber));
    return throwError(
      () =>
        new TelephonyError('unsupported', `${call.backend} does not support ${capability}`, {
          backend: call.backend,
          callId: call.id,
        }),
    );
  }

  async #request(
    operation: 'sendAudio' | 'stopAudio',
    options: OperationOptions,
    request: (backend: TelephonyBackend) => Promise<void> | undefined,
  ): Promise<void> {
    const call = this.#call;
    const details = { backend: call.backend, operation, callId: call.id };
    const backend = call.port;
    if (call.capabilities['audio.send'] !== true || backend[operation] === undefined) {
      throw new TelephonyError('unsupported', `${call.backend} does not support ${operation}`, details);
    }
    if (call.isEnded) throw new TelephonyError('callEnded', `${operation} on an ended call`, details);
    if (options.signal?.aborted) {
      throw new TelephonyError('aborted', `${operation} was aborted`, {
        ...details,
        cause: options.signal.reason,
      });
    }
    try {
      await request(backend);
    } catch (error) {
      throw toTelephonyError(error, details);
    }
  }
}
