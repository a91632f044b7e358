import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '@switchboard/core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';
import type { SimulatedNetwork } from '../../simulation/SimulatedNetwork.js';
import { TestCertificateAuthority } from '../../tls/TestCertificateAuthority.js';
import { GraphCallService, type GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import { type GraphDelivery, GraphNotifier } from './GraphNotifier.js';
import type { GraphQuirks } from './GraphQuirks.js';
import { GraphSimulatedNetwork } from './GraphSimulatedNetwork.js';

/** How to start a `GraphEmulator`. Ids and the secret are random unless given. */
export interface GraphEmulatorOptions {
  readonly tenantId?: string;
  readonly appId?: string;
  readonly appSecret?: string;
  /** How long each prompt "plays" before the next (and before the operation completes). Default 20. */
  readonly promptDurationMs?: number;
  readonly logger?: Logger;
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

const graphAudiences = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];
const botFrameworkIssuer = 'https://api.botframework.com';
const maxBodyBytes = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A short WAV file of silence: what a recordResponse recording downloads as. */
function silentWav(): Buffer {
  const samples = 8000;
  const data = samples * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(16000, 24);
  wav.writeUInt32LE(32000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  return wav;
}

/**
 * A loopback Microsoft Graph calling service for tests: an https server on 127.0.0.1 with a certificate from a
 * CA made at start-up, serving Entra ID client credentials for MSAL, Graph v1.0 `/communications/calls`, and
 * signed `commsNotification` callbacks to the bot, with simulated parties on the other end of each call.
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
  readonly network: SimulatedNetwork;
  private readonly received: GraphEmulatorRequest[] = [];
  private readonly failures: FailureRule[] = [];
  private readonly accessKeys: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    private readonly server: https.Server,
    readonly baseUrl: string,
    readonly tenantId: string,
    readonly appId: string,
    readonly appSecret: string,
    readonly caCertificatePem: string,
    private readonly accessTokens: TestTokenIssuer,
    private readonly notificationTokens: TestTokenIssuer,
    private readonly notifier: GraphNotifier,
    private readonly service: GraphCallService,
    private readonly logger: Logger,
  ) {
    this.network = new GraphSimulatedNetwork(service);
    this.accessKeys = createLocalJWKSet({ keys: [...accessTokens.jwks.keys] });
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
    });
    return new GraphEmulator(
      server,
      baseUrl,
      tenantId,
      appId,
      appSecret,
      authority.certificatePem,
      accessTokens,
      notificationTokens,
      notifier,
      service,
      logger,
    );
  }

  /** The MSAL authority (`https://localhost:PORT/<tenantId>`); give MSAL `knownAuthorities: [host:port]`. */
  get authority(): string {
    return `${this.baseUrl}/${this.tenantId}`;
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
      const failure = this.failures.find(
        (rule) =>
          rule.remaining > 0 &&
          (rule.method === undefined || rule.method === method) &&
          (rule.pathIncludes === undefined || url.pathname.includes(rule.pathIncludes)),
      );
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
        if (!(await this.authorized(headers.authorization))) {
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
        const result = this.graph(method, segments.slice(1), body);
        send(result.status, result.body, { ...(result.headers ?? {}) });
        return;
      }
      const other = await this.otherRoute(method, segments, form, headers);
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

  private async authorized(header: string | undefined): Promise<boolean> {
    if (!header?.startsWith('Bearer ')) return false;
    try {
      const { payload } = await jwtVerify(header.slice('Bearer '.length), this.accessKeys, {
        issuer: this.accessTokens.issuer,
        audience: graphAudiences,
        algorithms: ['RS256'],
      });
      return payload.appid === this.appId && payload.tid === this.tenantId;
    } catch {
      return false;
    }
  }

  /** Graph v1.0: `segments` follow `/v1.0`. */
  private graph(method: string, segments: readonly string[], body: unknown): GraphResult {
    const [communications, calls, callId, second, third, fourth, ...rest] = segments;
    if (communications !== 'communications' || calls !== 'calls' || rest.length > 0) {
      throw GraphHttpError.badRequest(`Resource not found for the segment '${segments.join('/')}'.`);
    }
    const action = (name: string | undefined): string =>
      (name ?? '').replace(/^microsoft\.graph\./i, '').toLowerCase();
    const service = this.service;
    const methodNotAllowed = (): never => {
      throw new GraphHttpError(405, 'MethodNotAllowed', `${method} is not allowed on this resource.`);
    };
    if (callId === undefined) return method === 'POST' ? service.createCall(body) : methodNotAllowed();
    if (second === undefined) {
      if (method === 'GET') return service.getCall(callId);
      if (method === 'DELETE') return service.deleteCall(callId);
      return methodNotAllowed();
    }
    if (action(second) === 'participants') {
      if (third === undefined)
        return method === 'GET' ? service.listParticipants(callId) : methodNotAllowed();
      if (action(third) === 'invite' && fourth === undefined) {
        return method === 'POST' ? service.invite(callId, body) : methodNotAllowed();
      }
      if (fourth === undefined) {
        if (method === 'GET') return service.getParticipant(callId, third);
        if (method === 'DELETE') return service.removeParticipant(callId, third);
        return methodNotAllowed();
      }
      if (method !== 'POST') return methodNotAllowed();
      switch (action(fourth)) {
        case 'mute':
          return service.muteParticipant(callId, third, body);
        case 'startholdmusic':
          return service.holdMusic(callId, third, body, true);
        case 'stopholdmusic':
          return service.holdMusic(callId, third, body, false);
        default:
          throw GraphHttpError.badRequest(`Resource not found for the segment '${fourth}'.`);
      }
    }
    if (action(second) === 'operations' && third !== undefined && fourth === undefined) {
      return method === 'GET' ? service.getOperation(callId, third) : methodNotAllowed();
    }
    if (third !== undefined)
      throw GraphHttpError.badRequest(`Resource not found for the segment '${third}'.`);
    if (method !== 'POST') return methodNotAllowed();
    switch (action(second)) {
      case 'answer':
        return service.answer(callId, body);
      case 'reject':
        return service.reject(callId, body);
      case 'redirect':
        return service.redirect(callId, body);
      case 'transfer':
        return service.transfer(callId, body);
      case 'keepalive':
        return service.keepAlive(callId, body);
      case 'mute':
        return service.mute(callId, body, true);
      case 'unmute':
        return service.mute(callId, body, false);
      case 'playprompt':
        return service.playPrompt(callId, body);
      case 'recordresponse':
        return service.recordResponse(callId, body);
      case 'subscribetotone':
        return service.subscribeToTone(callId, body);
      case 'senddtmftones':
        return service.sendDtmfTones(callId, body);
      case 'cancelmediaprocessing':
        return service.cancelMediaProcessing(callId, body);
      case 'updaterecordingstatus':
        return service.updateRecordingStatus(callId, body);
      default:
        throw GraphHttpError.badRequest(`Resource not found for the segment '${second}'.`);
    }
  }

  /** Entra ID for MSAL, the notification signer's OpenID document and keys, and recording downloads. */
  private async otherRoute(
    method: string,
    segments: readonly string[],
    form: URLSearchParams | undefined,
    headers: Record<string, string>,
  ): Promise<GraphResult> {
    const path = segments.join('/');
    const tenant = this.tenantId;
    if (method === 'GET' && path === 'v1/.well-known/OpenIdConfiguration') {
      return { status: 200, body: this.notificationTokens.openIdConfiguration(`${this.baseUrl}/v1/keys`) };
    }
    if (method === 'GET' && path === 'v1/keys') return { status: 200, body: this.notificationTokens.jwks };
    if (method === 'GET' && path === `${tenant}/v2.0/.well-known/openid-configuration`) {
      return { status: 200, body: this.entraConfiguration() };
    }
    if (method === 'GET' && path === `${tenant}/discovery/v2.0/keys`) {
      return { status: 200, body: this.accessTokens.jwks };
    }
    if (method === 'GET' && path === 'common/discovery/instance') {
      const host = new URL(this.baseUrl).host;
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${this.authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        },
      };
    }
    if (method === 'POST' && segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token') {
      return this.token(segments[0] ?? '', form);
    }
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
    throw GraphHttpError.notFound(`No route for ${method} /${path}.`);
  }

  private entraConfiguration(): Record<string, unknown> {
    const base = this.authority;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'localhost',
      cloud_graph_host_name: 'localhost',
      msgraph_host: new URL(this.baseUrl).host,
    };
  }

  /** The client-credentials token endpoint, with Entra ID's error answers. */
  private async token(tenant: string, form: URLSearchParams | undefined): Promise<GraphResult> {
    const fail = (status: number, error: string, code: number, description: string): GraphResult => {
      const traceId = randomUUID();
      const correlationId = randomUUID();
      const timestamp = new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z');
      return {
        status,
        body: {
          error,
          error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
          error_codes: [code],
          timestamp,
          trace_id: traceId,
          correlation_id: correlationId,
          error_uri: `${this.baseUrl}/error?code=${code}`,
        },
      };
    };
    if (tenant !== this.tenantId) return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (!form)
      return fail(
        400,
        'invalid_request',
        900144,
        "The request body must contain the 'grant_type' parameter.",
      );
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id');
    if (clientId !== this.appId) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get('client_secret') !== this.appSecret) {
      return fail(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.',
      );
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const resourceScope = scopes.find((s) => s.endsWith('/.default'));
    if (!resourceScope) {
      return fail(
        400,
        'invalid_scope',
        1002012,
        'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      );
    }
    const expiresIn = 3599;
    const accessToken = await this.accessTokens.sign({
      audience: resourceScope.slice(0, -'/.default'.length),
      expiresInSeconds: expiresIn,
      claims: {
        appid: this.appId,
        tid: this.tenantId,
        idtyp: 'app',
        oid: randomUUID(),
        roles: ['Calls.Initiate.All', 'Calls.JoinGroupCall.All', 'Calls.AccessMedia.All'],
      },
    });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: accessToken,
      },
    };
  }
}
