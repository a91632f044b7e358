import { TelephonyError, type TelephonyErrorReason } from '@switchboard/core';

/** What the adapter was doing when a Graph request failed, carried into the `TelephonyError`. */
export interface GraphErrorContext {
  readonly operation?: string;
  readonly callId?: string;
  readonly operationId?: string;
}

interface GraphErrorLike {
  readonly statusCode: number;
  readonly code?: string | null;
  readonly message?: string;
  readonly headers?: { get(name: string): string | null } | undefined;
}

function isGraphErrorLike(value: unknown): value is GraphErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number'
  );
}

/** Reads Retry-After as seconds or as an HTTP date. */
function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function reasonForStatus(status: number): TelephonyErrorReason {
  if (status <= 0) return 'transient';
  if (status === 404) return 'callNotFound';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  if (status === 400) return 'invalidInput';
  return 'backend';
}

/**
 * Turns anything a Graph request threw into a `TelephonyError`: the Graph client's `GraphError` by HTTP status
 * (404 `callNotFound`, 401/403 `unauthorized`, 429 `throttled` with Retry-After, 5xx `transient`, 400
 * `invalidInput`, other statuses `backend`), keeping the service's code and message; a network failure becomes
 * `transient`; a `TelephonyError` passes through unchanged.
 *
 * @example
 * try { await api.post(path, body); } catch (error) { throw classifyGraphError(error, { operation: 'play' }); }
 */
export function classifyGraphError(
  error: unknown,
  context: GraphErrorContext = {},
  now: number = Date.now(),
): TelephonyError {
  if (TelephonyError.is(error)) return error;
  if (isGraphErrorLike(error)) {
    const status = error.statusCode;
    const reason = reasonForStatus(status);
    const code = typeof error.code === 'string' && error.code !== '' ? error.code : undefined;
    const serviceMessage = error.message && error.message !== '' ? error.message : 'no message';
    const wait = reason === 'throttled' ? retryAfterMs(error.headers?.get('retry-after'), now) : undefined;
    const prefix = status > 0 ? `Graph answered ${status}` : 'Graph could not be reached';
    return new TelephonyError(reason, `${prefix}${code ? ` (${code})` : ''}: ${serviceMessage}`, {
      backend: 'graph',
      ...context,
      ...(status > 0 ? { status } : {}),
      ...(code ? { code } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelephonyError('transient', `Graph request failed: ${message}`, {
    backend: 'graph',
    ...context,
    cause: error,
  });
}
