import type { AnswerOptions, IncomingCall } from '../client/TelephonyClient.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { Call } from './Call.js';
import { isFinalState } from './CallState.js';

/** Options of {@link handleCall}. */
export interface HandleCallOptions {
  /** Passed to `incoming.answer`. */
  readonly answer?: AnswerOptions;
  /** How long to wait for the answered call to connect (default: the client's operation timeout). */
  readonly connectTimeoutMs?: number;
  /**
   * Receives any failure other than the call ending (a bug in the handler, a backend outage), once the call's
   * hang-up was asked for. Given this, `handleCall` never rejects; without it, `handleCall` rejects with the failure.
   */
  readonly onError?: (error: unknown, call: Call | undefined) => void;
}

/**
 * Whether `error` only says the call is gone: a `TelephonyError` with reason `callEnded`, or any
 * `TelephonyError` once `call` (when given) has ended (a request that reached the service after the hang-up may
 * come back `callNotFound` or `operationFailed`). A bot can stop quietly on these.
 *
 * @example
 * try { await call.play(prompt); } catch (error) { if (isCallEnded(error, call)) return; throw error; }
 */
export function isCallEnded(error: unknown, call?: Call): boolean {
  if (!TelephonyError.is(error)) return false;
  if (error.reason === 'callEnded') return true;
  return call !== undefined && isFinalState(call.state);
}

/**
 * Answers `incoming`, waits until the call is connected, and runs `handler` on it. Whenever the caller hangs up
 * (before the answer, during any operation, after the last one), the handler's failure that follows ends it
 * quietly: `handleCall` resolves. Any other failure hangs the call up and rejects (or goes to `onError`).
 * Subscribe with it and a caller hanging up never becomes an unhandled rejection.
 *
 * @example
 * client.incomingCalls$.subscribe((incoming) =>
 *   handleCall(incoming, async (call) => {
 *     await call.play({ kind: 'text', text: 'Hello.' });
 *     await call.hangUp();
 *   }, { onError: (error) => console.error(error) }),
 * );
 */
export async function handleCall(
  incoming: IncomingCall,
  handler: (call: Call) => Promise<void> | void,
  options: HandleCallOptions = {},
): Promise<void> {
  let call: Call | undefined;
  try {
    try {
      call = await incoming.answer(options.answer);
    } catch (error) {
      // The caller hung up while the call was ringing: there is nothing left to answer.
      if (TelephonyError.hasReason(error, 'callNotFound')) return;
      throw error;
    }
    await call.waitForState(
      'connected',
      options.connectTimeoutMs === undefined ? undefined : { timeoutMs: options.connectTimeoutMs },
    );
    await handler(call);
  } catch (error) {
    if (isCallEnded(error, call)) return;
    // Not awaited: the failure is reported now, while the hang-up goes on (and may itself fail).
    if (call && !isFinalState(call.state)) call.hangUp().catch(() => undefined);
    if (!options.onError) throw error;
    options.onError(error, call);
  }
}
