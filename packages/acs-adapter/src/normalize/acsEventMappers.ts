import type {
  CallState,
  DtmfTone,
  Participant,
  RecognizeFailure,
  RecognizeResult,
  ResultInfo,
  TelephonyEvent,
  TelephonyEventBase,
  TelephonyEventFields,
  TelephonyEventOf,
  TelephonyEventType,
} from '@switchboard/core';
import { parseDtmfTone, parseResultInfo, recognizeFailureOf } from '@switchboard/core';
import { identityFromAcs } from './identityFromAcs.js';
import type { JsonObject } from './payloadFields.js';
import {
  asArray,
  asBoolean,
  asNumber,
  asObject,
  asString,
  invalidPayload,
  isJsonObject,
} from './payloadFields.js';

/**
 * The fields every event made from one ACS notification shares. Every key is always present (values may be
 * `undefined`) so that the object has one shape.
 */
export interface AcsEventHeader {
  readonly callId: string;
  readonly at: string;
  readonly raw: unknown;
  readonly eventId: string | undefined;
  readonly correlationId: string | undefined;
  readonly serverCallId: string | undefined;
  readonly operationId: string | undefined;
}

/**
 * Turns the `data` object of one notification (of ACS type `sourceType`) into contract events, appended to
 * `out`. Throws `TelephonyError('invalidPayload')` on a field of the wrong JSON type.
 */
export type AcsEventMapper = (
  data: JsonObject,
  header: AcsEventHeader,
  out: TelephonyEvent[],
  sourceType: string,
) => void;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Events are built as a literal of the common fields plus assignments, never by spreading a shared base:
// object spread over objects of varying shapes takes V8's slow path and dominated the normalizer's cost.
// The caller assigns the type's own required fields before the event leaves the mapper.
function open<T extends TelephonyEventType>(
  header: AcsEventHeader,
  type: T,
  callId: string = header.callId,
): Mutable<TelephonyEventOf<T>> {
  const event: Mutable<TelephonyEventBase<T>> = {
    type,
    backend: 'acs',
    callId,
    at: header.at,
    raw: header.raw,
  };
  if (header.eventId !== undefined) event.eventId = header.eventId;
  if (header.correlationId !== undefined) event.correlationId = header.correlationId;
  if (header.serverCallId !== undefined) event.serverCallId = header.serverCallId;
  if (header.operationId !== undefined) event.operationId = header.operationId;
  return event as Mutable<TelephonyEventOf<T>>;
}

/** Event types whose only extra field is an optional `reason`. */
type ReasonOnlyType = {
  [T in keyof TelephonyEventFields]: keyof TelephonyEventFields[T] extends 'reason' ? T : never;
}[keyof TelephonyEventFields];

