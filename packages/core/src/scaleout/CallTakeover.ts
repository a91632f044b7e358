import type { Call } from '../call/Call.js';
import type { CallOperation, CallOperationKind } from '../operations/CallOperation.js';

/** An operation another instance started and this one adopted with the call. */
export interface AdoptedOperation {
  readonly operationId: string;
  readonly kind: CallOperationKind;
  readonly operation: CallOperation;
  /**
   * Settles like the operation's own promise would have: with its result when its outcome event arrives, or
   * with a `TelephonyError` (`timeout` when no outcome arrives in time, `callEnded`, `operationFailed`, …).
   */
  readonly result: Promise<unknown>;
}

/**
 * A call this instance took over from another (which crashed, stalled or shut down): the bot's cue to carry on
 * with it. Subscribe with `callTakeovers(client)`.
 */
export interface CallTakeover {
  readonly call: Call;
  /** The instance that owned the call before. */
  readonly previousOwner: string;
  /** The operations that were in flight on the previous owner. */
  readonly operations: readonly AdoptedOperation[];
}
