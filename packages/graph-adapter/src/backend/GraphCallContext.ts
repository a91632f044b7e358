import type {
  CallState,
  Clock,
  Identity,
  Logger,
  OperationAck,
  OperationRequest,
  TelephonyEvent,
  TelephonyEventOf,
} from '@switchboard/core';
import type { GraphCallRecord, GraphCallRegistry } from '../state/GraphCallRegistry.js';
import { ackFromCommsOperation } from './ackFromCommsOperation.js';
import { recordedResponseFromAnswer } from './downloadRecordedResponse.js';
import type { GraphApi } from './GraphApi.js';
import type { GraphBackendOptions } from './GraphBackendOptions.js';
import type { OperationRecovery } from './OperationRecovery.js';
import type { PendingInvites } from './PendingInvites.js';

/** What the parts of the Graph backend share: its options, Graph's API, and the adapter's per-call records. */
export interface GraphCallContext {
  readonly options: GraphBackendOptions;
  readonly api: GraphApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly calls: GraphCallRegistry;
  readonly recovery: OperationRecovery;
  readonly invites: PendingInvites;
  /** The raw ids the bot has in a roster: its application and, when configured, its application instance. */
  readonly botRawIds: ReadonlySet<string>;
  /** The bot's identity as its rosters last listed it, one object for every call's roster (see `markBot`). */
  readonly botIdentities: Map<string, Identity>;
  /** Events made by the adapter: with the webhook's events while one is processed, else through the sink. */
  emit(events: TelephonyEvent[]): void;
}

/** `/communications/calls/{id}`. */
export function callPath(callId: string): string {
  return `/communications/calls/${encodeURIComponent(callId)}`;
}

/** States of an established call (Graph `established`, `hold`, `transferring`, …). */
export function isEstablished(state: CallState): boolean {
  return ['connected', 'onHold', 'transferring', 'transferAccepted', 'redirecting'].includes(state);
}

/** A JSON object of a Graph answer, or `{}`. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An event the adapter makes itself (from an answer, a read, or what Graph does not send). */
export function graphEvent<T extends TelephonyEvent['type']>(
  clock: Clock,
  callId: string,
  type: T,
  fields: Omit<TelephonyEventOf<T>, 'type' | 'backend' | 'callId' | 'at' | 'raw' | 'operationId'>,
  raw: unknown,
  operationId?: string,
): TelephonyEvent {
  return {
    type,
    backend: 'graph',
    callId,
    at: new Date(clock.now()).toISOString(),
    raw,
    ...(operationId === undefined ? {} : { operationId }),
    ...fields,
  } as TelephonyEvent;
}

/** One operation being carried out: its request, the call's record, and how to post and acknowledge it. */
export interface GraphOperationScope {
  readonly request: OperationRequest;
  readonly record: GraphCallRecord;
  /** The call's path. */
  readonly path: string;
  readonly context: { readonly operation: string; readonly callId: string; readonly operationId: string };
  /** POSTs to the call's `suffix` with the operation id as `clientContext`. */
  post(suffix: string, body?: Record<string, unknown>): Promise<unknown>;
  /** The acknowledgement of Graph's answer; an operation still running is watched (OperationRecovery). */
  ack(body: unknown, result?: unknown, recorded?: boolean): OperationAck;
}

/** The scope of one operation request. */
export function operationScope(
  context: GraphCallContext,
  request: OperationRequest,
  record: GraphCallRecord,
): GraphOperationScope {
  const { callId, operationId, operation } = request;
  const path = callPath(callId);
  const requestContext = { operation: operation.kind, callId, operationId };
  return {
    request,
    record,
    path,
    context: requestContext,
    post: (suffix, body = {}) =>
      context.api.post(`${path}${suffix}`, { ...body, clientContext: operationId }, requestContext),
    ack: (body, result, recorded = false) => {
      const acknowledged = ackFromCommsOperation(
        operation.kind,
        body,
        { callId, operationId },
        recorded ? recordedResponseFromAnswer(body) : result,
      );
      // An operation still running ends by notification; if that is lost, it is read back (OperationRecovery).
      if (acknowledged.status === 'accepted') context.recovery.watch(callId, operationId, body);
      return acknowledged;
    },
  };
}
