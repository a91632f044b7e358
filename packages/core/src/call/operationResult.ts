import type { ResultInfo } from '../events/ResultInfo.js';
import type { RecognizeResult, TelephonyEvent } from '../events/TelephonyEvent.js';
import { withDigits } from '../media/recognizeOutcome.js';
import type { CallOperation } from '../operations/CallOperation.js';
import type { AddParticipantResult, RecordResponseResult } from './Call.js';

/** Maps the event (or acknowledgement) that completed an operation to the operation's result. */
export function resultOf(
  operation: CallOperation,
  event: TelephonyEvent | undefined,
  ackResult: unknown,
): unknown {
  switch (operation.kind) {
    case 'recognize': {
      const result = event?.type === 'recognize.completed' ? event.result : (ackResult as RecognizeResult);
      const options = operation.options;
      return result === undefined
        ? result
        : withDigits(result, 'stopTones' in options ? options.stopTones : undefined);
    }
    case 'addParticipant':
      if (event?.type === 'participant.added') {
        return {
          participant: event.participant,
          ...(event.invitationId === undefined ? {} : { invitationId: event.invitationId }),
        } satisfies AddParticipantResult;
      }
      return ackResult ?? { participant: operation.target };
    case 'recordResponse':
      if (event?.type === 'record.completed') {
        return {
          ...(event.recordingLocation === undefined ? {} : { recordingLocation: event.recordingLocation }),
          ...(event.recordingAccessToken === undefined
            ? {}
            : { recordingAccessToken: event.recordingAccessToken }),
          ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
        } satisfies RecordResponseResult;
      }
      return ackResult ?? {};
    case 'startRecording':
      return ackResult ?? {};
    default:
      return undefined;
  }
}

/** The message of an `operationFailed` rejection. */
export function failureMessage(kind: string, reason: ResultInfo | undefined): string {
  return reason
    ? `${kind} failed: ${reason.message || 'no message'} (${reason.code}/${reason.subcode})`
    : `${kind} failed`;
}
