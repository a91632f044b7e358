import type { ResultInfo, TelephonyEvent } from '@switchboard/core';
import { parseResultInfo } from '@switchboard/core';
import { type GraphNotification, resultKey } from './GraphNotification.js';
import type { CommsOperationShape, ParticipantInfoShape, Wire } from './graphWire.js';
import { identityFromGraph } from './identityFromGraph.js';
import { type OperationOutcome, operationOutcome, operationStatus } from './operationOutcome.js';
import { read } from './read.js';

type Operation = Wire<CommsOperationShape>;

// The operation types that have events of their own, by lower-case name for a lenient match.
const typesWithEvents: ReadonlyMap<string, string> = new Map(
  [
    'playPromptOperation',
    'inviteParticipantsOperation',
    'recordOperation',
    'recordResponseOperation',
    'sendDtmfTonesOperation',
    'subscribeToToneOperation',
    'updateRecordingStatusOperation',
    'startHoldMusicOperation',
    'stopHoldMusicOperation',
  ].map((name) => [name.toLowerCase(), name]),
);

function canonicalType(type: string): string {
  switch (type) {
    case 'playPromptOperation':
    case 'inviteParticipantsOperation':
    case 'recordOperation':
    case 'sendDtmfTonesOperation':
    case 'subscribeToToneOperation':
    case 'updateRecordingStatusOperation':
    case 'startHoldMusicOperation':
    case 'stopHoldMusicOperation':
      return type;
    default:
      return typesWithEvents.get(type.toLowerCase()) ?? type;
  }
}

function invitees(operation: Operation): readonly unknown[] {
  const participants = operation.participants;
  return Array.isArray(participants) && participants.length > 0 ? participants : [undefined];
}

function recordingState(operation: Operation, status: string): string {
  // Graph's operation does not echo the requested status; a recordingStatus field is read where one is sent.
  switch (operation.recordingStatus as CommsOperationShape['recordingStatus']) {
    case 'recording':
      return 'active';
    case 'notRecording':
      return 'inactive';
    default:
      return read.string(operation.recordingStatus) ?? status;
  }
}

interface Outcome {
  readonly notification: GraphNotification;
  readonly operation: Operation;
  readonly status: string;
  readonly outcome: OperationOutcome;
  readonly reason: ResultInfo | undefined;
  readonly operationId: string | undefined;
}

function withReason(reason: ResultInfo | undefined): { reason?: ResultInfo } {
  return reason === undefined ? {} : { reason };
}

// Stands for "a known operation whose outcome is no event of its own" (a hold that succeeded).
const nothing = null;

// The event an operation of a known type ends in, if its status gives one; `nothing` when it needs none.
function knownEvent(type: string, outcome: Outcome): TelephonyEvent | typeof nothing | undefined {
  const { notification, operation, status, reason, operationId } = outcome;
  // A `completed` status is a success only with a successful completionReason (normalize/operationOutcome.ts).
  const completed = outcome.outcome === 'succeeded';
  const finished = outcome.outcome !== 'pending';
  switch (canonicalType(type)) {
    case 'playPromptOperation':
      if (status === 'running') return notification.add('play.started', {}, operationId);
      if (!finished) return undefined;
      if (outcome.outcome === 'canceled')
        return notification.add('play.canceled', withReason(reason), operationId);
      return notification.add(completed ? 'play.completed' : 'play.failed', withReason(reason), operationId);
    case 'inviteParticipantsOperation': {
      if (!finished) return undefined;
      const eventType = completed ? 'participant.added' : 'participant.addFailed';
      let last: TelephonyEvent | undefined;
      for (const invitee of invitees(operation)) {
        const participant = identityFromGraph(read.object<ParticipantInfoShape>(invitee)?.identity);
        last = notification.add(
          eventType,
          reason === undefined ? { participant } : { participant, reason },
          operationId,
        );
      }
      return last;
    }
    case 'recordOperation':
    case 'recordResponseOperation': {
      if (!finished) return undefined;
      const fields: { recordingLocation?: string; recordingAccessToken?: string; reason?: ResultInfo } = {};
      const recordingLocation = read.string(operation.recordingLocation);
      if (recordingLocation !== undefined) fields.recordingLocation = recordingLocation;
      // v1 call-record: the recording is fetched with this bearer token; without it Graph answers 401.
      const recordingAccessToken = read.string(operation.recordingAccessToken);
      if (recordingAccessToken !== undefined) fields.recordingAccessToken = recordingAccessToken;
      if (reason !== undefined) fields.reason = reason;
      return notification.add(completed ? 'record.completed' : 'record.failed', fields, operationId);
    }
    case 'sendDtmfTonesOperation':
      if (!finished) return undefined;
      return notification.add(completed ? 'dtmf.sent' : 'dtmf.sendFailed', withReason(reason), operationId);
    case 'subscribeToToneOperation':
      return finished && !completed
        ? notification.add('dtmf.failed', withReason(reason), operationId)
        : undefined;
    case 'updateRecordingStatusOperation':
      // A failed update must fail the recording operation that asked for it, so it is `recording.failed`.
      if (finished && !completed)
        return notification.add('recording.failed', withReason(reason), operationId);
      return notification.add(
        'recording.state',
        { state: recordingState(operation, status || 'unknown') },
        operationId,
      );
    case 'startHoldMusicOperation':
    case 'stopHoldMusicOperation':
      // The bot's own hold (un)hold: it settled when Graph took it; only a failure is news (it undoes the mark).
      if (finished && !completed) return notification.add('hold.failed', withReason(reason), operationId);
      return finished ? nothing : undefined;
    default:
      return undefined;
  }
}

/**
 * Normalizes a notification on `/communications/calls/{id}/operations/{opId}` (usually `deleted`, carrying the
 * finished commsOperation). `operationId` is the operation's `clientContext`, else its id. A hold music operation
 * that completed gives no event (the hold settled when Graph took it); a failed one gives `hold.failed`. Other
 * operations without an event of their own become `unknown` with `sourceType` `<operationType>.<status>`, still
 * carrying `operationId`.
 */
export function normalizeOperationNotification(notification: GraphNotification): void {
  const operation: Operation = read.firstObject<CommsOperationShape>(notification.data) ?? {};
  const type = read.odataType(operation) ?? 'commsOperation';
  // Statuses are compared in lower case: Graph writes `Running`/`Completed` as often as `running`/`completed`.
  const status = operationStatus(operation);
  const reason = parseResultInfo(operation.resultInfo);
  // `…/operations/participants` (v1 participant-invite example 2, operation `id: null`) names no operation.
  const fromUrl = notification.resource.operationId;
  const operationId =
    read.string(operation.clientContext) ??
    read.string(operation.id) ??
    (fromUrl?.toLowerCase() === 'participants' ? undefined : fromUrl);
  notification.identify(
    `${notification.path}|${notification.changeType}|${type}|${status}|${resultKey(reason)}`,
  );
  const outcome = operationOutcome(operation);
  if (knownEvent(type, { notification, operation, status, outcome, reason, operationId }) === undefined) {
    notification.add(
      'unknown',
      { sourceType: `${type}.${read.string(operation.status) || notification.changeType || 'unknown'}` },
      operationId,
    );
  }
}
