import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock, Logger, TelephonyEvent, WebhookRequest, WebhookResult } from '@switchboard/core';
import {
  emptyResponse,
  headerValue,
  JwtVerifier,
  jsonResponse,
  parseJsonBody,
  silentLogger,
  systemClock,
  TelephonyError,
} from '@switchboard/core';
import { normalizeAcsEvents } from '../normalize/normalizeAcsEvents.js';
import type { AcsWebhookAuth } from './AcsWebhookAuth.js';
import { acsCallbackIssuer, acsCallbackKeysUrl, eventGridSecretHeader } from './AcsWebhookAuth.js';
import { type AcsChannel, channelOfBody, checkChannel } from './acsChannels.js';

/** Options of the ACS webhook handler. */
export interface AcsWebhookHandlerOptions {
  /** How requests are authenticated; `'off'` (local development only) accepts everything and logs a warning. */
  readonly auth: AcsWebhookAuth | 'off';
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The fetch used for the key sets (e.g. one that trusts a test CA). */
  readonly fetch?: typeof globalThis.fetch;
}

function unauthorized(message: string): TelephonyError {
  return new TelephonyError('unauthorized', message, { backend: 'acs' });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// Hashing first gives equal lengths, so the comparison takes the same time whatever the candidate.
function secretMatches(candidate: string | undefined, secret: string): boolean {
  if (candidate === undefined) return false;
  return timingSafeEqual(sha256(candidate), sha256(secret));
}

async function verified(verifier: JwtVerifier, authorization: string | undefined): Promise<void> {
  try {
    await verifier.verifyBearer(authorization);
  } catch (error) {
    if (TelephonyError.hasReason(error, 'unauthorized')) throw error;
    throw new TelephonyError('unauthorized', 'the token could not be verified', {
      backend: 'acs',
      cause: error,
    });
  }
}

function queryParameter(path: string, name: string): string | undefined {
  const query = path.indexOf('?');
  if (query < 0) return undefined;
  return new URLSearchParams(path.slice(query + 1)).get(name) ?? undefined;
}

/**
 * Serves both ACS webhook channels on one path, telling them apart by headers alone so that nothing of an
 * unauthenticated body is read: Event Grid deliveries carry `aeg-event-type` (the SubscriptionValidation and
 * CloudEvents `OPTIONS` handshakes, and notifications such as IncomingCall, authenticated by a shared secret or an
 * Entra token); Call Automation callbacks carry none and a bearer JWT. Each channel accepts only the event types
 * it carries (`checkChannel`). An unauthenticated request, or an event on the wrong channel, rejects with
 * `TelephonyError('unauthorized')` and yields no events; a body that is not a notification rejects with
 * `invalidPayload`.
 */
export class AcsWebhookHandler {
  readonly #auth: AcsWebhookAuth | undefined;
  readonly #callbackVerifier: JwtVerifier | undefined;
  readonly #eventGridVerifier: JwtVerifier | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #answeredValidations = new Set<string>();

  constructor(options: AcsWebhookHandlerOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    const common = {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      logger: this.#logger,
      clock: this.#clock,
    };
    if (options.auth === 'off') {
      this.#auth = undefined;
      this.#logger.warn(
        'ACS webhook authentication is off: any request is accepted. Use this for local development only.',
      );
      return;
    }
    const auth = options.auth;
    if (auth.resourceId.trim() === '') {
      throw new TelephonyError('invalidConfig', 'acs.resourceId is required to authenticate callbacks', {
        backend: 'acs',
      });
    }
    if (auth.eventGridSecret === '') {
      throw new TelephonyError('invalidConfig', 'acs.eventGridSecret must not be empty', { backend: 'acs' });
    }
    this.#auth = auth;
    const limits = auth.maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs: auth.maxKeyStalenessMs } : {};
    this.#callbackVerifier = new JwtVerifier({
      ...limits,
      issuers: [auth.issuer ?? acsCallbackIssuer],
      audiences: [auth.resourceId],
      keys: { jwksUrl: auth.keysUrl ?? acsCallbackKeysUrl },
      ...common,
    });
    if (auth.eventGridEntra) {
      this.#eventGridVerifier = new JwtVerifier({
        ...limits,
        issuers: auth.eventGridEntra.issuers,
        audiences: auth.eventGridEntra.audiences,
        keys: { jwksUrl: auth.eventGridEntra.keysUrl },
        ...common,
      });
    }
    if (auth.eventGridSecret === undefined && auth.eventGridEntra === undefined) {
      this.#logger.warn(
        'no Event Grid authentication is configured (eventGridSecret or eventGridEntra): Event Grid deliveries, IncomingCall included, will be refused',
      );
    }
  }

  /** Authenticates and normalizes one request: the answer to send and the events to dispatch. */
  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return this.#handshake(request);
    // Event Grid marks every delivery (handshake or notification) with `aeg-event-type`; callbacks never do.
    const marked = headerValue(request, 'aeg-event-type') !== undefined;
    await this.#authenticate(marked ? 'eventGrid' : 'callback', request);
    const body = parseJsonBody(request.body);
    let channel: AcsChannel;
    if (this.#auth === undefined) {
      // Nothing is authenticated: the body's shape picks the channel, as local tools send either way.
      channel = marked ? 'eventGrid' : channelOfBody(body);
    } else {
      channel = marked ? 'eventGrid' : 'callback';
      checkChannel(channel, body);
    }
    if (channel === 'eventGrid') return this.#eventGrid(body);
    return { response: emptyResponse(200), events: this.#normalize(body) };
  }

  // Event Grid's CloudEvents-schema abuse protection: echo the origin to allow deliveries from it.
  async #handshake(request: WebhookRequest): Promise<WebhookResult> {
    const origin = headerValue(request, 'webhook-request-origin');
    if (origin === undefined) {
      throw new TelephonyError('invalidPayload', 'OPTIONS without WebHook-Request-Origin', {
        backend: 'acs',
      });
    }
    await this.#authenticate('eventGrid', request);
    return {
      response: emptyResponse(200, {
        'webhook-allowed-origin': origin,
        'webhook-allowed-rate': '*',
        allow: 'POST',
      }),
      events: [],
    };
  }

  #eventGrid(body: unknown): WebhookResult {
    const events = this.#normalize(body);
    const validation = events.find((event) => event.type === 'webhook.validation');
    if (validation !== undefined) {
      // Event Grid sends each validation code once: a repeat is a replay, answered 400 rather than echoed.
      if (this.#answeredValidations.has(validation.validationCode)) {
        throw new TelephonyError('invalidPayload', 'this validation handshake was already answered', {
          backend: 'acs',
        });
      }
      this.#answeredValidations.add(validation.validationCode);
      if (this.#answeredValidations.size > 256) {
        const oldest = this.#answeredValidations.values().next();
        if (!oldest.done) this.#answeredValidations.delete(oldest.value);
      }
      this.#logger.info('answering the Event Grid subscription validation handshake');
      return { response: jsonResponse(200, { validationResponse: validation.validationCode }), events: [] };
    }
    return { response: emptyResponse(200), events };
  }

  #normalize(body: unknown): TelephonyEvent[] {
    return normalizeAcsEvents(body, { receivedAt: new Date(this.#clock.now()) });
  }

  async #authenticate(channel: AcsChannel, request: WebhookRequest): Promise<void> {
    const auth = this.#auth;
    if (auth === undefined) return;
    const authorization = headerValue(request, 'authorization');
    if (channel === 'callback') {
      if (this.#callbackVerifier === undefined)
        throw unauthorized('callback authentication is not configured');
      await verified(this.#callbackVerifier, authorization);
      return;
    }
    if (auth.eventGridSecret !== undefined) {
      const candidate = queryParameter(request.path, 'secret') ?? headerValue(request, eventGridSecretHeader);
      if (secretMatches(candidate, auth.eventGridSecret)) return;
    }
    if (this.#eventGridVerifier !== undefined && authorization !== undefined) {
      await verified(this.#eventGridVerifier, authorization);
      return;
    }
    throw unauthorized(
      auth.eventGridSecret === undefined && this.#eventGridVerifier === undefined
        ? 'Event Grid authentication is not configured'
        : 'the Event Grid delivery is not authenticated',
    );
  }
}
