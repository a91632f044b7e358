import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Identity, Logger, TimerHandle } from '@switchboard/core';
import { acsUser, phone, silentLogger } from '@switchboard/core';
import { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';
import type { SimulatedNetwork } from '../../simulation/SimulatedNetwork.js';
import { AcsCallbackDispatcher, type AcsDelivery } from './AcsCallbackDispatcher.js';
import { identityFromModel, identityToModel } from './AcsIdentifierModel.js';
import { AcsRestError } from './AcsRestError.js';
import { AcsSimulatedNetwork } from './AcsSimulatedNetwork.js';
import type { AcsCloudEvent, EmulatedCallContext } from './EmulatedCall.js';
import { EmulatedCall, requiredIdentity } from './EmulatedCall.js';
import type { EmulatedParty } from './EmulatedParty.js';
import { AcsEmulatedStreaming } from './streaming/AcsEmulatedStreaming.js';
import { UnplayableFiles } from './UnplayableFiles.js';
import { verifyAcsHmac } from './verifyAcsHmac.js';

/** Options of `AcsEmulator.start`. */
export interface AcsEmulatorOptions {
  /** The access key (base64) requests must be signed with; random by default. */
  readonly accessKey?: string;
  /** The ACS resource id: the audience of the callback tokens. Random by default. */
  readonly resourceId?: string;
  /** How long each prompt plays (and a DTMF send takes), in milliseconds (default 20). */
  readonly promptDurationMs?: number;
  readonly logger?: Logger;
  /**
   * Send no call callbacks (Event Grid deliveries still go out): the REST side answers as usual while a test
   * feeds the bot recorded callbacks instead (the replay tests).
   */
  readonly muteCallbacks?: boolean;
}

/** A REST request the emulator received. */
export interface AcsRecordedRequest {
  readonly method: string;
  /** Path with query, as sent. */
  readonly path: string;
  /** Headers, names in lower case. */
  readonly headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it is not JSON; `undefined` when empty). */
  readonly body: unknown;
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface Fault {
  readonly method?: string;
  readonly pathIncludes?: string;
  readonly response: Reply;
  remaining: number;
}

interface Offer {
  readonly party: EmulatedParty;
  readonly to: Identity;
  readonly serverCallId: string;
  readonly correlationId: string;
  state: 'offered' | 'answered' | 'rejected' | 'redirected' | 'withdrawn' | 'failed';
}

interface Recording {
  readonly id: string;
  readonly call: EmulatedCall;
  readonly callbackUri: string;
  /** The recorder's own endpoint: the `PlatformEndpointId` inside the recording id (flow 12). */
  readonly endpointId: string;
  state: 'active' | 'inactive';
  startedAt?: string;
}

type Body = Record<string, unknown>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (match: RegExpExecArray, body: Body) => Reply;
}

const issuer = 'https://acscallautomation.communication.azure.com';
/** The Azure AI services endpoint `botConfig` links to the bot's calls. */
export const emulatedSpeechEndpoint = 'https://acs-emulator-speech.cognitiveservices.azure.com/';
const topic =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/switchboard/providers/microsoft.communication/communicationservices/acs-emulator';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const call = '/calling/callConnections/([^/:]+)';

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredUrl(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw AcsRestError.badRequest(`${name} is required.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw AcsRestError.badRequest(`${name} must be an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw AcsRestError.badRequest(`${name} must be an http or https URL.`);
  }
  return value;
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw AcsRestError.badRequest(`${name} must be a string.`);
  return value;
}

// `callIntelligenceOptions.cognitiveServicesEndpoint` on create, answer and connect links speech services.
function speechOf(body: Body): { speechServices?: boolean } {
  const options = body.callIntelligenceOptions;
  return isRecord(options) && typeof options.cognitiveServicesEndpoint === 'string'
    ? { speechServices: true }
    : {};
}

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A loopback emulator of ACS Call Automation: the REST API the official SDK calls (HMAC-signed, with the service's
 * success codes, error bodies and repeatability), calls with rosters and media driven by simulated parties, and
 * signed CloudEvents callbacks delivered in order per call. Incoming calls reach the bot through an emulated Event
 * Grid subscription.
 *
 * @example
 * const emulator = await AcsEmulator.start();
 * const client = new CallAutomationClient(emulator.connectionString, { allowInsecureConnection: true });
 * await emulator.subscribeEventGrid('http://127.0.0.1:3000/api/incoming');
 * const caller = await emulator.network.dial(phone('+14255550100'));
 */
