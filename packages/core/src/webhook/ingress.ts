import { TelephonyError } from '../errors/TelephonyError.js';
import { headerValue, jsonResponse, type WebhookRequest, type WebhookResponse } from './WebhookTypes.js';

/** The default limit of a webhook body: 1 MiB. */
export const defaultMaxBodyBytes = 1024 * 1024;

/** A JSON error answer: `{ "error": { "code", "message" } }`. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): WebhookResponse {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** The HTTP answer for a `TelephonyError` raised while handling a webhook. */
export function responseForError(error: TelephonyError): WebhookResponse {
  switch (error.reason) {
    case 'unauthorized':
      return errorResponse(401, 'unauthorized', error.message);
    case 'invalidPayload':
    case 'invalidInput':
      return errorResponse(400, 'invalidPayload', error.message);
    // Not applied and not queued (e.g. the shared call store is unreachable): the service delivers it again.
    case 'transient':
    case 'throttled':
      return errorResponse(503, 'unavailable', 'the event could not be applied now; deliver it again', {
        'retry-after': String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1_000) / 1_000))),
      });
    default:
      return errorResponse(500, 'internal', 'the webhook could not be handled');
  }
}

function bodyLength(body: unknown): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}

/** The path of a request target without its query string or fragment. */
export function requestPathname(path: string): string {
  let end = path.length;
  const query = path.indexOf('?');
  if (query !== -1) end = query;
  const fragment = path.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  const pathname = path.slice(0, end);
  // An absolute-form target (`http://host/path`) is reduced to its path.
  if (pathname.startsWith('http://') || pathname.startsWith('https://')) {
    const slash = pathname.indexOf('/', pathname.indexOf('//') + 2);
    return slash === -1 ? '/' : pathname.slice(slash);
  }
  return pathname === '' ? '/' : pathname;
}

/**
 * Whether a `Content-Type` names JSON: `application/json` or a `+json` type such as
 * `application/cloudevents-batch+json`, parameters aside. `text/plain; charset=json` is not JSON.
 */
export function isJsonContentType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(mediaType);
}

function samePath(a: string, b: string): boolean {
  const trim = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
  return trim(a) === trim(b);
}

/**
 * Checks what every webhook must satisfy before a backend looks at it: the path when `paths` is given (404), the
 * method (POST, or OPTIONS for the CloudEvents handshake), a JSON content type where one is given (415), the body
 * size (413) and at most one `Authorization` header (401). Returns the answer to send when the request fails a
 * check, else `undefined`.
 */
export function checkIngress(
  request: WebhookRequest,
  maxBodyBytes: number,
  paths?: readonly string[],
): WebhookResponse | undefined {
  if (paths !== undefined) {
    const pathname = requestPathname(request.path);
    if (!paths.some((path) => samePath(path, pathname))) {
      return errorResponse(404, 'notFound', 'no webhook at this path');
    }
  }
  const method = request.method.toUpperCase();
  if (method !== 'POST' && method !== 'OPTIONS') {
    return errorResponse(405, 'methodNotAllowed', `${method} is not allowed`, { allow: 'POST, OPTIONS' });
  }
  if (method === 'POST') {
    const contentType = headerValue(request, 'content-type');
    if (contentType !== undefined && !isJsonContentType(contentType)) {
      return errorResponse(415, 'unsupportedMediaType', 'the body must be JSON');
    }
    const length = bodyLength(request.body);
    if (length !== undefined && length > maxBodyBytes) {
      return errorResponse(413, 'payloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`);
    }
  }
  // Two credentials are ambiguous: which one a proxy or framework keeps differs, so neither is trusted.
  const authorization = request.headers.authorization;
  if (Array.isArray(authorization) && authorization.length > 1) {
    return errorResponse(401, 'unauthorized', 'more than one Authorization header');
  }
  return undefined;
}

/** Reads a JSON body given as a string, bytes or an already parsed value; throws `invalidPayload`. */
export function parseJsonBody(body: unknown): unknown {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text =
      typeof body === 'string'
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    try {
      // A leading byte-order mark is allowed in a body (both backends ignore it); JSON.parse would refuse it.
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      throw new TelephonyError('invalidPayload', 'the body is not valid JSON');
    }
  }
  if (body === undefined || body === null) throw new TelephonyError('invalidPayload', 'the body is empty');
  return body;
}