// ACS names tones `zero` … `nine`, `pound`, `asterisk`, `a` … `d`; the table spares `parseDtmfTone` (which
// also reads Graph's and older spellings) on the hot path.
const toneByName: ReadonlyMap<string, DtmfTone> = new Map<string, DtmfTone>([
  ['zero', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
  ['pound', '#'],
  ['asterisk', '*'],
  ['a', 'A'],
  ['b', 'B'],
  ['c', 'C'],
  ['d', 'D'],
]);

function toneOf(name: string): DtmfTone | undefined {
  return toneByName.get(name) ?? parseDtmfTone(name);
}

function reasonOf(data: JsonObject): ResultInfo | undefined {
  const info =
    asObject(data.resultInformation, 'resultInformation') ?? asObject(data.resultInfo, 'resultInfo');
  return info === undefined ? undefined : parseResultInfo(info);
}

function withReason<E extends { reason?: ResultInfo }>(event: E, data: JsonObject): E {
  const reason = reasonOf(data);
  if (reason !== undefined) event.reason = reason;
  return event;
}

function reasonOnly(type: ReasonOnlyType): AcsEventMapper {
  return (data, header, out) => {
    out.push(withReason(open(header, type), data) as TelephonyEvent);
  };
}

// A recognize failure carries its normalized cause (from the ACS subcode) beside the raw result.
function recognizeEnded(type: 'recognize.failed' | 'recognize.canceled'): AcsEventMapper {
  return (data, header, out) => {
    const event = withReason(open(header, type), data);
    const reason = (event as { reason?: ResultInfo }).reason;
    (event as { failure?: RecognizeFailure }).failure =
      type === 'recognize.canceled' ? 'canceled' : recognizeFailureOf(reason);
    if (type === 'recognize.failed') {
      const index = asNumber(data.failedPlaySourceIndex, 'failedPlaySourceIndex');
      if (index !== undefined) (event as { failedPlaySourceIndex?: number }).failedPlaySourceIndex = index;
    }
    out.push(event as TelephonyEvent);
  };
}

// PlayFailed and RecognizeFailed name the source that could not be played (`failedPlaySourceIndex`, flows 8 and
// 16 of RECORDED-FLOWS).
function mediaFailed(type: 'play.failed'): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    const index = asNumber(data.failedPlaySourceIndex, 'failedPlaySourceIndex');
    if (index !== undefined) event.failedPlaySourceIndex = index;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

function callState(state: CallState): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, 'call.state');
    event.state = state;
    out.push(withReason(event, data));
  };
}

function streamingState<T extends 'transcription.state' | 'mediaStreaming.state'>(
  type: T,
  state: TelephonyEventFields[T]['state'],
): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    event.state = state;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

type ParticipantEventType =
  | 'participant.added'
  | 'participant.addFailed'
  | 'participant.removed'
  | 'participant.removeFailed';

