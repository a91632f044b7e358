import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  GraphError,
  ResponseType,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { type Logger, TelephonyError } from '@switchboard/core';
import { classifyGraphError, type GraphErrorContext } from './classifyGraphError.js';
import { createMsalNetworkClient } from './createMsalNetworkClient.js';
import type { TlsFetch } from './createTlsFetch.js';
import {
  type GraphRetryOptions,
  graphRetryDelay,
  isIdempotentGraphRequest,
  type ResolvedGraphRetryOptions,
  resolveGraphRetryOptions,
} from './graphRetryPolicy.js';
import { UndiciFetchHandler } from './UndiciFetchHandler.js';

/** The bot's app registration: tenant, app id, and a secret or a certificate. */
export interface GraphCredentials {
  readonly tenantId: string;
  readonly appId: string;
  readonly appSecret?: string;
  readonly certificate?: { readonly thumbprint: string; readonly privateKey: string };
}

/** How to reach Graph and the token authority. */
export interface GraphApiOptions extends GraphCredentials {
  /** MSAL authority; default `https://login.microsoftonline.com/<tenantId>`. */
  readonly authority?: string;
  /** Graph's origin; default `https://graph.microsoft.com` (v1.0 is appended). */
  readonly graphBaseUrl?: string;
  readonly tlsFetch: TlsFetch;
  readonly logger: Logger;
  /** Request timeout and retries (see `graphRetryDelay`). */
  readonly retry?: GraphRetryOptions;
}

const graphScope = 'https://graph.microsoft.com/.default';
const defaultGraphBaseUrl = 'https://graph.microsoft.com';

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function graphErrorFrom(status: number, body: unknown, text: string, headers: Headers): GraphError {
  const detail = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const record = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const message = typeof record.message === 'string' ? record.message : text.slice(0, 200);
  const error = new GraphError(status, message);
  error.code = typeof record.code === 'string' ? record.code : null;
  error.headers = headers;
  error.body = text;
  return error;
}

function classifyTokenError(error: unknown, context: GraphErrorContext): TelephonyError {
  const code = (error as { errorCode?: unknown }).errorCode;
  const text = typeof code === 'string' ? code : '';
  const message = error instanceof Error ? error.message : String(error);
  const transient = /network|endpoints_resolution|timed_out|timeout/i.test(text);
  return new TelephonyError(
    transient ? 'transient' : 'unauthorized',
    `Could not get a Graph token${text ? ` (${text})` : ''}: ${message}`,
    { backend: 'graph', ...context, ...(text ? { code: text } : {}), cause: error },
  );
}

/**
 * Graph v1.0 over the Microsoft Graph JS client, with app-only tokens from MSAL (client credentials, cached by
 * MSAL). Every failure is a `TelephonyError` (see `classifyGraphError`).
 */
export class GraphApi {
  readonly #msal: ConfidentialClientApplication;
  readonly #client: Client;
  readonly #retry: ResolvedGraphRetryOptions;
  readonly #logger: Logger;

