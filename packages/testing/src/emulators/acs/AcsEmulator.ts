import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Identity, Logger, TimerHandle } from '@switchboard/core';
import { acsUser, silentLogger } from '@switchboard/core';
import { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';
import { PhoneNetwork } from '../../simulation/PhoneNetwork.js';
import { AcsCallbackDispatcher, type AcsDelivery } from './AcsCallbackDispatcher.js';
import { AcsCallRegistry } from './AcsCallRegistry.js';
import { AcsIncomingCalls } from './AcsIncomingCalls.js';
import { AcsRecordings } from './AcsRecordings.js';
import type { AcsCloudEvent } from './call/acsCallbackEvent.js';
import type { EmulatedCall, EmulatedCallContext } from './call/EmulatedCall.js';
import { type AcsRecordedRequest, AcsRestFront } from './rest/AcsRestFront.js';
import type { AcsRouteDeps } from './rest/AcsRouteDeps.js';
import { callConnectionRoutes } from './rest/callConnectionRoutes.js';
import { mediaRoutes } from './rest/mediaRoutes.js';
import { participantRoutes } from './rest/participantRoutes.js';
import { recordingRoutes } from './rest/recordingRoutes.js';
import { streamingRoutes } from './rest/streamingRoutes.js';
import { AcsEmulatedStreaming } from './streaming/AcsEmulatedStreaming.js';
import { UnplayableFiles } from './UnplayableFiles.js';

export type { AcsRecordedRequest } from './rest/AcsRestFront.js';

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
  /**
   * Refuse start, stop and update of transcription, and start and stop of media streaming, on a call created,
   * answered or connected without `transcriptionOptions` / `mediaStreamingOptions`, as the service does
   * (400/8585). On by default; `false` accepts them anyway (for a client that cannot send the options).
   */
  readonly refuseStreamingWithoutOptions?: boolean;
}

const issuer = 'https://acscallautomation.communication.azure.com';
/** The Azure AI services endpoint `botConfig` links to the bot's calls. */
export const emulatedSpeechEndpoint = 'https://acs-emulator-speech.cognitiveservices.azure.com/';

/**
 * A loopback emulator of ACS Call Automation: the REST API the official SDK calls (HMAC-signed, with the service's
 * success codes, error bodies and repeatability), calls with rosters and media driven by the simulated world's
 * parties, and signed CloudEvents callbacks delivered in order per call. Incoming calls reach the bot through an
 * emulated Event Grid subscription. The parts: `rest/` (HTTP and routes per resource), `call/` (one call
 * connection: lifecycle, roster, operations, callbacks), the incoming calls, the recordings.
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
  /** The simulated world's parties around the emulated service (the same party API as every backend). */
  readonly network: PhoneNetwork;
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
  readonly #dispatcher: AcsCallbackDispatcher;
  readonly #front: AcsRestFront;
  readonly #incoming: AcsIncomingCalls;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #muted: boolean;
  #closed = false;

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
    accessKey: string,
    private readonly tokens: TestTokenIssuer,
    resourceId: string,
    options: AcsEmulatorOptions,
  ) {
    this.endpoint = `http://127.0.0.1:${port}/`;
    this.connectionString = `endpoint=${this.endpoint};accesskey=${accessKey}`;
    this.resourceId = resourceId;
    this.keysUrl = `${this.endpoint}calling/keys`;
    const promptDurationMs = options.promptDurationMs ?? 20;
    const logger = options.logger ?? silentLogger;
    this.#muted = options.muteCallbacks === true;
    this.#dispatcher = new AcsCallbackDispatcher(logger);
    // Media streaming connections carry the same kind of token as callbacks, with a 24-hour lifetime.
    this.streaming = new AcsEmulatedStreaming(
      () => this.tokens.sign({ audience: this.resourceId, expiresInSeconds: 24 * 3600 }),
      logger,
    );
    const botIdentity: Identity = acsUser(`8:acs:${this.resourceId}_${randomUUID()}`);
    this.#incoming = new AcsIncomingCalls(this.#dispatcher, this.endpoint, botIdentity);
    this.network = new PhoneNetwork({
      after: (ms, callback) => {
        const handle = this.#clock.setTimeout(callback, ms);
        return () => this.#clock.clearTimeout(handle);
      },
      defaultAnswerAfterMs: 0,
      dialBot: (party, displayName) => this.#incoming.dial(party, displayName),
    });
    const calls = new AcsCallRegistry();
    const callContext: EmulatedCallContext = {
      promptDurationMs,
      clock: this.#clock,
      party: (identity) => this.network.party(identity),
      deliver: (target, url, event) => this.#deliver(target, url, event),
      streaming: this.streaming,
      unplayable: this.unplayableFiles,
      refuseStreamingWithoutOptions: options.refuseStreamingWithoutOptions !== false,
    };
    const deps: AcsRouteDeps = {
      calls,
      incoming: this.#incoming,
      recordings: new AcsRecordings(calls, this.#clock, promptDurationMs),
      network: this.network,
      botIdentity,
      callContext,
    };
    this.#front = new AcsRestFront(
      [
        ...callConnectionRoutes(deps),
        ...participantRoutes(deps),
        ...mediaRoutes(deps),
        ...streamingRoutes(deps),
        ...recordingRoutes(deps),
      ],
      accessKey,
      (method, pathname) => this.#unsigned(method, pathname),
      logger,
    );
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.#front.handle(request, response);
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
    return this.#front.requests;
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
  subscribeEventGrid(url: string, options?: { readonly secret?: string }): Promise<void> {
    return this.#incoming.subscribe(url, options?.secret);
  }

  /** Fault injection: the next `times` (default 1) requests matching get this answer instead. */
  failNext(
    match: { readonly method?: string; readonly pathIncludes?: string },
    response: { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> },
    times = 1,
  ): void {
    this.#front.failNext(match, response, times);
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

  // The token endpoints answer without a signature or api-version.
  #unsigned(method: string, pathname: string): { status: number; body: unknown } | undefined {
    if (method !== 'GET') return undefined;
    if (pathname === '/calling/keys') return { status: 200, body: this.tokens.jwks };
    if (pathname === '/calling/.well-known/acsopenidconfiguration') {
      return { status: 200, body: this.tokens.openIdConfiguration(this.keysUrl) };
    }
    return undefined;
  }

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
}
