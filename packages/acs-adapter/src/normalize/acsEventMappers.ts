import {
  callState,
  cancelAddEvent,
  incomingCall,
  participantEvent,
  participantsUpdated,
  subscriptionValidation,
  transferAccepted,
} from './acsCallEventMappers.js';
import type { AcsEventMapper } from './acsEventHeader.js';
import { reasonOnly, unknownEvent } from './acsEventHeader.js';
import {
  mediaFailed,
  recognizeCompleted,
  recognizeEnded,
  recordingStateChanged,
  startRecordingFailed,
  streamingState,
  toneReceived,
} from './acsMediaEventMappers.js';

export type { AcsEventHeader, AcsEventMapper } from './acsEventHeader.js';

const ns = 'Microsoft.Communication.';

/**
 * The normalizer's lookup table: ACS event type (CloudEvent `type` or Event Grid `eventType`) to its mapper.
 * A type that is not here becomes an `unknown` event.
 */
export const acsEventMappers: ReadonlyMap<string, AcsEventMapper> = new Map<string, AcsEventMapper>([
  [`${ns}IncomingCall`, incomingCall],
  ['Microsoft.EventGrid.SubscriptionValidationEvent', subscriptionValidation],
  [`${ns}CallConnected`, callState('connected')],
  [`${ns}CallDisconnected`, callState('disconnected')],
  [`${ns}CreateCallFailed`, callState('disconnected')],
  [`${ns}AnswerFailed`, callState('disconnected')],
  [`${ns}ConnectFailed`, callState('disconnected')],
  [`${ns}CallTransferAccepted`, transferAccepted],
  [`${ns}CallTransferFailed`, reasonOnly('transfer.failed')],
  [`${ns}ParticipantsUpdated`, participantsUpdated],
  [`${ns}AddParticipantSucceeded`, participantEvent('participant.added')],
  [`${ns}AddParticipantFailed`, participantEvent('participant.addFailed')],
  [`${ns}RemoveParticipantSucceeded`, participantEvent('participant.removed')],
  [`${ns}RemoveParticipantFailed`, participantEvent('participant.removeFailed')],
  [`${ns}CancelAddParticipantSucceeded`, cancelAddEvent('participant.addCanceled')],
  // Its name in the 2023 previews (py recording of the cancel-add flow, 2023-09).
  [`${ns}AddParticipantCancelled`, cancelAddEvent('participant.addCanceled')],
  [`${ns}CancelAddParticipantFailed`, cancelAddEvent('participant.addCancelFailed')],
  [`${ns}PlayStarted`, reasonOnly('play.started')],
  [`${ns}PlayCompleted`, reasonOnly('play.completed')],
  [`${ns}PlayFailed`, mediaFailed('play.failed')],
  [`${ns}PlayCanceled`, reasonOnly('play.canceled')],
  [`${ns}RecognizeCompleted`, recognizeCompleted],
  [`${ns}RecognizeFailed`, recognizeEnded('recognize.failed')],
  [`${ns}RecognizeCanceled`, recognizeEnded('recognize.canceled')],
  [`${ns}ContinuousDtmfRecognitionToneReceived`, toneReceived],
  [`${ns}ContinuousDtmfRecognitionToneFailed`, reasonOnly('dtmf.failed')],
  [`${ns}ContinuousDtmfRecognitionStopped`, reasonOnly('dtmf.stopped')],
  [`${ns}SendDtmfTonesCompleted`, reasonOnly('dtmf.sent')],
  [`${ns}SendDtmfTonesFailed`, reasonOnly('dtmf.sendFailed')],
  [`${ns}HoldFailed`, reasonOnly('hold.failed')],
  [`${ns}RecordingStateChanged`, recordingStateChanged],
  [`${ns}StartRecordingFailed`, startRecordingFailed],
  [`${ns}TranscriptionStarted`, streamingState('transcription.state', 'started')],
  [`${ns}TranscriptionStopped`, streamingState('transcription.state', 'stopped')],
  [`${ns}TranscriptionFailed`, streamingState('transcription.state', 'failed')],
  [`${ns}TranscriptionUpdated`, streamingState('transcription.state', 'updated')],
  [`${ns}MediaStreamingStarted`, streamingState('mediaStreaming.state', 'started')],
  [`${ns}MediaStreamingStopped`, streamingState('mediaStreaming.state', 'stopped')],
  [`${ns}MediaStreamingFailed`, streamingState('mediaStreaming.state', 'failed')],
]);

/** The mapper for event types the table does not know. */
export const unknownAcsEventMapper: AcsEventMapper = unknownEvent;
