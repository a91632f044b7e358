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
    default:
      return errorResponse(500, 'internal', 'the webhook could not be handled');
  }
}

function bodyLength(body: unknown): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}

/**
 * Checks what every webhook must satisfy before a backend looks at it: the method (POST, or OPTIONS for the
 * CloudEvents handshake), a JSON content type where one is given, and the body size. Returns the answer to send
 * when the request fails a check, else `undefined`.
 */
export function checkIngress(request: WebhookRequest, maxBodyBytes: number): WebhookResponse | undefined {
  const method = request.method.toUpperCase();
  if (method !== 'POST' && method !== 'OPTIONS') {
    return errorResponse(405, 'methodNotAllowed', `${method} is not allowed`, { allow: 'POST, OPTIONS' });
  }
  if (method === 'POST') {
    const contentType = headerValue(request, 'content-type');
    if (contentType !== undefined && !contentType.toLowerCase().includes('json')) {
      return errorResponse(415, 'unsupportedMediaType', 'the body must be JSON');
    }
    const length = bodyLength(request.body);
    if (length !== undefined && length > maxBodyBytes) {
      return errorResponse(413, 'payloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`);
    }
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
      return JSON.parse(text);
    } catch {
      throw new TelephonyError('invalidPayload', 'the body is not valid JSON');
    }
  }
  if (body === undefined || body === null) throw new TelephonyError('invalidPayload', 'the body is empty');
  return body;
}
