import type { TelephonyError } from '@switchboard/core';

/** How the Graph adapter times out and repeats failed requests. */
export interface GraphRetryOptions {
  /** Repeats of one request at most (default 3). */
  readonly maxRetries?: number;
  /** First back-off delay, doubled on each repeat, with ±20 % jitter (default 500 ms). */
  readonly retryDelayMs?: number;
  /** Longest back-off delay (default 8 s). */
  readonly maxRetryDelayMs?: number;
  /** Longest `Retry-After` waited out; a longer one fails the request as `throttled` (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Time one attempt may take before it is abandoned as `timeout` (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/** The retry options with their defaults filled in. */
export type ResolvedGraphRetryOptions = Required<GraphRetryOptions>;

/** Fills in the defaults of `GraphRetryOptions`. */
export function resolveGraphRetryOptions(options: GraphRetryOptions = {}): ResolvedGraphRetryOptions {
  return {
    maxRetries: options.maxRetries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  };
}

/**
 * Whether repeating a Graph request cannot act twice: reads (GET), deletes (a second DELETE of a call finds it
 * gone) and keep-alives. Creating a call and every action (answer, playPrompt, invite, …) are not: Graph has no
 * repeatability header, so a repeat after an uncertain failure could place a second call or play twice.
 */
export function isIdempotentGraphRequest(method: string, path: string): boolean {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'DELETE') return true;
  return verb === 'POST' && /\/keepAlive\/?$/i.test(path.split('?')[0] ?? '');
}

/**
 * How long to wait before repeating a failed request, or `undefined` to give up. Only idempotent requests are
 * repeated: after a 429 (waiting out `Retry-After` when given), a 502/503/504, a network failure or a timeout,
 * with exponential back-off and ±20 % jitter otherwise.
 */
export function graphRetryDelay(
  error: TelephonyError,
  attempt: number,
  idempotent: boolean,
  options: ResolvedGraphRetryOptions,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= options.maxRetries) return undefined;
  const backoff = () => {
    const delay = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** attempt);
    return Math.round(delay * (0.8 + random() * 0.4));
  };
  const waitOut = () => {
    if (error.retryAfterMs === undefined) return backoff();
    return error.retryAfterMs <= options.maxRetryAfterMs ? error.retryAfterMs : undefined;
  };
  // Graph has no repeatability header: an action is never repeated, even after a 429, so it cannot act twice;
  // the bot gets `throttled` with `retryAfterMs` and decides.
  if (!idempotent) return undefined;
  if (error.reason === 'throttled') return waitOut();
  if (error.reason === 'timeout') return backoff();
  if (error.reason === 'transient') {
    const status = error.status;
    if (status === undefined || status === 502 || status === 503 || status === 504) return waitOut();
  }
  return undefined;
}
