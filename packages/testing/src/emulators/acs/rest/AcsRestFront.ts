import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@switchboard/core';
import { AcsRestError } from '../AcsRestError.js';
import { verifyAcsHmac } from '../verifyAcsHmac.js';
import type { Reply, Route } from './AcsRoute.js';
import { isRecord } from './acsRequestBody.js';

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

interface Fault {
  readonly method?: string;
  readonly pathIncludes?: string;
  readonly response: Reply;
  remaining: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
 * The HTTP side of the emulated service: records every request, answers injected faults, requires the
 * `api-version` and an HMAC signature made with the access key, routes, and honours `Repeatability-Request-ID`
 * (the same id and body answer the first reply again; another body is a 409).
 */
export class AcsRestFront {
  readonly requests: AcsRecordedRequest[] = [];
  readonly #faults: Fault[] = [];
  readonly #repeatability = new Map<string, { readonly fingerprint: string; readonly reply: Reply }>();

  constructor(
    private readonly routes: readonly Route[],
    private readonly accessKey: string,
    private readonly unsigned: (method: string, pathname: string) => Reply | undefined,
    private readonly logger: Logger,
  ) {}

  /** Fault injection: the next `times` requests matching get `response` instead. */
  failNext(
    match: { readonly method?: string; readonly pathIncludes?: string },
    response: Reply,
    times: number,
  ): void {
    this.#faults.push({ ...match, response, remaining: times });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(request);
      const rawPath = request.url ?? '/';
      const url = new URL(rawPath, 'http://127.0.0.1');
      const method = (request.method ?? 'GET').toUpperCase();
      const headers = flattenHeaders(request.headers);
      const open = this.unsigned(method, url.pathname);
      if (open) {
        this.#send(response, open);
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
      this.requests.push({ method, path: rawPath, headers, body });
      this.logger.debug('acs emulator: request', { method, path: url.pathname });
      const fault = this.#takeFault(method, rawPath);
      this.#send(response, fault ?? this.#process(method, url, headers, raw, body, invalidJson));
    } catch (error) {
      this.logger.error('acs emulator: request failed', { error: String(error) });
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
    const found = this.#match(method, url.pathname);
    if (!found) return new AcsRestError(404, 'NotFound', `No route for ${method} ${url.pathname}.`).reply();
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
        if (seen.fingerprint === fingerprint) return seen.reply;
        return new AcsRestError(
          409,
          'Conflict',
          'Repeatability-Request-ID was already used for another request.',
        ).reply();
      }
    }
    let reply: Reply;
    try {
      reply = found.route.handle(found.match, body ?? {});
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

  #match(method: string, pathname: string): { route: Route; match: RegExpExecArray } | undefined {
    for (const candidate of this.routes) {
      if (candidate.method !== method) continue;
      const match = candidate.pattern.exec(pathname);
      if (match) return { route: candidate, match };
    }
    return undefined;
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
}
