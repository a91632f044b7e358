import type { ResultInfo } from '../events/ResultInfo.js';
import type { BackendName } from '../events/TelephonyEvent.js';
import type { RecognizeFailure } from '../media/RecognizeFailure.js';

/**
 * Why an operation or a request failed.
 *
 * - `invalidPayload`: a webhook body or header that is not a notification (answered 400).
 * - `unauthorized`: authentication failed, ours of a webhook or the service's of our request.
 * - `callNotFound`: the backend does not know the call (HTTP 404).
 * - `callEnded`: the call ended before the operation completed.
 * - `unsupported`: the backend cannot do this operation (see `call.capabilities`).
 * - `throttled`: the service asked us to slow down (HTTP 429); `retryAfterMs` says for how long.
 * - `transient`: a server-side or network failure that may succeed when repeated (5xx, reset).
 * - `timeout`: no completion within the operation's timeout.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `canceled`: the operation was canceled (e.g. by `cancelMedia`).
 * - `operationFailed`: the backend reported the operation failed; `result` carries its code and subcode.
 * - `invalidInput`: the request was rejected as malformed (HTTP 400) or its options were invalid.
 * - `invalidConfig`: the configuration is missing or invalid.
 * - `backend`: any other backend failure.
 */
export type TelephonyErrorReason =
  | 'invalidPayload'
  | 'unauthorized'
  | 'callNotFound'
  | 'callEnded'
  | 'unsupported'
  | 'throttled'
  | 'transient'
  | 'timeout'
  | 'aborted'
  | 'canceled'
  | 'operationFailed'
  | 'invalidInput'
  | 'invalidConfig'
  | 'backend';

/** Everything known about a failure besides its reason and message. */
export interface TelephonyErrorDetails {
  readonly backend?: BackendName;
  /** The operation that failed, e.g. `play`. */
  readonly operation?: string;
  readonly callId?: string;
  readonly operationId?: string;
  /** The failure event's result, for `operationFailed` and `callEnded`. */
  readonly result?: ResultInfo;
  /** For a failed play or recognize: which play source (0-based) could not be played. */
  readonly failedPlaySourceIndex?: number;
  /** HTTP status of the backend's answer, where there was one. */
  readonly status?: number;
  /** The service's own error code (`8522`, `Forbidden`, …). */
  readonly code?: string;
  /** How long the service asked us to wait, for `throttled`. */
  readonly retryAfterMs?: number;
  /** A failed or canceled recognize: why, the same on every backend (`noInput`, `noMatch`, …). */
  readonly failure?: RecognizeFailure;
  /** The underlying error or payload. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@switchboard/core/TelephonyError');
const retryable: ReadonlySet<TelephonyErrorReason> = new Set(['throttled', 'transient', 'timeout']);

/**
 * The one error type of Switchboard. Expected failures (a play that failed, a call that ended under an
 * operation) reject promises with it; check with `TelephonyError.is(error)` and branch on `reason`.
 *
 * @example
 * try { await call.play({ kind: 'file', url }); }
 * catch (error) { if (TelephonyError.is(error) && error.reason === 'callEnded') return; throw error; }
 */
export class TelephonyError extends Error implements TelephonyErrorDetails {
  override readonly name = 'TelephonyError';
  readonly reason: TelephonyErrorReason;
  readonly backend?: BackendName;
  readonly operation?: string;
  readonly callId?: string;
  readonly operationId?: string;
  readonly result?: ResultInfo;
  readonly failedPlaySourceIndex?: number;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly failure?: RecognizeFailure;

  constructor(reason: TelephonyErrorReason, message: string, details: TelephonyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    if (details.backend !== undefined) this.backend = details.backend;
    if (details.operation !== undefined) this.operation = details.operation;
    if (details.callId !== undefined) this.callId = details.callId;
    if (details.operationId !== undefined) this.operationId = details.operationId;
    if (details.result !== undefined) this.result = details.result;
    if (details.failedPlaySourceIndex !== undefined)
      this.failedPlaySourceIndex = details.failedPlaySourceIndex;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.failure !== undefined) this.failure = details.failure;
    Object.defineProperty(this, brand, { value: true });
  }

  /** Whether repeating the same request later may succeed (`throttled`, `transient`, `timeout`). */
  get isRetryable(): boolean {
    return retryable.has(this.reason);
  }

  /** True for any `TelephonyError`, even one from another copy of this package. */
  static is(value: unknown): value is TelephonyError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** True for a `TelephonyError` with the given reason. */
  static hasReason(value: unknown, reason: TelephonyErrorReason): value is TelephonyError {
    return TelephonyError.is(value) && value.reason === reason;
  }
}