export class AcsEmulator {
  readonly endpoint: string;
  readonly connectionString: string;
  readonly resourceId: string;
  readonly issuer = issuer;
  readonly keysUrl: string;
  readonly network: SimulatedNetwork;
  readonly #requests: AcsRecordedRequest[] = [];
  readonly #dispatcher: AcsCallbackDispatcher;
  readonly #faults: Fault[] = [];
  readonly #calls = new Map<string, EmulatedCall>();
  readonly #offers = new Map<string, Offer>();
  readonly #recordings = new Map<string, Recording>();
  readonly #repeatability = new Map<string, { readonly fingerprint: string; readonly reply: Reply }>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #routes: readonly Route[];
  readonly #parties: AcsSimulatedNetwork;
  readonly #botIdentity: Identity;
  readonly #promptDurationMs: number;
  readonly #logger: Logger;
  #eventGridUrl: string | undefined;
  readonly #muted: boolean;
  #closed = false;
  /**
   * Real-time media: the WebSockets the emulator opens to the bot's transport URLs (per call: drop one, send
   * malformed frames, read the audio the bot sent back).
   */
  readonly streaming: AcsEmulatedStreaming;
  /**
   * The audio files this emulated service cannot play (PlayFailed, HoldFailed, RecognizeFailed follow): hosts
   * `dummy.com` and `*.invalid`, and any URL marked with `unplayableFiles.mark(url)`.
   */
  readonly unplayableFiles = new UnplayableFiles();

