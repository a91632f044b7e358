import {
  type CallOperationKind,
  type OperationAck,
  parseResultInfo,
  settlementRules,
  TelephonyError,
} from '@switchboard/core';
import type { CommsOperationShape, Wire } from '../normalize/graphWire.js';
import { operationOutcome } from '../normalize/operationOutcome.js';

/**
 * The fields of a Graph `commsOperation` the adapter reads. Not the generated `CommsOperation`: an answer is
 * untrusted input whose `status` arrives in either case (`Running`, `running`) while the generated
 * `OperationStatus` admits only the capitalised form, and subtypes add `completionReason`.
 */
export interface CommsOperation {
  readonly id?: string;
  readonly status?: string;
  readonly clientContext?: string;
  readonly resultInfo?: unknown;
  readonly completionReason?: string;
}

// Public, so it does not name the generated types (a development dependency); the compiler still checks that
// each of its fields is a property of the generated commsOperation types.
const fieldsAreGraphFields: keyof CommsOperation extends keyof Wire<CommsOperationShape> ? true : never =
  true;
void fieldsAreGraphFields;

/** Reads a response body as a commsOperation, if it is one. */
export function asCommsOperation(body: unknown): CommsOperation | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return body as CommsOperation;
}

/**
 * Maps the commsOperation Graph answered an action with onto the port's acknowledgement: `completed` → ack
 * `completed` (no notification follows), `failed` (or `completed` with a completionReason that is no success) →
 * `TelephonyError('operationFailed')` with its resultInfo, canceled → `TelephonyError('canceled')`,
 * `running`/`notStarted` (or no operation at all) → ack `accepted`, the outcome arriving as an operation
 * notification tagged with the clientContext. Operations that no event can complete (mute, hold music,
 * subscribe-to-tone, recording status) are acknowledged `completed` once Graph has taken them.
 */
export function ackFromCommsOperation(
  kind: CallOperationKind,
  body: unknown,
  context: { readonly callId: string; readonly operationId: string },
  result?: unknown,
): OperationAck {
  const operation = asCommsOperation(body);
  const outcome = operationOutcome(operation);
  if (outcome === 'failed' || outcome === 'canceled') {
    const info = parseResultInfo(operation?.resultInfo);
    throw new TelephonyError(
      outcome === 'canceled' ? 'canceled' : 'operationFailed',
      `Graph ${kind} ${outcome}${info ? `: ${info.code}/${info.subcode} ${info.message}` : ''}`,
      {
        backend: 'graph',
        operation: kind,
        callId: context.callId,
        operationId: context.operationId,
        ...(info ? { result: info } : {}),
        cause: body,
      },
    );
  }
  const rule = settlementRules[kind];
  const noEventCompletes = rule.completeOn.length === 0 && rule.completeOnCallEnd !== true;
  if (outcome === 'succeeded' || noEventCompletes) {
    return result === undefined ? { status: 'completed' } : { status: 'completed', result };
  }
  return { status: 'accepted' };
}
