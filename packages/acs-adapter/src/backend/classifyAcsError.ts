import { isRestError } from '@azure/communication-common';
import type { Logger, TelephonyErrorDetails, TelephonyErrorReason } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import { retryAfterMs } from './retryAfter.js';

/** What was being done when an ACS request failed, for the error's details. */
export interface AcsErrorContext {
  readonly operation?: string;
  readonly callId?: string;
  readonly operationId?: string;
}

const networkCodes = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function reasonForStatus(status: number): TelephonyErrorReason {
  if (status === 404) return 'callNotFound';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'transient';
  if (status === 400) return 'invalidInput';
  return 'backend';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * Classifies a failure of the ACS SDK into a `TelephonyError`: 404 `callNotFound`, 401/403 `unauthorized`,
 * 429 `throttled` (with `retryAfterMs` from `Retry-After`), 408/5xx and network errors `transient`, 400
 * `invalidInput`, an abort `aborted`, anything else `backend`. The service's code, the HTTP status and the
 * original error are kept (`code`, `status`, `cause`).
 */
export function classifyAcsError(error: unknown, context: AcsErrorContext = {}): TelephonyError {
  if (TelephonyError.is(error)) return error;
  const what = context.operation ? `ACS ${context.operation}` : 'ACS request';
  const base: TelephonyErrorDetails = { backend: 'acs', ...context, cause: error };
  if (isRestError(error)) {
    const status = error.statusCode ?? error.response?.status;
    const code = errorCode(error);
    const details: TelephonyErrorDetails = {
      ...base,
      ...(status !== undefined ? { status } : {}),
      ...(code !== undefined ? { code } : {}),
    };
    if (status === undefined) {
      return new TelephonyError(
        'transient',
        `${what} could not reach the service: ${error.message}`,
        details,
      );
    }
    const reason = reasonForStatus(status);
    const retryAfter = reason === 'throttled' ? retryAfterMs(error.response?.headers) : undefined;
    return new TelephonyError(
      reason,
      `${what} failed with HTTP ${status}${code ? ` (${code})` : ''}: ${error.message}`,
      retryAfter === undefined ? details : { ...details, retryAfterMs: retryAfter },
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new TelephonyError('aborted', `${what} was aborted`, base);
  }
  const code = errorCode(error);
  if (code !== undefined && networkCodes.has(code)) {
    return new TelephonyError('transient', `${what} could not reach the service (${code})`, {
      ...base,
      code,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelephonyError('backend', `${what} failed: ${message}`, base);
}

/** Sends one request to the service; a failure is logged (at debug) and rejects as its `TelephonyError`. */
export async function sendToAcs<T>(
  logger: Logger,
  context: AcsErrorContext,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const failure = classifyAcsError(error, context);
    logger.debug('ACS request failed', {
      operation: context.operation,
      callId: context.callId,
      reason: failure.reason,
      status: failure.status,
      code: failure.code,
    });
    throw failure;
  }
}