  readonly #clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#closed) callback();
      }, ms);
      timer.unref?.();
      this.#timers.add(timer);
      return timer as unknown as TimerHandle;
    },
    clearTimeout: (handle) => {
      const timer = handle as unknown as ReturnType<typeof setTimeout>;
      clearTimeout(timer);
      this.#timers.delete(timer);
    },
  };

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly accessKey: string,
    private readonly tokens: TestTokenIssuer,
    resourceId: string,
    options: AcsEmulatorOptions,
  ) {
    this.endpoint = `http://127.0.0.1:${port}/`;
    this.connectionString = `endpoint=${this.endpoint};accesskey=${accessKey}`;
    this.resourceId = resourceId;
    this.keysUrl = `${this.endpoint}calling/keys`;
    this.#promptDurationMs = options.promptDurationMs ?? 20;
    this.#muted = options.muteCallbacks === true;
    this.#logger = options.logger ?? silentLogger;
    this.#dispatcher = new AcsCallbackDispatcher(this.#logger);
    // Media streaming connections carry the same kind of token as callbacks, with a 24-hour lifetime.
    this.streaming = new AcsEmulatedStreaming(
      () => this.tokens.sign({ audience: this.resourceId, expiresInSeconds: 24 * 3600 }),
      this.#logger,
    );
    this.#botIdentity = acsUser(`8:acs:${this.resourceId}_${randomUUID()}`);
    this.#parties = new AcsSimulatedNetwork(this.#clock, (party, displayName) =>
      this.#dialBot(party, displayName),
    );
    this.network = this.#parties;
    this.#routes = this.#buildRoutes();
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.#handle(request, response);
    });
  }

  /** Starts an emulator on 127.0.0.1 at a free port. */
  static async start(options: AcsEmulatorOptions = {}): Promise<AcsEmulator> {
    const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
    const tokens = await TestTokenIssuer.create({ issuer });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new AcsEmulator(server, port, accessKey, tokens, options.resourceId ?? randomUUID(), options);
  }

  /** Every REST request received (method, path with query, headers, parsed body), for assertions. */
  get requests(): readonly AcsRecordedRequest[] {
    return this.#requests;
  }

  /** Callback deliveries it made (call callbacks and Event Grid deliveries) and the status each got. */
  get deliveries(): readonly AcsDelivery[] {
    return this.#dispatcher.deliveries;
  }

  /**
   * The `acs` section of a telephony configuration for a bot that talks to this emulator: its connection string,
   * the bot's `callbackUrl`, the callback token audience and keys, and a caller id for phone targets.
   */
  botConfig(
    callbackUrl: string,
    options: { readonly eventGridSecret?: string; readonly speechServices?: boolean } = {},
  ): Record<string, unknown> {
    return {
      // Text-to-speech and speech recognition need speech services linked, here as on the real service; pass
      // `speechServices: false` for a bot without them.
      ...(options.speechServices === false ? {} : { cognitiveServicesEndpoint: emulatedSpeechEndpoint }),
      connectionString: this.connectionString,
      allowInsecureConnection: true,
      callbackUrl,
      resourceId: this.resourceId,
      keysUrl: this.keysUrl,
      callerId: '+18005550100',
      ...(options.eventGridSecret ? { eventGridSecret: options.eventGridSecret } : {}),
    };
  }

  /**
   * Where IncomingCall Event Grid deliveries go (the bot's Event Grid webhook). Performs Event Grid's
   * SubscriptionValidation handshake first (expects 200 with `{"validationResponse": code}`); rejects if it fails.
   * `secret`, if given, is appended to the URL as the query parameter `secret=`.
   */
  async subscribeEventGrid(url: string, options?: { readonly secret?: string }): Promise<void> {
    const target = new URL(url);
    if (options?.secret !== undefined) target.searchParams.set('secret', options.secret);
    const validationCode = randomUUID();
    const { status, text } = await this.#dispatcher.post({
      url: target.toString(),
      body: [
        {
          id: randomUUID(),
          topic,
          subject: '',
          data: {
            validationCode,
            validationUrl: `${this.endpoint}eventsubscriptions/acs-emulator/validate?id=${validationCode}&token=${randomUUID()}`,
          },
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: new Date().toISOString(),
          metadataVersion: '1',
          dataVersion: '1',
        },
      ],
      headers: async () => this.#eventGridHeaders('SubscriptionValidation'),
    });
    if (status !== 200) throw new Error(`Event Grid validation failed: the webhook answered ${status}`);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error('Event Grid validation failed: the webhook did not answer JSON');
    }
    if (!isRecord(answer) || answer.validationResponse !== validationCode) {
      throw new Error('Event Grid validation failed: wrong or missing validationResponse');
    }
    this.#eventGridUrl = target.toString();
  }

  /** Fault injection: the next `times` (default 1) requests matching get this answer instead. */
  failNext(
    match: { readonly method?: string; readonly pathIncludes?: string },
    response: { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> },
    times = 1,
  ): void {
    this.#faults.push({ ...match, response, remaining: times });
  }

  /** Stops the server, every timer and every delivery. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#dispatcher.close();
    this.streaming.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- HTTP ---

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(request);
      const rawPath = request.url ?? '/';
      const url = new URL(rawPath, 'http://127.0.0.1');
      const method = (request.method ?? 'GET').toUpperCase();
      const headers = flattenHeaders(request.headers);
      if (method === 'GET' && url.pathname === '/calling/keys') {
        this.#send(response, { status: 200, body: this.tokens.jwks });
        return;
      }
      if (method === 'GET' && url.pathname === '/calling/.well-known/acsopenidconfiguration') {
        this.#send(response, { status: 200, body: this.tokens.openIdConfiguration(this.keysUrl) });
        return;
      }
      const text = raw.toString('utf8');
      let body: unknown;
      let invalidJson = false;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
          invalidJson = true;
        }
      }
      this.#requests.push({ method, path: rawPath, headers, body });
      this.#logger.debug('acs emulator: request', { method, path: url.pathname });
      const fault = this.#takeFault(method, rawPath);
      if (fault) {
        this.#send(response, fault);
        return;
      }
      this.#send(response, this.#process(method, url, headers, raw, body, invalidJson));
    } catch (error) {
      this.#logger.error('acs emulator: request failed', { error: String(error) });
      this.#send(response, {
        status: 500,
        body: { error: { code: 'InternalError', message: String(error) } },
      });
    }
  }

  #process(
    method: string,
    url: URL,
    headers: Record<string, string>,
    raw: Buffer,
    body: unknown,
    invalidJson: boolean,
  ): Reply {
    if (!url.searchParams.get('api-version')) {
      return new AcsRestError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ).reply();
    }
    const query = url.searchParams.toString();
    const failure = verifyAcsHmac(
      { method, pathAndQuery: query ? `${url.pathname}?${query}` : url.pathname, headers, body: raw },
      this.accessKey,
    );
    if (failure)
      return new AcsRestError(401, 'Denied', `Denied by the resource provider. ${failure}`).reply();
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of this.#routes) {
      if (candidate.method !== method) continue;
      match = candidate.pattern.exec(url.pathname);
      if (match) {
        route = candidate;
        break;
      }
    }
    if (!route || !match) {
      return new AcsRestError(404, 'NotFound', `No route for ${method} ${url.pathname}.`).reply();
    }
    if (invalidJson) return AcsRestError.badRequest('The request body is not valid JSON.').reply();
    if (body !== undefined && !isRecord(body))
      return AcsRestError.badRequest('The request body must be an object.').reply();
    const requestId = headers['repeatability-request-id'];
    let fingerprint = '';
    if (requestId !== undefined) {
      const firstSent = headers['repeatability-first-sent'];
      if (!uuidPattern.test(requestId))
        return AcsRestError.badRequest('Repeatability-Request-ID must be a UUID.').reply();
      if (firstSent === undefined || Number.isNaN(Date.parse(firstSent))) {
        return AcsRestError.badRequest('Repeatability-First-Sent must be an HTTP date.').reply();
      }
      fingerprint = `${method} ${url.pathname} ${createHash('sha256').update(raw).digest('base64')}`;
      const seen = this.#repeatability.get(requestId);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return new AcsRestError(
            409,
            'Conflict',
            'Repeatability-Request-ID was already used for another request.',
          ).reply();
        }
        return seen.reply;
      }
    }
    let reply: Reply;
    try {
      reply = route.handle(match, body ?? {});
    } catch (error) {
      if (!(error instanceof AcsRestError)) throw error;
      reply = error.reply();
    }
    if (requestId !== undefined) {
      reply = { ...reply, headers: { ...reply.headers, 'repeatability-result': 'accepted' } };
      if (reply.status < 500) this.#repeatability.set(requestId, { fingerprint, reply });
    }
    return reply;
  }

  #send(response: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...reply.headers };
    if (reply.body === undefined || reply.status === 204) {
      response.writeHead(reply.status, headers);
      response.end();
      return;
    }
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(payload);
  }

  #takeFault(method: string, path: string): Reply | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method.toUpperCase() === method) &&
        (fault.pathIncludes === undefined || path.includes(fault.pathIncludes)),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault.response;
  }

  // --- REST routes ---

  #buildRoutes(): Route[] {
    const onCall =
      (handle: (call: EmulatedCall, body: Body, match: RegExpExecArray) => Reply) =>
      (match: RegExpExecArray, body: Body): Reply =>
        handle(this.#liveCall(decodeURIComponent(match[1] ?? '')), body, match);
    const route = (method: string, path: string, handle: Route['handle']): Route => ({
      method,
      pattern: new RegExp(`^${path}$`),
      handle,
    });
    return [
      route('POST', '/calling/callConnections', (_m, body) => this.#createCall(body)),
      route('POST', '/calling/callConnections:answer', (_m, body) => this.#answer(body)),
      route('POST', '/calling/callConnections:redirect', (_m, body) => this.#redirect(body)),
      route('POST', '/calling/callConnections:reject', (_m, body) => this.#reject(body)),
      route('POST', '/calling/callConnections:connect', (_m, body) => this.#connect(body)),
      route(
        'GET',
        call,
        onCall((c) => ({ status: 200, body: c.properties() })),
      ),
      route(
        'DELETE',
        call,
        onCall((c) => {
          c.hangUp(false);
          return { status: 204 };
        }),
      ),
      route(
        'POST',
        `${call}:terminate`,
        onCall((c) => {
          c.hangUp(true);
          return { status: 204 };
        }),
      ),
      route(
        'POST',
        `${call}:transferToParticipant`,
        onCall((c, body) => ({ status: 202, body: c.transfer(body) })),
      ),
      route(
        'GET',
        `${call}/participants`,
        onCall((c) => ({ status: 200, body: { value: c.participants() } })),
      ),
      route(
        'GET',
        `${call}/participants/([^/]+)`,
        onCall((c, _body, match) => ({
          status: 200,
          body: c.participant(decodeURIComponent(match[2] ?? '')),
        })),
      ),
      route(
        'POST',
        `${call}/participants:add`,
        onCall((c, body) => ({ status: 202, body: c.addParticipant(body) })),
      ),
      route(
        'POST',
        `${call}/participants:remove`,
        onCall((c, body) => ({ status: 202, body: c.removeParticipant(body) })),
      ),
      route(
        'POST',
        `${call}/participants:mute`,
        onCall((c, body) => ({ status: 200, body: c.mute(body) })),
      ),
      route(
        'POST',
        `${call}/participants:cancelAddParticipant`,
        onCall((c, body) => ({ status: 202, body: c.cancelAddParticipant(body) })),
      ),
      route(
        'POST',
        `${call}:play`,
        onCall((c, body) => {
          c.play(body);
          return { status: 202 };
        }),
      ),
      route(
        'POST',
        `${call}:recognize`,
        onCall((c, body) => {
          c.recognize(body);
          return { status: 202 };
        }),
      ),
      route(
        'POST',
        `${call}:cancelAllMediaOperations`,
        onCall((c) => {
          c.cancelAllMedia();
          return { status: 202 };
        }),
      ),
      route(
        'POST',
        `${call}:startContinuousDtmfRecognition`,
        onCall((c, body) => {
          c.startContinuousDtmf(body);
          return { status: 200 };
        }),
      ),
      route(
        'POST',
        `${call}:stopContinuousDtmfRecognition`,
        onCall((c, body) => {
          c.stopContinuousDtmf(body);
          return { status: 200 };
        }),
      ),
      route(
        'POST',
        `${call}:sendDtmfTones`,
        onCall((c, body) => ({ status: 202, body: c.sendDtmfTones(body) })),
      ),
      route(
        'POST',
        `${call}:hold`,
        onCall((c, body) => {
          c.hold(body, true);
          return { status: 200 };
        }),
      ),
      route(
        'POST',
        `${call}:unhold`,
        onCall((c, body) => {
          c.hold(body, false);
          return { status: 200 };
        }),
      ),
      ...(['start', 'stop', 'update'] as const).map((action) =>
        route(
          'POST',
          `${call}:${action}Transcription`,
          onCall((c, body) => {
            c.transcription(body, action);
            return { status: 202 };
          }),
        ),
      ),
      ...(['start', 'stop'] as const).map((action) =>
        route(
          'POST',
          `${call}:${action}MediaStreaming`,
          onCall((c, body) => {
            c.mediaStreaming(body, action);
            return { status: 202 };
          }),
        ),
      ),
      route('POST', '/calling/recordings', (_m, body) => this.#startRecording(body)),
      route('GET', '/calling/recordings/([^/:]+)', (m) => {
        const recording = this.#recording(m);
        return { status: 200, body: this.#recordingState(recording) };
      }),
      route('DELETE', '/calling/recordings/([^/:]+)', (m) => {
        const recording = this.#recording(m);
        this.#recordings.delete(recording.id);
        this.#setRecordingState(recording, 'inactive', true);
        return { status: 204 };
      }),
      route('POST', '/calling/recordings/([^/:]+):pause', (m) => {
        this.#setRecordingState(this.#recording(m), 'inactive');
        return { status: 202 };
      }),
      route('POST', '/calling/recordings/([^/:]+):resume', (m) => {
        this.#setRecordingState(this.#recording(m), 'active');
        return { status: 202 };
      }),
    ];
  }

  #liveCall(id: string): EmulatedCall {
    const found = this.#calls.get(id);
    if (!found || found.state === 'disconnected') throw AcsRestError.callNotFound(id);
    return found;
  }

  #context(): EmulatedCallContext {
    return {
      promptDurationMs: this.#promptDurationMs,
      clock: this.#clock,
      party: (identity) => this.#parties.party(identity),
      deliver: (target, url, event) => this.#deliver(target, url, event),
      streaming: this.streaming,
      unplayable: this.unplayableFiles,
    };
  }

  #createCall(body: Body): Reply {
    const targetsValue = body.targets;
    if (!Array.isArray(targetsValue) || targetsValue.length === 0) {
      throw AcsRestError.badRequest('targets must list at least one participant.');
    }
    const targets = targetsValue.map((model: unknown) => {
      const identity = identityFromModel(model);
      if (!identity) throw AcsRestError.badRequest('targets must list communication identifiers.');
      return identity;
    });
    const callbackUri = requiredUrl(body, 'callbackUri');
    const operationContext = optionalString(body, 'operationContext');
    const source =
      isRecord(body.source) && typeof body.source.id === 'string' ? acsUser(body.source.id) : undefined;
    const callerId =
      isRecord(body.sourceCallerIdNumber) && typeof body.sourceCallerIdNumber.value === 'string'
        ? phone(body.sourceCallerIdNumber.value)
        : undefined;
    if (targets.some((target) => target.kind === 'phone') && !callerId) {
      throw AcsRestError.badRequest('sourceCallerIdNumber is required to call a phone number.');
    }
    const sourceDisplayName = optionalString(body, 'sourceDisplayName');
    const created = new EmulatedCall(this.#context(), {
      ...speechOf(body),
      direction: 'outbound',
      callbackUri,
      targets,
      self: source ?? this.#botIdentity,
      ...(operationContext !== undefined ? { operationContext } : {}),
      ...(sourceDisplayName ? { sourceDisplayName } : {}),
      ...(callerId ? { sourceCallerIdNumber: callerId } : {}),
      ...this.#autoStart(body),
    });
    this.#calls.set(created.id, created);
    created.ringTargets();
    return { status: 201, body: created.properties() };
  }

  #autoStart(body: Body): {
    startTranscription?: boolean;
    startMediaStreaming?: boolean;
    mediaStreamingOptions?: Body;
    transcriptionOptions?: Body;
  } {
    const transcription = body.transcriptionOptions;
    const streaming = body.mediaStreamingOptions;
    return {
      ...(isRecord(transcription) ? { transcriptionOptions: transcription } : {}),
      ...(isRecord(streaming) ? { mediaStreamingOptions: streaming } : {}),
      ...(isRecord(transcription) && transcription.startTranscription === true
        ? { startTranscription: true }
        : {}),
      ...(isRecord(streaming) && streaming.startMediaStreaming === true ? { startMediaStreaming: true } : {}),
    };
  }

  #offer(body: Body): Offer {
    const context = optionalString(body, 'incomingCallContext');
    if (!context) throw AcsRestError.badRequest('incomingCallContext is required.');
    const offer = this.#offers.get(context);
    if (!offer) throw new AcsRestError(400, '8523', 'Invalid incomingCallContext.');
    if (offer.state !== 'offered') {
      throw new AcsRestError(400, '8523', `The incoming call is no longer ringing (${offer.state}).`);
    }
    return offer;
  }

  #answer(body: Body): Reply {
    const offer = this.#offer(body);
    const callbackUri = requiredUrl(body, 'callbackUri');
    const operationContext = optionalString(body, 'operationContext');
    const answeredBy =
      isRecord(body.answeredBy) && typeof body.answeredBy.id === 'string'
        ? acsUser(body.answeredBy.id)
        : undefined;
    offer.state = 'answered';
    const answered = new EmulatedCall(this.#context(), {
      ...speechOf(body),
      direction: 'inbound',
      callbackUri,
      targets: [offer.to],
      source: offer.party.identity,
      self: answeredBy ?? this.#botIdentity,
      serverCallId: offer.serverCallId,
      correlationId: offer.correlationId,
      ...(operationContext !== undefined ? { operationContext } : {}),
      ...(answeredBy ? { answeredBy } : {}),
      ...this.#autoStart(body),
    });
    this.#calls.set(answered.id, answered);
    answered.acceptCaller(offer.party);
    return { status: 200, body: answered.properties() };
  }

  #reject(body: Body): Reply {
    const offer = this.#offer(body);
    const reason = optionalString(body, 'callRejectReason');
    if (reason !== undefined && !['none', 'busy', 'forbidden'].includes(reason)) {
      throw AcsRestError.badRequest('callRejectReason must be none, busy or forbidden.');
    }
    offer.state = 'rejected';
    offer.party.left();
    return { status: 204 };
  }

  #redirect(body: Body): Reply {
    const offer = this.#offer(body);
    const target = requiredIdentity(body, 'target');
    offer.state = 'redirected';
    const caller = offer.party;
    const party = this.#parties.party(target);
    let settled = false;
    party.ring({
      get settled() {
        return settled;
      },
      answer: () => {
        settled = true;
        const peers = new Set<EmulatedParty>();
        caller.joinedPeers(peers);
        party.joinedPeers(peers);
      },
      decline: () => {
        settled = true;
        caller.left();
      },
    });
    return { status: 204 };
  }

  #connect(body: Body): Reply {
    const locator = body.callLocator;
    if (!isRecord(locator)) throw AcsRestError.badRequest('callLocator is required.');
    const callbackUri = requiredUrl(body, 'callbackUri');
    const operationContext = optionalString(body, 'operationContext');
    const serverCallId = optionalString(locator, 'serverCallId');
    const groupCallId = optionalString(locator, 'groupCallId');
    const roomId = optionalString(locator, 'roomId');
    let parties: EmulatedParty[] = [];
    if (serverCallId) {
      const existing = [...this.#calls.values()].find(
        (c) => c.serverCallId === serverCallId && c.state !== 'disconnected',
      );
      if (!existing) throw new AcsRestError(404, '8522', 'No call with this serverCallId.');
      parties = existing.otherIdentities().map((identity) => this.#parties.party(identity));
    } else if (!groupCallId && !roomId) {
      throw AcsRestError.badRequest('callLocator needs a serverCallId, groupCallId or roomId.');
    }
    const joined = new EmulatedCall(this.#context(), {
      ...speechOf(body),
      direction: 'outbound',
      callbackUri,
      targets: [],
      self: this.#botIdentity,
      ...(serverCallId ? { serverCallId } : {}),
      ...(operationContext !== undefined ? { operationContext } : {}),
      ...this.#autoStart(body),
    });
    this.#calls.set(joined.id, joined);
    joined.acceptJoin(parties);
    return { status: 200, body: joined.properties() };
  }

  #startRecording(body: Body): Reply {
    const callConnectionId = optionalString(body, 'callConnectionId');
    const locator = isRecord(body.callLocator) ? body.callLocator : undefined;
    const serverCallId = locator ? optionalString(locator, 'serverCallId') : undefined;
    let target: EmulatedCall | undefined;
    if (callConnectionId) target = this.#liveCall(callConnectionId);
    else if (serverCallId) {
      target = [...this.#calls.values()].find(
        (c) => c.serverCallId === serverCallId && c.state !== 'disconnected',
      );
      if (!target) throw new AcsRestError(404, '8522', 'No call with this serverCallId.');
    } else {
      throw AcsRestError.badRequest('callLocator.serverCallId or callConnectionId is required.');
    }
    target.requireConnected();
    const stateUri = body.recordingStateCallbackUri;
    const callbackUri =
      stateUri === undefined || stateUri === null
        ? target.init.callbackUri
        : requiredUrl(body, 'recordingStateCallbackUri');
    const endpointId = randomUUID();
    const id = Buffer.from(
      JSON.stringify({ PlatformEndpointId: endpointId, ResourceSpecificId: randomUUID() }),
    ).toString('base64');
    // As recorded (flow 12, REST R8): 200 with `recordingState: inactive`, a RecordingStateChanged `inactive`,
    // then `active` a moment later (78 ms in the recording) unless the recording starts paused.
    const recording: Recording = { id, call: target, callbackUri, endpointId, state: 'inactive' };
    this.#recordings.set(id, recording);
    const reply = { status: 200, body: this.#recordingState(recording) };
    target.recordingStateChanged(callbackUri, recording, endpointId);
    if (body.pauseOnStart !== true) {
      this.#clock.setTimeout(
        () => {
          if (this.#recordings.get(id) !== recording || recording.state === 'active') return;
          recording.startedAt = new Date().toISOString();
          this.#setRecordingState(recording, 'active');
        },
        Math.max(1, this.#promptDurationMs),
      );
    }
    return reply;
  }

  #recording(match: RegExpExecArray): Recording {
    const id = decodeURIComponent(match[1] ?? '');
    const recording = this.#recordings.get(id);
    if (!recording || recording.call.state === 'disconnected') {
      this.#recordings.delete(id);
      throw new AcsRestError(404, '8522', `Recording ${id} not found.`);
    }
    return recording;
  }

  #recordingState(recording: Recording): Record<string, unknown> {
    return {
      recordingId: recording.id,
      recordingState: recording.state,
      recordingKind: 'azureCommunicationServices',
    };
  }

  #setRecordingState(recording: Recording, state: Recording['state'], always = false): void {
    if (recording.state === state && !always) return;
    recording.state = state;
    if (state === 'active') recording.startedAt ??= new Date().toISOString();
    recording.call.recordingStateChanged(recording.callbackUri, recording, recording.endpointId);
  }

  // --- deliveries ---

  #deliver(target: EmulatedCall, url: string, event: AcsCloudEvent): void {
    if (this.#closed || this.#muted) return;
    this.#dispatcher.enqueue(target.id, {
      url,
      body: [event],
      headers: async () => ({
        'content-type': 'application/json',
        // A new token per request, as ACS does: RS256, 5-minute lifetime, audience the resource id.
        authorization: `Bearer ${await this.tokens.sign({ audience: this.resourceId, expiresInSeconds: 300 })}`,
      }),
    });
  }

  #eventGridHeaders(type: 'SubscriptionValidation' | 'Notification'): Record<string, string> {
    return {
      'content-type': 'application/json',
      'aeg-event-type': type,
      'aeg-subscription-name': 'ACS-EMULATOR-INCOMING-CALLS',
      'aeg-delivery-count': '0',
      'aeg-data-version': type === 'Notification' ? '1.0' : '1',
      'aeg-metadata-version': '1',
    };
  }

  async #dialBot(party: EmulatedParty, displayName: string | undefined): Promise<void> {
    const url = this.#eventGridUrl;
    if (!url) throw new Error('No Event Grid subscription: call subscribeEventGrid(url) first.');
    const incomingCallContext = `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url({ cc: randomUUID(), shrToken: randomBytes(24).toString('base64') })}.`;
    const offer: Offer = {
      party,
      to: this.#botIdentity,
      serverCallId: Buffer.from(
        `https://emulator.acs.invalid/conv/${randomUUID()}?i=1&e=${Date.now()}`,
      ).toString('base64'),
      correlationId: randomUUID(),
      state: 'offered',
    };
    this.#offers.set(incomingCallContext, offer);
    party.offering({
      withdraw: () => {
        if (offer.state === 'offered') offer.state = 'withdrawn';
      },
    });
    const from = party.identity;
    const { status } = await this.#dispatcher.post({
      url,
      body: [
        {
          id: randomUUID(),
          topic,
          subject: `/caller/${from.rawId}/recipient/${offer.to.rawId}`,
          data: {
            to: identityToModel(offer.to),
            from: identityToModel(from),
            serverCallId: offer.serverCallId,
            callerDisplayName: displayName ?? '',
            incomingCallContext,
            correlationId: offer.correlationId,
          },
          eventType: 'Microsoft.Communication.IncomingCall',
          dataVersion: '1.0',
          metadataVersion: '1',
          eventTime: new Date().toISOString(),
        },
      ],
      headers: async () => this.#eventGridHeaders('Notification'),
    });
    if (status < 200 || status > 299) {
      if (offer.state === 'offered') offer.state = 'failed';
      party.offering(undefined);
      throw new Error(`Event Grid delivery of IncomingCall failed: the webhook answered ${status}`);
    }
  }
}