  constructor(options: GraphApiOptions) {
    this.#retry = resolveGraphRetryOptions(options.retry);
    this.#logger = options.logger;
    const authority = options.authority ?? `https://login.microsoftonline.com/${options.tenantId}`;
    const custom = options.authority !== undefined;
    const thumbprint = options.certificate?.thumbprint.replace(/[^0-9a-f]/gi, '');
    const configuration: Configuration = {
      auth: {
        clientId: options.appId,
        authority,
        ...(custom ? { knownAuthorities: [new URL(authority).host] } : {}),
        ...(options.appSecret !== undefined ? { clientSecret: options.appSecret } : {}),
        ...(options.certificate && thumbprint !== undefined
          ? {
              clientCertificate: {
                privateKey: options.certificate.privateKey,
                ...(thumbprint.length === 64 ? { thumbprintSha256: thumbprint } : { thumbprint }),
              },
            }
          : {}),
      },
      system: { networkClient: createMsalNetworkClient(options.tlsFetch) },
    };
    this.#msal = new ConfidentialClientApplication(configuration);

    const base = new URL(options.graphBaseUrl ?? defaultGraphBaseUrl);
    const baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/, '')}`;
    const authProvider = { getAccessToken: () => this.accessToken() };
    this.#client = Client.initWithMiddleware({
      baseUrl,
      defaultVersion: 'v1.0',
      // The client attaches the bearer token only to Graph hosts and these; it compares host names without ports.
      customHosts: new Set([base.hostname]),
      middleware: [
        new AuthenticationHandler(authProvider),
        new TelemetryHandler(),
        new UndiciFetchHandler(options.tlsFetch),
      ],
    });
  }

  /** An app-only token for Graph (MSAL serves it from its cache until it nears expiry). */
  async accessToken(context: GraphErrorContext = {}): Promise<string> {
    let result: Awaited<ReturnType<ConfidentialClientApplication['acquireTokenByClientCredential']>>;
    try {
      result = await this.#msal.acquireTokenByClientCredential({ scopes: [graphScope] });
    } catch (error) {
      throw classifyTokenError(error, context);
    }
    if (!result?.accessToken) {
      throw new TelephonyError('unauthorized', 'The token authority returned no access token', {
        backend: 'graph',
        ...context,
      });
    }
    return result.accessToken;
  }

  /** GET a Graph path (`/communications/calls/{id}`); resolves with the parsed body. */
  get(path: string, context?: GraphErrorContext): Promise<unknown> {
    return this.#send('GET', path, undefined, context);
  }

  /** POST a JSON body; resolves with the parsed body, or `undefined` for an empty answer. */
  post(path: string, body: unknown, context?: GraphErrorContext): Promise<unknown> {
    return this.#send('POST', path, body ?? {}, context);
  }

  /** POST an action that takes no request body (v1 `call-keepalive`: "Don't supply a request body"). */
  postWithoutBody(path: string, context?: GraphErrorContext): Promise<unknown> {
    return this.#send('POST', path, undefined, context);
  }

  /** DELETE a Graph path. */
  async delete(path: string, context?: GraphErrorContext): Promise<void> {
    await this.#send('DELETE', path, undefined, context);
  }

  async #send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    context: GraphErrorContext = {},
  ): Promise<unknown> {
    const idempotent = isIdempotentGraphRequest(method, path);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#attempt(method, path, body, context);
      } catch (error) {
        const failure = classifyGraphError(error, context);
        const delay = graphRetryDelay(failure, attempt, idempotent, this.#retry);
        if (delay === undefined) {
          // Never the path's query, the body or headers: they may carry tokens.
          this.#logger.debug('Graph request failed', {
            method,
            operation: context.operation,
            callId: context.callId,
            reason: failure.reason,
            status: failure.status,
            code: failure.code,
            attempts: attempt + 1,
          });
          throw failure;
        }
        this.#logger.debug('repeating a Graph request', {
          method,
          operation: context.operation,
          reason: failure.reason,
          status: failure.status,
          attempt: attempt + 1,
          delayMs: delay,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async #attempt(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    context: GraphErrorContext,
  ): Promise<unknown> {
    // Token errors surface here: inside the client's chain they would become a GraphError without MSAL's code.
    await this.accessToken(context);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#retry.requestTimeoutMs);
    try {
      const request = this.#client.api(path).responseType(ResponseType.RAW).option('signal', timeout.signal);
      const raw = (await (method === 'GET'
        ? request.get()
        : method === 'POST'
          ? request.post(body)
          : request.delete())) as Response;
      const text = await raw.text();
      const parsed = parseJson(text);
      if (!raw.ok) throw graphErrorFrom(raw.status, parsed, text, raw.headers);
      return parsed;
    } catch (error) {
      if (timeout.signal.aborted) {
        throw new TelephonyError(
          'timeout',
          `Graph did not answer within ${this.#retry.requestTimeoutMs} ms`,
          { backend: 'graph', ...context, cause: error },
        );
      }
      throw classifyGraphError(error, context);
    } finally {
      clearTimeout(timer);
    }
  }
}
