import type {
  DtmfTone,
  RecognizeFailure,
  RecognizeResult,
  ResultInfo,
  TelephonyEvent,
  TelephonyEventFields,
} from '@switchboard/core';
import { parseDtmfTone, recognizeFailureOf } from '@switchboard/core';
import type { AcsEventMapper } from './acsEventHeader.js';
import { open, unknownEvent, withReason } from './acsEventHeader.js';
import type { JsonObject } from './payloadFields.js';
import { asArray, asNumber, asObject, asString, invalidPayload } from './payloadFields.js';

// The mappers of media events: play, recognize, DTMF, transcription and media streaming state, recording.

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

export function toneOf(name: string): DtmfTone | undefined {
  return toneByName.get(name) ?? parseDtmfTone(name);
}

// A recognize failure carries its normalized cause (from the ACS subcode) beside the raw result.
export function recognizeEnded(type: 'recognize.failed' | 'recognize.canceled'): AcsEventMapper {
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
export function mediaFailed(type: 'play.failed'): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    const index = asNumber(data.failedPlaySourceIndex, 'failedPlaySourceIndex');
    if (index !== undefined) event.failedPlaySourceIndex = index;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

export function streamingState<T extends 'transcription.state' | 'mediaStreaming.state'>(
  type: T,
  state: TelephonyEventFields[T]['state'],
): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    event.state = state;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

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

export const recognizeCompleted: AcsEventMapper = (data, header, out) => {
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

export const toneReceived: AcsEventMapper = (data, header, out, sourceType) => {
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

export const recordingStateChanged: AcsEventMapper = (data, header, out) => {
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

export const startRecordingFailed: AcsEventMapper = (data, header, out) => {
  const event = open(header, 'recording.failed');
  const recordingId = asString(data.recordingId, 'recordingId') ?? recordingIdOfSource(data);
  if (recordingId !== undefined) event.recordingId = recordingId;
  out.push(withReason(event, data));
};
