import { randomUUID } from 'node:crypto';
import { type Observable, Subject } from 'rxjs';
import type { CallHandle, RejectReason, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { Call, OperationOptions } from '../call/Call.js';
import type { Clock } from '../clock/Clock.js';
import type { TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Identity } from '../identity/Identity.js';
import type { Capability } from '../operations/CallOperation.js';
import type { AnswerOptions, IncomingCall, RedirectOptions } from './TelephonyClient.js';

/** What the incoming-call offers need from the client. */
export interface IncomingOffersHost {
  readonly backend: TelephonyBackend;
  readonly clock: Clock;
  /** How long an offered call is remembered, so a repeated delivery is not offered again (ms). */
  readonly rememberMs: number;
  /** Most offers remembered. */
  readonly maxRemembered: number;
  /** Awaits a backend request with the caller's timeout and abort signal, as a `TelephonyError`. */
  request<T>(request: Promise<T>, operation: string, options: OperationOptions): Promise<T>;
  /** Throws `unsupported` when the backend lacks the capability. */
  require(capability: Capability, what: string): void;
  /** Makes the live call of an answered call (or returns the one the client has). */
  adopt(handle: CallHandle, direction: 'inbound'): Call;
}

/**
 * The client's incoming calls: each `call.incoming` becomes one `IncomingCall` on `incomingCalls$` (a repeated
 * delivery of the same offer is offered once), whose `answer` makes the live call once however often it is
 * called, and whose `reject` and `redirect` need the backend's capabilities.
 */
export class IncomingOffers {
  readonly #host: IncomingOffersHost;
  readonly #offered = new Map<string, number>();
  readonly #incoming = new Subject<IncomingCall>();

  constructor(host: IncomingOffersHost) {
    this.#host = host;
  }

  get incomingCalls$(): Observable<IncomingCall> {
    return this.#incoming.asObservable();
  }

  /** Offers an incoming call to the bot, unless this offer was made already. */
  offer(event: TelephonyEventOf<'call.incoming'>): void {
    const now = this.#host.clock.now();
    const key = event.eventId ?? event.callId;
    for (const [offeredKey, expiresAt] of this.#offered) {
      if (expiresAt > now && this.#offered.size < this.#host.maxRemembered) break;
      this.#offered.delete(offeredKey);
    }
    // The same incoming call delivered twice is offered once.
    if (this.#offered.has(key)) return;
    this.#offered.set(key, now + this.#host.rememberMs);
    this.#incoming.next(this.#incomingCall(event));
  }

  /** No more offers: `incomingCalls$` completes. */
  close(): void {
    this.#incoming.complete();
  }

  #incomingCall(event: TelephonyEventOf<'call.incoming'>): IncomingCall {
    let answered: Promise<Call> | undefined;
    const host = this.#host;
    const backend = host.backend;
    return {
      id: event.callId,
      backend: backend.name,
      from: event.from,
      to: event.to,
      event,
      ...(event.callerDisplayName ? { callerDisplayName: event.callerDisplayName } : {}),
      ...(event.meeting ? { meeting: event.meeting } : {}),
      ...(event.customContext ? { customContext: event.customContext } : {}),
      answer: (options: AnswerOptions = {}) => {
        answered ??= host
          .request(
            backend.answer(event, {
              operationId: randomUUID(),
              ...(options.mediaStreaming ? { mediaStreaming: options.mediaStreaming } : {}),
              ...(options.transcription ? { transcription: options.transcription } : {}),
            }),
            'answer',
            options,
          )
          .then((handle) => host.adopt(handle, 'inbound'));
        return answered;
      },
      reject: async (reason: RejectReason = 'none') => {
        host.require('incoming.reject', 'rejecting a call');
        await host.request(backend.reject(event, reason), 'reject', {});
      },
      redirect: async (target: Identity, options?: RedirectOptions) => {
        host.require('incoming.redirect', 'redirecting a call');
        await host.request(
          options === undefined ? backend.redirect(event, target) : backend.redirect(event, target, options),
          'redirect',
          {},
        );
      },
    };
  }
}
