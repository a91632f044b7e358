import { readFileSync } from 'node:fs';
import type { TelephonyEvent, TelephonyEventOf } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { normalizeAcsEvents } from './normalizeAcsEvents.js';

// Fields a bot needs reach the unified event (not only `raw`), read wherever Microsoft's payloads put them:
// `data` or the CloudEvent envelope (`source`/`subject`), in the event versions the recordings show.

const acs = new URL('../../../../fixtures/microsoft/acs/', import.meta.url);
const recorded = new URL('../../../../fixtures/microsoft/acs-recorded/', import.meta.url);

function ofType<T extends TelephonyEvent['type']>(
  events: readonly TelephonyEvent[],
  type: T,
): TelephonyEventOf<T>[] {
  return events.filter((e) => e.type === type) as unknown as TelephonyEventOf<T>[];
}

function recordedEvents(name: string): TelephonyEvent[] {
  const elements = JSON.parse(readFileSync(new URL(name, recorded), 'utf8')) as unknown[];
  return elements.flatMap((element) => normalizeAcsEvents(element));
}

describe('ACS event fields on the unified event', () => {
  it('transfer.accepted carries the transfer target and the transferee', () => {
    const events = normalizeAcsEvents(
      readFileSync(new URL('CallTransferAccepted__javaunit.json', acs), 'utf8'),
    );
    const [accepted] = ofType(events, 'transfer.accepted');
    expect(accepted?.transferTarget?.rawId).toBe(
      '8:acs:3afbe310-c6d9-4b6f-a11e-c2aeb352f207_0000001a-0f2f-2234-655d-573a0d00443e',
    );
    expect(accepted?.transferee?.rawId).toBe(
      '8:acs:3afbe310-c6d9-4b6f-a11e-c2aeb352f207_0000001a-0f2e-e2b4-655d-573a0d004434',
    );
  });

  it('recording.state carries the recording kind and start time (none while inactive)', () => {
    const states = ofType(recordedEvents('js-start-recording-and-hangup.json'), 'recording.state');
    expect(states.map((s) => s.state)).toEqual(['inactive', 'active']);
    expect(states[0]?.recordingKind).toBe('azureCommunicationServices');
    expect(states[0]?.startTime).toBeUndefined();
    expect(states[1]?.startTime).toMatch(/^20\d\d-/);
    expect(states[1]?.recordingId).toBe(states[0]?.recordingId);
  });

  it('a choice result keeps its confidence', () => {
    const [event] = normalizeAcsEvents({
      type: 'Microsoft.Communication.RecognizeCompleted',
      source: 'calling/callConnections/c1',
      time: '2025-01-01T00:00:00.000Z',
      data: {
        callConnectionId: 'c1',
        recognitionType: 'choices',
        choiceResult: { label: 'yes', recognizedPhrase: 'yes please', confidence: 0.87 },
      },
    });
    expect(event).toMatchObject({
      type: 'recognize.completed',
      result: { kind: 'choice', label: 'yes', confidence: 0.87 },
    });
  });

  it('reads the call connection from the envelope when data lacks it, and the recording from its source', () => {
    const [event] = normalizeAcsEvents({
      type: 'Microsoft.Communication.PlayCompleted',
      source: 'calling/callConnections/from-envelope',
      subject: 'calling/callConnections/from-envelope',
      time: '2025-01-01T00:00:00.000Z',
      data: { operationContext: 'op-1', resultInformation: { code: 200, subCode: 0, message: '' } },
    });
    expect(event).toMatchObject({ type: 'play.completed', callId: 'from-envelope', operationId: 'op-1' });
    const [recording] = normalizeAcsEvents({
      type: 'Microsoft.Communication.RecordingStateChanged',
      source: 'calling/recordings/c2VydmVy/cmVj/RecordingStateChanged',
      time: '2025-01-01T00:00:00.000Z',
      data: { eventSource: 'calling/recordings/c2VydmVy/cmVj/RecordingStateChanged', state: 'active' },
    });
    expect(recording).toMatchObject({
      type: 'recording.state',
      recordingId: 'cmVj',
      serverCallId: 'c2VydmVy',
    });
  });

  it('reads the envelope with a leading slash or from subject alone, and only for what data lacks', () => {
    const played = (envelope: Record<string, string>, data: Record<string, unknown> = {}) =>
      normalizeAcsEvents({
        type: 'Microsoft.Communication.PlayCompleted',
        time: '2025-01-01T00:00:00.000Z',
        ...envelope,
        data: { operationContext: 'op-1', ...data },
      })[0];
    expect(played({ source: '/calling/callConnections/slashed' })?.callId).toBe('slashed');
    expect(played({ subject: 'calling/callConnections/from-subject' })?.callId).toBe('from-subject');
    expect(played({ source: 'calling/callConnections/envelope' }, { callConnectionId: 'data' })?.callId).toBe(
      'data',
    );
    // Neither a call connection nor a recording: no call id rather than a wrong one.
    expect(played({ source: 'calling/callConnections/' })?.callId).toBe('');
    expect(played({ source: 'calling/other/x' })?.callId).toBe('');
    expect(played({ source: 'callingX/callConnections/x' })?.callId).toBe('');
  });

  it('reads both event versions: 2024-06-15-preview without resultInformation, 2024-09-01-preview with it', () => {
    const old = recordedEvents('js-answer-start-transcription-2024-06.json');
    const current = recordedEvents('js-answer-start-transcription.json');
    for (const events of [old, current]) {
      expect(ofType(events, 'transcription.state')[0]).toMatchObject({
        state: 'started',
        reason: { code: 200 },
      });
      expect(ofType(events, 'call.state').some((e) => e.state === 'connected')).toBe(true);
      expect(ofType(events, 'participants.updated').length).toBeGreaterThan(0);
    }
    expect(ofType(old, 'call.state').find((e) => e.state === 'connected')?.reason).toBeUndefined();
    expect(ofType(current, 'call.state').find((e) => e.state === 'connected')?.reason).toMatchObject({
      code: 200,
    });
  });
});