function participantEvent(type: ParticipantEventType): AcsEventMapper {
  const hasInvitation = type === 'participant.added' || type === 'participant.addFailed';
  return (data, header, out) => {
    const event = open(header, type) as Mutable<TelephonyEventOf<'participant.added'>>;
    event.participant = identityFromAcs(asObject(data.participant, 'participant'));
    const invitationId = asString(data.invitationId, 'invitationId');
    if (invitationId !== undefined && hasInvitation) event.invitationId = invitationId;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

function cancelAddEvent(type: 'participant.addCanceled' | 'participant.addCancelFailed'): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    const invitationId = asString(data.invitationId, 'invitationId');
    if (invitationId !== undefined) event.invitationId = invitationId;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

function readParticipant(entry: unknown): Participant {
  if (!isJsonObject(entry)) return invalidPayload('participant is not an object');
  // 2023 and later: `{ identifier, isMuted, isOnHold }`; 2022: the identifier model itself.
  const identifier = asObject(entry.identifier, 'identifier');
  const identity = identityFromAcs(identifier ?? entry);
  const isMuted = asBoolean(entry.isMuted, 'isMuted') ?? false;
  const isOnHold = asBoolean(entry.isOnHold, 'isOnHold');
  return isOnHold === undefined ? { identity, isMuted } : { identity, isMuted, isOnHold };
}

const participantsUpdated: AcsEventMapper = (data, header, out) => {
  const list = asArray(data.participants, 'participants');
  const participants: Participant[] = [];
  if (list !== undefined) for (const entry of list) participants.push(readParticipant(entry));
  const event = open(header, 'participants.updated');
  event.participants = participants;
  event.delta = false;
  const sequenceNumber = asNumber(data.sequenceNumber, 'sequenceNumber');
  if (sequenceNumber !== undefined) event.sequenceNumber = sequenceNumber;
  out.push(event);
};

const transferAccepted: AcsEventMapper = (data, header, out) => {
  const reason = reasonOf(data);
  const state = open(header, 'call.state');
  state.state = 'transferAccepted';
  const accepted = open(header, 'transfer.accepted');
  // `transferTarget` and `transferee` since 2023-10-15 (the CallTransferAccepted fixtures).
  const target = asObject(data.transferTarget, 'transferTarget');
  if (target !== undefined) accepted.transferTarget = identityFromAcs(target);
  const transferee = asObject(data.transferee, 'transferee');
  if (transferee !== undefined) accepted.transferee = identityFromAcs(transferee);
  if (reason !== undefined) {
    state.reason = reason;
    accepted.reason = reason;
  }
  out.push(state, accepted);
};

function dtmfResult(data: JsonObject): RecognizeResult | undefined {
  // `dtmfResult` since 2023; `collectTonesResult` in the 2022 preview.
  const result =
    asObject(data.dtmfResult, 'dtmfResult') ?? asObject(data.collectTonesResult, 'collectTonesResult');
  if (result === undefined) return undefined;
  const names = asArray(result.tones, 'tones');
  let tones = '';
  if (names !== undefined) {
    for (const name of names) {
      if (typeof name !== 'string') return invalidPayload('tone is not a string');
      const tone = toneOf(name);
      if (tone !== undefined) tones += tone;
    }
  }
  return { kind: 'dtmf', tones };
}

function choiceResult(data: JsonObject): RecognizeResult | undefined {
  const result = asObject(data.choiceResult, 'choiceResult');
  if (result === undefined) return undefined;
  const label = asString(result.label, 'label') ?? '';
  const phrase = asString(result.recognizedPhrase, 'recognizedPhrase');
  const confidence = asNumber(result.confidence, 'confidence');
  return {
    kind: 'choice',
    label,
    ...(phrase === undefined ? {} : { phrase }),
    ...(confidence === undefined ? {} : { confidence }),
  };
}

function speechResult(data: JsonObject): RecognizeResult | undefined {
  const result = asObject(data.speechResult, 'speechResult');
  if (result === undefined) return undefined;
  const text = asString(result.speech, 'speech') ?? asString(result.text, 'text') ?? '';
  const confidence = asNumber(result.confidence, 'confidence');
  return confidence === undefined ? { kind: 'speech', text } : { kind: 'speech', text, confidence };
}

function emptyResult(recognitionType: string | undefined): RecognizeResult {
  if (recognitionType === 'speech') return { kind: 'speech', text: '' };
  if (recognitionType === 'choices' || recognitionType === 'choice') return { kind: 'choice', label: '' };
  return { kind: 'dtmf', tones: '' };
}

const recognizeCompleted: AcsEventMapper = (data, header, out) => {
  const recognitionType = asString(data.recognitionType, 'recognitionType');
  // A payload may carry several results (the Java SDK's sample has both `dtmfResult` and `choiceResult`):
  // the declared recognition type picks the one that counts.
  let result: RecognizeResult | undefined;
  if (recognitionType === 'choices' || recognitionType === 'choice') result = choiceResult(data);
  else if (recognitionType === 'speech') result = speechResult(data);
  else if (recognitionType === 'dtmf') result = dtmfResult(data);
  const event = open(header, 'recognize.completed');
  event.result =
    result ?? dtmfResult(data) ?? speechResult(data) ?? choiceResult(data) ?? emptyResult(recognitionType);
  out.push(withReason(event, data));
};

const unknownEvent: AcsEventMapper = (_data, header, out, sourceType) => {
  const event = open(header, 'unknown');
  event.sourceType = sourceType;
  out.push(event);
};

const toneReceived: AcsEventMapper = (data, header, out, sourceType) => {
  // Since 2023 `tone` and `sequenceId` sit on the event; the 2022 preview nested them in `toneInfo`.
  const info = asObject(data.toneInfo, 'toneInfo');
  const name = asString(data.tone, 'tone') ?? (info === undefined ? undefined : asString(info.tone, 'tone'));
  const tone = name === undefined ? undefined : toneOf(name);
  // A tone the contract cannot express (e.g. `flash`) is not dropped: it surfaces as an `unknown` event.
  if (tone === undefined) return unknownEvent(data, header, out, sourceType);
  const event = open(header, 'dtmf.received');
  event.tone = tone;
  const sequenceId =
    asNumber(data.sequenceId, 'sequenceId') ??
    (info === undefined ? undefined : asNumber(info.sequenceId, 'sequenceId'));
  if (sequenceId !== undefined) event.sequenceId = sequenceId;
  out.push(event);
};

const recordingStateChanged: AcsEventMapper = (data, header, out) => {
  const event = open(header, 'recording.state');
  event.state = asString(data.state, 'state') ?? 'unknown';
  const recordingId = asString(data.recordingId, 'recordingId') ?? recordingIdOfSource(data);
  if (recordingId !== undefined) event.recordingId = recordingId;
  const recordingKind = asString(data.recordingKind, 'recordingKind');
  if (recordingKind !== undefined) event.recordingKind = recordingKind;
  // An `inactive` state before the recording started carries `0001-01-01T00:00:00+00:00` (flow 12).
  const startTime = asString(data.startDateTime, 'startDateTime');
  if (startTime !== undefined && !startTime.startsWith('0001-')) event.startTime = startTime;
  out.push(event);
};

// `eventSource` (and the envelope's `source`) of a recording event: `calling/recordings/<serverCallId>/<id>/…`.
function recordingIdOfSource(data: JsonObject): string | undefined {
  const source = asString(data.eventSource, 'eventSource');
  const parts = source?.split('/');
  return parts?.[1] === 'recordings' && parts[3] ? parts[3] : undefined;
}

const startRecordingFailed: AcsEventMapper = (data, header, out) => {
  const event = open(header, 'recording.failed');
  const recordingId = asString(data.recordingId, 'recordingId') ?? recordingIdOfSource(data);
  if (recordingId !== undefined) event.recordingId = recordingId;
  out.push(withReason(event, data));
};

function flattenHeaders(headers: JsonObject | undefined, into: Record<string, string>): boolean {
  if (headers === undefined) return false;
  let any = false;
  for (const key in headers) {
    const value = headers[key];
    if (typeof value === 'string') into[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') into[key] = String(value);
    else if (value === null || value === undefined) continue;
    else invalidPayload('custom header is not a string');
    any = true;
  }
  return any;
}

const incomingCall: AcsEventMapper = (data, header, out) => {
  const name = asString(data.callerDisplayName, 'callerDisplayName');
  const callerDisplayName = name === '' ? undefined : name;
  // An incoming call has no call connection yet: the server call id is the only id there is.
  const event = open(header, 'call.incoming', header.serverCallId ?? '');
  // ACS identifiers carry no name; the caller's display name goes on the caller, where Graph puts it.
  event.from = identityFromAcs(asObject(data.from, 'from'), callerDisplayName);
  event.to = identityFromAcs(asObject(data.to, 'to'));
  const incomingCallContext = asString(data.incomingCallContext, 'incomingCallContext');
  if (incomingCallContext !== undefined) event.incomingCallContext = incomingCallContext;
  if (callerDisplayName !== undefined) event.callerDisplayName = callerDisplayName;
  const customContext = asObject(data.customContext, 'customContext');
  if (customContext !== undefined) {
    const headers: Record<string, string> = {};
    const sip = flattenHeaders(asObject(customContext.sipHeaders, 'sipHeaders'), headers);
    const voip = flattenHeaders(asObject(customContext.voipHeaders, 'voipHeaders'), headers);
    if (sip || voip) event.customContext = headers;
  }
  out.push(event);
};

const subscriptionValidation: AcsEventMapper = (data, header, out) => {
  const validationCode = asString(data.validationCode, 'validationCode');
  if (validationCode === undefined) return invalidPayload('validationCode is missing');
  const event = open(header, 'webhook.validation');
  event.validationCode = validationCode;
  const validationUrl = asString(data.validationUrl, 'validationUrl');
  if (validationUrl !== undefined) event.validationUrl = validationUrl;
  out.push(event);
};

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
