import type { CallAutomationClientOptions } from '@azure/communication-call-automation';
import { isRestError } from '@azure/communication-common';
import type { Clock } from '@switchboard/core';
import { systemClock, TelephonyError } from '@switchboard/core';
import type { HeaderLookup } from './retryAfter.js';
import { retryAfterMs } from './retryAfter.js';

/** A policy of the SDK's HTTP pipeline (the type of `@azure/core-rest-pipeline`, reached through the SDK). */
export type AcsPipelinePolicy = NonNullable<
  CallAutomationClientOptions['additionalPolicies']
>[number]['policy'];

/** How the adapter repeats failed requests. */
export interface AcsRetryOptions {
  /** Repeats of one request at most (default 3). */
  readonly maxRetries?: number;
  /** First back-off delay, doubled on each repeat (default 500 ms). */
  readonly retryDelayMs?: number;
  /** Longest back-off delay (default 8 s). */
  readonly maxRetryDelayMs?: number;
  /** Longest `Retry-After` the adapter waits out; a longer one fails the request as `throttled` (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Time one attempt may take before it is abandoned (default 30 s); only idempotent requests are repeated. */
  readonly requestTimeoutMs?: number;
}

/** The part of an abort signal the policy uses (the SDK's `AbortSignalLike`). */
interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

const transientStatuses = new Set([408, 500, 502, 503, 504]);

interface Outcome {
  readonly status: number | undefined;
  readonly headers: HeaderLookup | undefined;
  readonly networkError: boolean;
  readonly aborted: boolean;
}

function outcomeOfError(error: unknown): Outcome {
  if (TelephonyError.hasReason(error, 'timeout')) {
    return { status: undefined, headers: undefined, networkError: true, aborted: false };
  }
  if (isRestError(error)) {
    const status = error.statusCode ?? error.response?.status;
    return { status, headers: error.response?.headers, networkError: status === undefined, aborted: false };
  }
  const aborted = error instanceof Error && error.name === 'AbortError';
  return { status: undefined, headers: undefined, networkError: !aborted, aborted };
}

/**
 * The adapter's retry policy, replacing the SDK's default one (which repeats play and recognize on 500/503
 * although the service may already have acted on them). Every request is repeated after a 429, waiting out
 * `Retry-After` (a throttled request was not processed). Only idempotent requests are repeated after a 408/5xx
 * or a network error: GETs and those that carry `Repeatability-Request-ID` (the repeat carries the same id, so
 * the service de-duplicates it).
 */
export function acsRetryPolicy(options: AcsRetryOptions = {}, clock: Clock = systemClock): AcsPipelinePolicy {
  const maxRetries = options.maxRetries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 8_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  const backoff = (attempt: number): number => {
    const delay = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempt);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  };

  const delayFor = (outcome: Outcome, attempt: number, idempotent: boolean): number | undefined => {
    if (attempt >= maxRetries || outcome.aborted) return undefined;
    const waitFor = retryAfterMs(outcome.headers, clock.now());
    if (outcome.status === 429) {
      if (waitFor === undefined) return backoff(attempt);
      return waitFor <= maxRetryAfterMs ? waitFor : undefined;
    }
    if (!idempotent) return undefined;
    if (outcome.networkError) return backoff(attempt);
    if (outcome.status !== undefined && transientStatuses.has(outcome.status)) {
      if (waitFor !== undefined) return waitFor <= maxRetryAfterMs ? waitFor : undefined;
      return backoff(attempt);
    }
    return undefined;
  };

  const sleep = (ms: number, signal: AbortSignalLike | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      const aborted = (): Error =>
        Object.assign(new Error('The request was aborted'), { name: 'AbortError' });
      if (signal?.aborted) {
        reject(aborted());
        return;
      }
      const onAbort = (): void => {
        clock.clearTimeout(timer);
        reject(aborted());
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort);
    });

  return {
    name: 'switchboardAcsRetryPolicy',
    async sendRequest(request, next) {
      const idempotent = request.method === 'GET' || request.headers.has('repeatability-request-id');
      if (!(request.timeout > 0)) request.timeout = requestTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        let response: Awaited<ReturnType<typeof next>> | undefined;
        let failure: unknown;
        try {
          response = await next(request);
        } catch (error) {
          failure = error;
          // The pipeline reports its own timeout as an abort; the caller's signal tells the two apart.
          if (
            error instanceof Error &&
            error.name === 'AbortError' &&
            request.abortSignal?.aborted !== true
          ) {
            failure = new TelephonyError('timeout', `ACS did not answer within ${request.timeout} ms`, {
              backend: 'acs',
              cause: error,
            });
          }
        }
        const outcome: Outcome | undefined =
          response === undefined
            ? outcomeOfError(failure)
            : response.status >= 400
              ? { status: response.status, headers: response.headers, networkError: false, aborted: false }
              : undefined;
        const delay = outcome === undefined ? undefined : delayFor(outcome, attempt, idempotent);
        if (delay === undefined) {
          if (response !== undefined) return response;
          throw failure;
        }
        await sleep(delay, request.abortSignal);
      }
    },
  };
}
