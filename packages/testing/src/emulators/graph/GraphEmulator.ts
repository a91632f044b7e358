import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '@switchboard/core';
import { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';
import type { PhoneNetwork } from '../../simulation/PhoneNetwork.js';
import { TestCertificateAuthority } from '../../tls/TestCertificateAuthority.js';
import { EntraIdRoutes } from './EntraIdRoutes.js';
import { GraphCallService, type GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import { type GraphDelivery, GraphNotifier } from './GraphNotifier.js';
import type { GraphQuirks } from './GraphQuirks.js';
import { routeGraphRequest } from './GraphRoutes.js';
import { headersOf, readBody, silentWav } from './graphHttp.js';

/** How to start a `GraphEmulator`. Ids and the secret are random unless given. */
export interface GraphEmulatorOptions {
  readonly tenantId?: string;
  readonly appId?: string;
  readonly appSecret?: string;
  /** How long each prompt "plays" before the next (and before the operation completes). Default 20. */
  readonly promptDurationMs?: number;
  readonly logger?: Logger;
  /**
   * Take invite, participant mute and the bot's own mute/unmute on one-to-one calls. Graph refuses them there
   * (400, `GraphCallRules.requireGroupCall`), and so does the emulator by default; this is for suites written
   * before bots were told a one-to-one call's capabilities.
   */
  readonly lenientOneToOneCalls?: boolean;
}

/** A request the emulator received (headers lower-cased; JSON and form bodies parsed, secrets masked). */
export interface GraphEmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A canned answer for the next matching requests (see `GraphEmulator.failNext`). */
interface FailureRule {
  readonly method: string | undefined;
  readonly pathIncludes: string | undefined;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  remaining: number;
}

/** A hold on the next matching requests (see `GraphEmulator.delayNext`). */
interface DelayRule {
  readonly method: string | undefined;
  readonly pathIncludes: string | undefined;
  readonly delayMs: number;
  remaining: number;
}

const botFrameworkIssuer = 'https://api.botframework.com';

/**
 * A loopback Microsoft Graph calling service for tests: an https server on 127.0.0.1 with a certificate from a
 * CA made at start-up, serving Entra ID client credentials for MSAL, Graph v1.0 `/communications/calls`, and
 * signed `commsNotification` callbacks to the bot. The other end of each call is the simulated phone world
 * (`network`): the same parties the in-memory backend and the ACS emulator use.
 *
 * @example
 * const graph = await GraphEmulator.start();
 * graph.setBotNotificationUrl(`${bot.url}/api/calls`);
 * const caller = await graph.network.dial(phone('+14255550100'));
 * await caller.waitToHear('welcome.wav');
 */
export class GraphEmulator {
  /** The issuer of notification tokens, as the real service signs them. */
  readonly notificationIssuer = botFrameworkIssuer;
  readonly network: PhoneNetwork;
  private readonly received: GraphEmulatorRequest[] = [];
  private readonly failures: FailureRule[] = [];
  private readonly delays: DelayRule[] = [];

  private constructor(
    private readonly server: https.Server,
    readonly baseUrl: string,
    readonly tenantId: string,
    readonly appId: string,
    readonly appSecret: string,
    readonly caCertificatePem: string,
    private readonly identity: EntraIdRoutes,
    private readonly notifier: GraphNotifier,
    private readonly service: GraphCallService,
    private readonly logger: Logger,
  ) {
    this.network = service.network;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void this.handle(request, response);
    });
  }

  /** Starts the emulator on a free port of 127.0.0.1. */
  static async start(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
    const logger = options.logger ?? silentLogger;
    const tenantId = options.tenantId ?? randomUUID();
    const appId = options.appId ?? randomUUID();
    const appSecret = options.appSecret ?? randomBytes(24).toString('base64url');
    const authority = await TestCertificateAuthority.create({
      commonName: 'Switchboard Graph Emulator Test CA',
    });
    const certificate = await authority.issueServerCertificate(['localhost', '127.0.0.1']);
    const server = https.createServer({ key: certificate.privateKeyPem, cert: certificate.certificatePem });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const baseUrl = `https://localhost:${port}`;
    const accessTokens = await TestTokenIssuer.create({
      issuer: `https://sts.windows.net/${tenantId}/`,
      keyId: `entra-${randomUUID()}`,
    });
    const notificationTokens = await TestTokenIssuer.create({
      issuer: botFrameworkIssuer,
      keyId: `aps-${randomUUID()}`,
    });
    const notifier = new GraphNotifier(notificationTokens, appId, tenantId, authority.certificatePem, logger);
    const service = new GraphCallService({
      appId,
      tenantId,
      baseUrl,
      promptDurationMs: options.promptDurationMs ?? 20,
      notifier,
      logger,
      lenientOneToOneCalls: options.lenientOneToOneCalls === true,
    });
    const identity = new EntraIdRoutes({
      baseUrl,
      tenantId,
      appId,
      appSecret,
      accessTokens,
      notificationTokens,
    });
    return new GraphEmulator(
      server,
      baseUrl,
      tenantId,
      appId,
      appSecret,
      authority.certificatePem,
      identity,
      notifier,
      service,
      logger,
    );
  }

  /** The MSAL authority (`https://localhost:PORT/<tenantId>`); give MSAL `knownAuthorities: [host:port]`. */
  get authority(): string {
    return this.identity.authority;
  }

  /** The OpenID document of the notification signer; its `jwks_uri` is on this server. */
  get openIdConfigurationUrl(): string {
    return `${this.baseUrl}/v1/.well-known/OpenIdConfiguration`;
  }

  /**
   * Calls dialed to the bot from now on come to it as their policy-based (compliance) recorder, the only calls
   * where Graph takes `updateRecordingStatus` (v1 call-updaterecordingstatus).
   */
  setPolicyBasedRecording(on: boolean): void {
    this.service.policyBasedRecording = on;
  }

  /** Real-service behaviours a test switches on: capitalised statuses, lost or forced operation ends, … */
  get quirks(): GraphQuirks {
    return this.service.quirks;
  }

  /** Every request received, in order. */
  get requests(): readonly GraphEmulatorRequest[] {
    return this.received;
  }

  /** Every notification POST made, in order. */
  get deliveries(): readonly GraphDelivery[] {
    return this.notifier.deliveries;
  }

  /**
   * The `graph` section of a telephony configuration for a bot that talks to this emulator: its app credentials,
   * authority, Graph base URL, notification issuer and keys, the test CA to trust, and the bot's `callbackUrl`.
   */
  botConfig(callbackUrl: string): Record<string, unknown> {
    return {
      tenantId: this.tenantId,
      appId: this.appId,
      appSecret: this.appSecret,
      callbackUrl,
      authority: this.authority,
      graphBaseUrl: this.baseUrl,
      openIdConfigurationUrl: this.openIdConfigurationUrl,
      notificationIssuers: [this.notificationIssuer],
      tls: { ca: this.caCertificatePem },
    };
  }

  /** The bot's calling webhook (where incoming-call notifications go; the "Calling webhook" of the bot registration). */
  setBotNotificationUrl(url: string): void {
    this.service.botNotificationUrl = url;
  }

  /**
   * Answers the next `times` (default 1) requests matching `match` with `response` instead of serving them, to
   * test throttling (429 with `Retry-After`), outages and error mapping.
   */
  failNext(
    match: { readonly method?: string; readonly pathIncludes?: string },
    response: { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> },
    times = 1,
  ): void {
    this.failures.push({
      method: match.method?.toUpperCase(),
      pathIncludes: match.pathIncludes,
      status: response.status,
      body: response.body,
      headers: response.headers ?? {},
      remaining: times,
    });
  }

  /**
   * Holds the next `times` (default 1) requests matching `match` for `delayMs` before serving them, as a slow
   * network or a busy service would: a request the bot sends after one of them may be served first.
   */
  delayNext(
    match: { readonly method?: string; readonly pathIncludes?: string },
    delayMs: number,
    times = 1,
  ): void {
    this.delays.push({
      method: match.method?.toUpperCase(),
      pathIncludes: match.pathIncludes,
      delayMs,
      remaining: times,
    });
  }

  /** Resolves once every notification queued so far has been posted. */
  idle(): Promise<void> {
    return this.notifier.allIdle();
  }

  /** Stops timers, closes the server and every connection. */
  async close(): Promise<void> {
    this.service.close();
    this.notifier.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- HTTP ---

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const headers = headersOf(request);
    const clientRequestId = headers['client-request-id'];
    const url = new URL(request.url ?? '/', this.baseUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const send = (status: number, body: unknown, extra: Readonly<Record<string, string>> = {}): void => {
      const payload =
        body === undefined
          ? ''
          : Buffer.isBuffer(body) || typeof body === 'string'
            ? body
            : JSON.stringify(body);
      response.writeHead(status, {
        ...(payload.length === 0 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'request-id': requestId,
        ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
        ...extra,
      });
      response.end(payload);
    };
    try {
      const raw = await readBody(request);
      const isForm = (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      const form = isForm ? new URLSearchParams(raw) : undefined;
      let body: unknown;
      let jsonError = false;
      if (form) {
        body = Object.fromEntries([...form].map(([k, v]) => [k, k === 'client_secret' ? '***' : v]));
      } else if (raw !== '') {
        try {
          body = JSON.parse(raw) as unknown;
        } catch {
          body = raw;
          jsonError = true;
        }
      }
      this.received.push({ method, path: `${url.pathname}${url.search}`, headers, body });
      this.logger.debug('graph emulator: request', { method, path: url.pathname });
      const applies = (rule: FailureRule | DelayRule): boolean =>
        rule.remaining > 0 &&
        (rule.method === undefined || rule.method === method) &&
        (rule.pathIncludes === undefined || url.pathname.includes(rule.pathIncludes));
      const delay = this.delays.find(applies);
      if (delay) {
        delay.remaining -= 1;
        await new Promise((resolve) => setTimeout(resolve, delay.delayMs));
      }
      const failure = this.failures.find(applies);
      if (failure) {
        failure.remaining -= 1;
        send(failure.status, failure.body, failure.headers);
        return;
      }
      const segments = url.pathname
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent);
      if (segments[0] === 'v1.0') {
        if (!(await this.identity.authorized(headers.authorization))) {
          const missing = !headers.authorization?.startsWith('Bearer ');
          const error = new GraphHttpError(
            401,
            'InvalidAuthenticationToken',
            missing ? 'Access token is empty.' : 'Access token validation failure.',
          );
          send(401, error.body(requestId, clientRequestId), {
            'www-authenticate': `Bearer realm="", authorization_uri="${this.authority}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
          });
          return;
        }
        if (jsonError) throw GraphHttpError.badRequest('Unable to read JSON request payload.');
        const result = routeGraphRequest(this.service, method, segments.slice(1), body);
        send(result.status, result.body, { ...(result.headers ?? {}) });
        return;
      }
      const other =
        (await this.identity.route(method, segments, form)) ?? this.download(method, segments, headers);
      send(other.status, other.body, other.headers);
    } catch (error) {
      if (response.headersSent) return;
      if (error instanceof GraphHttpError) {
        send(error.status, error.body(requestId, clientRequestId));
        return;
      }
      this.logger.error('graph emulator: internal error', { error: String(error) });
      send(
        500,
        new GraphHttpError(500, 'InternalServerError', String(error)).body(requestId, clientRequestId),
      );
    }
  }

  /** A recordResponse recording, to the holder of its `recordingAccessToken` only. */
  private download(
    method: string,
    segments: readonly string[],
    headers: Record<string, string>,
  ): GraphResult {
    if (method === 'GET' && segments[0] === 'recordings' && segments.length === 2) {
      const recording = this.service.recordings.get(segments[1] ?? '');
      if (!recording) throw GraphHttpError.notFound('Recording not found.');
      if (headers.authorization !== `Bearer ${recording.accessToken}`) {
        throw new GraphHttpError(
          401,
          'InvalidAuthenticationToken',
          'Recording access token is missing or wrong.',
        );
      }
      return { status: 200, body: silentWav(), headers: { 'content-type': 'audio/wav' } };
    }
    throw GraphHttpError.notFound(`No route for ${method} /${segments.join('/')}.`);
  }
}
