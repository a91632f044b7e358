import type { TelephonyEvent, TelephonyEventType } from '../events/TelephonyEvent.js';
import type { CallOperationKind } from './CallOperation.js';

/** How an operation's promise settles on the events that carry its `operationId`. */
export interface SettlementRule {
  /** Events that complete the operation successfully. */
  readonly completeOn: readonly TelephonyEventType[];
  /** Events that fail it (`operationFailed`). */
  readonly failOn: readonly TelephonyEventType[];
  /** Events that cancel it (`canceled`). */
  readonly cancelOn: readonly TelephonyEventType[];
  /** Settles when the call reaches `disconnected` (hang-up): call end is success, not failure. */
  readonly completeOnCallEnd?: boolean;
  /** Only this state of a `transcription.state` / `mediaStreaming.state` event completes. */
  readonly completeOnState?: string;
}

const none: readonly TelephonyEventType[] = [];

/**
 * The settlement table shared by every backend: which normalized events end each operation. A backend whose
 * answer to the request is already final (an HTTP 200 for hold, a Graph operation returned `completed`) reports
 * that in its acknowledgement, and the operation settles then.
 */
export const settlementRules: Readonly<Record<CallOperationKind, SettlementRule>> = {
  hangUp: { completeOn: none, failOn: none, cancelOn: none, completeOnCallEnd: true },
  terminate: { completeOn: none, failOn: none, cancelOn: none, completeOnCallEnd: true },
  transfer: {
    completeOn: ['transfer.accepted'],
    failOn: ['transfer.failed'],
    cancelOn: none,
    completeOnCallEnd: true,
  },
  addParticipant: {
    completeOn: ['participant.added'],
    failOn: ['participant.addFailed'],
    cancelOn: ['participant.addCanceled'],
  },
  removeParticipant: {
    completeOn: ['participant.removed'],
    failOn: ['participant.removeFailed'],
    cancelOn: none,
  },
  cancelAddParticipant: {
    completeOn: ['participant.addCanceled'],
    failOn: ['participant.addCancelFailed'],
    cancelOn: none,
  },
  muteParticipant: { completeOn: none, failOn: none, cancelOn: none },
  muteSelf: { completeOn: none, failOn: none, cancelOn: none },
  unmuteSelf: { completeOn: none, failOn: none, cancelOn: none },
  hold: { completeOn: none, failOn: ['hold.failed'], cancelOn: none },
  unhold: { completeOn: none, failOn: ['hold.failed'], cancelOn: none },
  play: { completeOn: ['play.completed'], failOn: ['play.failed'], cancelOn: ['play.canceled'] },
  recognize: {
    completeOn: ['recognize.completed'],
    failOn: ['recognize.failed'],
    cancelOn: ['recognize.canceled'],
  },
  startContinuousDtmf: { completeOn: none, failOn: ['dtmf.failed'], cancelOn: none },
  stopContinuousDtmf: { completeOn: ['dtmf.stopped'], failOn: ['dtmf.failed'], cancelOn: none },
  sendDtmf: { completeOn: ['dtmf.sent'], failOn: ['dtmf.sendFailed'], cancelOn: none },
  cancelMedia: { completeOn: none, failOn: none, cancelOn: none },
  recordResponse: { completeOn: ['record.completed'], failOn: ['record.failed'], cancelOn: none },
  startRecording: { completeOn: none, failOn: ['recording.failed'], cancelOn: none },
  stopRecording: { completeOn: none, failOn: ['recording.failed'], cancelOn: none },
  updateRecordingStatus: { completeOn: none, failOn: ['recording.failed'], cancelOn: none },
  pauseRecording: { completeOn: none, failOn: ['recording.failed'], cancelOn: none },
  resumeRecording: { completeOn: none, failOn: ['recording.failed'], cancelOn: none },
  startTranscription: {
    completeOn: ['transcription.state'],
    failOn: none,
    cancelOn: none,
    completeOnState: 'started',
  },
  stopTranscription: {
    completeOn: ['transcription.state'],
    failOn: none,
    cancelOn: none,
    completeOnState: 'stopped',
  },
  updateTranscription: {
    completeOn: ['transcription.state'],
    failOn: none,
    cancelOn: none,
    completeOnState: 'updated',
  },
  startMediaStreaming: {
    completeOn: ['mediaStreaming.state'],
    failOn: none,
    cancelOn: none,
    completeOnState: 'started',
  },
  stopMediaStreaming: {
    completeOn: ['mediaStreaming.state'],
    failOn: none,
    cancelOn: none,
    completeOnState: 'stopped',
  },
};

/** What an event means for the operation it names. */
export type Settlement = 'complete' | 'fail' | 'cancel' | 'none';

/** Classifies an event for an operation of the given kind. */
export function settlementOf(kind: CallOperationKind, event: TelephonyEvent): Settlement {
  const rule = settlementRules[kind];
  if (event.type === 'transcription.state' || event.type === 'mediaStreaming.state') {
    if (!rule.completeOn.includes(event.type)) return 'none';
    if (event.state === 'failed') return 'fail';
    return event.state === rule.completeOnState ? 'complete' : 'none';
  }
  if (rule.completeOn.includes(event.type)) return 'complete';
  if (rule.failOn.includes(event.type)) return 'fail';
  if (rule.cancelOn.includes(event.type)) return 'cancel';
  return 'none';
}
