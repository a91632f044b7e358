import {
  type CallOperationKind,
  type OperationAck,
  parseResultInfo,
  settlementRules,
  TelephonyError,
} from '@switchboard/core';

/** The fields of a Graph `commsOperation` the adapter reads. */
export interface CommsOperation {
  readonly id?: string;
  readonly status?: string;
  readonly clientContext?: string;
  readonly resultInfo?: unknown;
}

/** Reads a response body as a commsOperation, if it is one. */
export function asCommsOperation(body: unknown): CommsOperation | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return body as CommsOperation;
}

/**
 * Maps the commsOperation Graph answered an action with onto the port's acknowledgement: `completed` → ack
 * `completed` (no notification follows), `failed` → `TelephonyError('operationFailed')` with its resultInfo,
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
  const status = operation?.status?.toLowerCase();
  if (status === 'failed') {
    const info = parseResultInfo(operation?.resultInfo);
    throw new TelephonyError(
      'operationFailed',
      `Graph ${kind} failed${info ? `: ${info.code}/${info.subcode} ${info.message}` : ''}`,
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
  if (status === 'completed' || noEventCompletes) {
    return result === undefined ? { status: 'completed' } : { status: 'completed', result };
  }
  return { status: 'accepted' };
}
