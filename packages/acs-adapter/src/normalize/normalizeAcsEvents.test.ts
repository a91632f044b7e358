import { readdirSync, readFileSync } from 'node:fs';
import type { TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAcsEvents } from './normalizeAcsEvents.js';

const fixtures = new URL('../../../../fixtures/microsoft/acs/', import.meta.url);
const receivedAt = '2030-01-02T03:04:05.000Z';

function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtures), 'utf8');
}

function normalizeFixture(name: string): TelephonyEvent[] {
  return normalizeAcsEvents(fixtureText(name), { receivedAt });
}

const ok = { code: 200, subcode: 0 };

/** What each published payload must normalize to: the meaningful fields of every event, in order. */
const expectedByFixture: Record<string, readonly Record<string, unknown>[]> = {
  'AddParticipantSucceeded__java-removeParticipant.json': [
    {
      type: 'participant.added',
      callId: '02001680-69dc-4700-952c-eed29100f53d',
      participant: { kind: 'acsUser', rawId: 'REDACTED' },
      reason: ok,
      correlationId: '7908f95b-9063-436a-9186-78fd08f6832c',
      at: '2025-06-16T19:26:05.1364933+00:00',
    },
  ],
  'CallConnected__java-dtmfActions.json': [
    {
      type: 'call.state',
      state: 'connected',
      callId: '01001680-f067-47fe-9dda-22ea50fbc6d5',
      serverCallId: 'REDACTED',
    },
  ],
  'CallDisconnected__java-reject-5002.json': [
    {
      type: 'call.state',
      state: 'disconnected',
      callId: '01001680-2ac8-4612-82ee-96b6baeb26ff',
      reason: { code: 200, subcode: 5002, message: 'The conversation has ended. DiagCode: 0#5002.@' },
    },
  ],
  'CallDisconnected__java-unmixedAudio-7000.json': [
    { type: 'call.state', state: 'disconnected', reason: { code: 200, subcode: 7000 } },
  ],
  'CallTransferAccepted__javaunit.json': [
    {
      type: 'call.state',
      state: 'transferAccepted',
      callId: '411f0b00-dc73-4528-a9e6-968ba983d2a1',
      eventId: '91f8b34b-383c-431d-9fa5-79d39fad9300',
      reason: { code: 200, subcode: 7015 },
    },
    {
      type: 'transfer.accepted',
      callId: '411f0b00-dc73-4528-a9e6-968ba983d2a1',
      reason: { code: 200, subcode: 7015 },
    },
  ],
  // The 2023 name of CancelAddParticipantSucceeded (py recording, no version, no resultInformation).
  'AddParticipantCancelled__py-2023-cancelAddParticipant.json': [
    {
      type: 'participant.addCanceled',
      callId: '521f3500-6a26-4805-a58b-56d877c7d053',
      invitationId: 'e419103c-f029-4078-8488-c3e8b3dbd081',
    },
  ],
  'CancelAddParticipantSucceeded__java-cancelAddParticipant.json': [
    {
      type: 'participant.addCanceled',
      callId: '64006580-0abd-4d7b-8f3b-0d933a3cc13d',
      invitationId: '8737c343-bc96-4b06-b9da-9e647edc7690',
      reason: { code: 487, subcode: 5234 },
    },
  ],
  'ContinuousDtmfRecognitionToneFailed__javaunit.json': [
    {
      type: 'dtmf.failed',
      callId: 'callConnectionId',
      operationId: 'context',
      reason: { code: 400, subcode: 12323 },
      // The CloudEvent has no `time` of its own.
      at: receivedAt,
    },
  ],
  'CreateCallFailed__java-reject.json': [
    { type: 'call.state', state: 'disconnected', reason: { code: 200, subcode: 5002 } },
  ],
  'IncomingCall__docs-eventgrid-acsuser.json': [
    {
      type: 'call.incoming',
      callId: 'tob2JIV0wzOHdab3dWcGVWZmsrL2QxYVZnQ2U1bVVLQTh1T056YmpvdXdnQjNzZTlnTEhjNFlYem5BVU9nRGY5dUFQ',
      eventId: 'd5546be8-227a-4db8-b2c3-4f06fd675fd6',
      at: '2022-08-25T19:27:24.2415391Z',
      correlationId: 'd732db64-4803-462d-be9c-518943ea2b7a',
      from: {
        kind: 'acsUser',
        rawId: '8:acs:98e4cbef-70e7-4733-8594-063c4a72d711_00000014-2033-438d-1000-343a0d006e10',
        displayName: 'John Doe',
      },
      to: {
        kind: 'acsUser',
        rawId: '8:acs:98e4cbef-70e7-4733-8594-063c4a72d711_00000014-1889-f3a7-6a0b-343a0d0061f3',
      },
      callerDisplayName: 'John Doe',
      incomingCallContext: expect.stringMatching(/^eyJhbGciOiJub25lIiwidHliSldUIn0\./),
    },
  ],
  'IncomingCall__java-removeParticipant-data-customContext.json': [
    {
      type: 'call.incoming',
      callId: 'REDACTED',
      at: receivedAt,
      from: { kind: 'acsUser', rawId: 'REDACTED' },
      to: { kind: 'acsUser', rawId: 'REDACTED' },
      incomingCallContext: 'REDACTED',
      correlationId: '7908f95b-9063-436a-9186-78fd08f6832c',
    },
  ],
  'IncomingCall__specs-cloudevents-customcontext.json': [
    {
      type: 'call.incoming',
      callId: '{server-call-id}',
      eventId: 'e80026e7-e298-46ba-bc42-dab0eda92581',
      from: { kind: 'acsUser', rawId: '{caller-id}', displayName: 'VOIP Caller' },
      to: { kind: 'acsUser', rawId: '{recipient-id}' },
      incomingCallContext: '{incoming-call-contextValue}',
      customContext: {
        userToUser: '616d617a6f6e5f6368696;encoding=hex',
        'X-MS-Custom-myhader1': '35567842',
        'X-MS-Custom-myhader2': 'customsipheadervalue',
        customHeader: 'customValue',
      },
    },
  ],
  'MediaStreamingStopped__java-mediaStreaming.json': [
    {
      type: 'mediaStreaming.state',
      state: 'stopped',
      callId: '01001680-cdbc-4492-9d95-4dde91c61fdf',
      reason: ok,
    },
  ],
  'ParticipantsUpdated__java-dtmfActions-pstn.json': [
    {
      type: 'participants.updated',
      callId: '01001680-f067-47fe-9dda-22ea50fbc6d5',
      delta: false,
      sequenceNumber: 1,
      participants: [
        { identity: { kind: 'phone', rawId: '4:REDACTED' }, isMuted: false, isOnHold: false },
        { identity: { kind: 'acsUser', rawId: 'REDACTED' }, isMuted: false, isOnHold: false },
      ],
    },
  ],
  'ParticipantsUpdated__net-legacy-2022.json': [
    {
      type: 'participants.updated',
      callId: '4c1f6300-4240-431b-a699-b5db377538b1',
      delta: false,
      participants: [
        { identity: { kind: 'acsUser', rawId: 'Sanitized' }, isMuted: false },
        { identity: { kind: 'acsUser', rawId: 'Sanitized' }, isMuted: false },
      ],
    },
  ],
  'PlayCompleted__java-playMedia.json': [
    { type: 'play.completed', callId: '01001680-df9c-41a1-b417-bf624eb7ef75', reason: ok },
  ],
  'PlayStarted__java-playMedia.json': [
    { type: 'play.started', callId: '01001680-df9c-41a1-b417-bf624eb7ef75' },
  ],
  'RecognizeCompleted__docs-recognize-java-2022.json': [
    {
      type: 'recognize.completed',
      callId: '411f0b00-d97f-49ad-a6ff-3f8c05dc64d7',
      operationId: '267e33a9-c28e-4ecf-a33e-b3abd9526e32',
      result: { kind: 'dtmf', tones: '98052' },
      reason: { code: 200, subcode: 8531 },
    },
  ],
  'RecognizeCompleted__javaunit-dtmf.json': [
    {
      type: 'recognize.completed',
      callId: '401f7000-c1c0-41e2-962d-85d0dc1d6f01',
      operationId: 'OperationalContextValue-1118-1049',
      result: { kind: 'dtmf', tones: '56#' },
      reason: { code: 200, subcode: 8533 },
    },
  ],
  'RecognizeFailed__docs-recognize-java-2022.json': [
    {
      type: 'recognize.failed',
      operationId: '267e33a9-c28e-4ecf-a33e-b3abd9526e32',
      reason: { code: 500, subcode: 8511 },
    },
  ],
  'RecordingFileStatusUpdated__docs-eventgrid.json': [
    {
      type: 'unknown',
      sourceType: 'Microsoft.Communication.RecordingFileStatusUpdated',
      callId: '',
      eventId: '7283825e-f8f1-4c61-a9ea-752c56890500',
      at: '2021-07-27T15:20:34.2199328Z',
    },
  ],
  'RemoveParticipantFailed__javaunit.json': [
    {
      type: 'participant.removeFailed',
      callId: 'callConnectionId',
      operationId: 'context',
      participant: { kind: 'phone', phoneNumber: 'value', rawId: '4:value' },
    },
  ],
  'SendDtmfTonesCompleted__java-dtmfActions.json': [
    { type: 'dtmf.sent', callId: '01001680-a658-43a7-9774-8cad0a2667eb', reason: ok },
  ],
  'SubscriptionValidationEvent__docs-eventgrid-webhook.json': [
    {
      type: 'webhook.validation',
      callId: '',
      validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
      validationUrl: expect.stringMatching(/^https:\/\/rp-eastus2\.eventgrid\.azure\.net:553\//),
    },
  ],
  'TranscriptionStopped__java-transcription.json': [
    {
      type: 'transcription.state',
      state: 'stopped',
      callId: '01001680-8d41-4a65-89b9-c2a592118641',
      reason: ok,
    },
  ],
};

describe('normalizeAcsEvents: every published payload', () => {
  it('has an expectation for every fixture file', () => {
    const files = readdirSync(fixtures).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(expectedByFixture).sort());
  });

  for (const [name, expected] of Object.entries(expectedByFixture)) {
    it(`normalizes ${name}`, () => {
      const events = normalizeFixture(name);
      expect(events).toHaveLength(expected.length);
      events.forEach((event, index) => {
        expect(event).toMatchObject({ backend: 'acs', ...expected[index] });
        expect(event.at).not.toBe('');
      });
    });
  }

  it('keeps the source element as raw, and gives every event of one element the same raw', () => {
    const body = JSON.parse(fixtureText('CallTransferAccepted__javaunit.json')) as unknown[];
    const events = normalizeAcsEvents(body);
    expect(events.map((event) => event.raw)).toEqual([body[0], body[0]]);
    expect(events[0]?.raw).toBe(body[0]);
  });

  it('gives the same result for a string, bytes, an ArrayBuffer and parsed JSON', () => {
    for (const name of Object.keys(expectedByFixture)) {
      const text = fixtureText(name);
      const bytes = new TextEncoder().encode(text);
      const fromString = normalizeAcsEvents(text, { receivedAt });
      expect(normalizeAcsEvents(Buffer.from(text), { receivedAt })).toEqual(fromString);
      expect(normalizeAcsEvents(bytes, { receivedAt })).toEqual(fromString);
      expect(normalizeAcsEvents(bytes.buffer, { receivedAt })).toEqual(fromString);
      expect(normalizeAcsEvents(JSON.parse(text), { receivedAt })).toEqual(fromString);
    }
  });

  it('reads a body that starts with a byte-order mark', () => {
    const text = fixtureText('PlayStarted__java-playMedia.json');
    expect(normalizeAcsEvents(`\uFEFF${text}`)).toEqual(normalizeAcsEvents(text));
  });
});

const callConnectionId = '421f0b00-aaaa-bbbb-cccc-0123456789ab';

/** A CloudEvent as the service posts it to the callback URI. */
function cloudEvent(type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: `id-${type}`,
    source: `calling/callConnections/${callConnectionId}`,
    type: `Microsoft.Communication.${type}`,
    data: { callConnectionId, serverCallId: 'server-call', correlationId: 'correlation', ...data },
    time: '2025-06-16T20:52:32.9896642+00:00',
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject: `calling/callConnections/${callConnectionId}`,
    ...extra,
  };
}

function single(body: unknown): TelephonyEvent {
  const events = normalizeAcsEvents(body, { receivedAt });
  expect(events).toHaveLength(1);
  return events[0] as TelephonyEvent;
}

describe('normalizeAcsEvents: every event type with an ACS source', () => {
  const failure = { code: 500, subCode: 8511, message: 'failed' };
  const reason = { code: 500, subcode: 8511, message: 'failed' };
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['CallConnected', {}, { type: 'call.state', state: 'connected' }],
    [
      'CallDisconnected',
      { resultInformation: failure },
      { type: 'call.state', state: 'disconnected', reason },
    ],
    [
      'CreateCallFailed',
      { resultInformation: failure },
      { type: 'call.state', state: 'disconnected', reason },
    ],
    ['AnswerFailed', { resultInformation: failure }, { type: 'call.state', state: 'disconnected', reason }],
    ['ConnectFailed', { resultInformation: failure }, { type: 'call.state', state: 'disconnected', reason }],
    ['CallTransferFailed', { resultInformation: failure }, { type: 'transfer.failed', reason }],
    [
      'AddParticipantFailed',
      {
        participant: { rawId: '4:+14255550100', phoneNumber: { value: '+14255550100' } },
        invitationId: 'inv',
      },
      {
        type: 'participant.addFailed',
        participant: { kind: 'phone', rawId: '4:+14255550100' },
        invitationId: 'inv',
      },
    ],
    [
      'RemoveParticipantSucceeded',
      {
        participant: {
          kind: 'communicationUser',
          rawId: '8:acs:r_u',
          communicationUser: { id: '8:acs:r_u' },
        },
      },
      { type: 'participant.removed', participant: { kind: 'acsUser', rawId: '8:acs:r_u' } },
    ],
    [
      'CancelAddParticipantFailed',
      { invitationId: 'inv', resultInformation: failure },
      { type: 'participant.addCancelFailed', invitationId: 'inv', reason },
    ],
    ['PlayFailed', { resultInformation: failure }, { type: 'play.failed', reason }],
    ['PlayCanceled', {}, { type: 'play.canceled' }],
    ['RecognizeCanceled', {}, { type: 'recognize.canceled' }],
    ['ContinuousDtmfRecognitionStopped', {}, { type: 'dtmf.stopped' }],
    ['SendDtmfTonesFailed', { resultInformation: failure }, { type: 'dtmf.sendFailed', reason }],
    ['HoldFailed', { resultInformation: failure }, { type: 'hold.failed', reason }],
    [
      'RecordingStateChanged',
      { recordingId: 'rec-1', state: 'active', recordingKind: 'azureCommunicationServices' },
      { type: 'recording.state', state: 'active', recordingId: 'rec-1' },
    ],
    [
      'StartRecordingFailed',
      { recordingId: 'rec-1', resultInformation: failure },
      { type: 'recording.failed', recordingId: 'rec-1', reason },
    ],
    ['TranscriptionStarted', {}, { type: 'transcription.state', state: 'started' }],
    ['TranscriptionUpdated', {}, { type: 'transcription.state', state: 'updated' }],
    [
      'TranscriptionFailed',
      { resultInformation: failure },
      { type: 'transcription.state', state: 'failed', reason },
    ],
    ['MediaStreamingStarted', {}, { type: 'mediaStreaming.state', state: 'started' }],
    [
      'MediaStreamingFailed',
      { resultInformation: failure },
      { type: 'mediaStreaming.state', state: 'failed', reason },
    ],
  ];

  for (const [type, data, expected] of cases) {
    it(`maps ${type} to ${String(expected.type)}`, () => {
      const event = single(
        cloudEvent(
          type,
          { ...data, operationContext: 'op-1' },
          { time: '2025-06-16T20:52:32.9896642+00:00' },
        ),
      );
      expect(event).toMatchObject({
        backend: 'acs',
        callId: callConnectionId,
        eventId: `id-${type}`,
        serverCallId: 'server-call',
        correlationId: 'correlation',
        operationId: 'op-1',
        at: '2025-06-16T20:52:32.9896642+00:00',
        ...expected,
      });
    });
  }

  it('maps a continuous DTMF tone in the 2025 shape and in the 2022 shape', () => {
    expect(
      single(cloudEvent('ContinuousDtmfRecognitionToneReceived', { tone: 'pound', sequenceId: 3 })),
    ).toMatchObject({ type: 'dtmf.received', tone: '#', sequenceId: 3, callId: callConnectionId });
    expect(
      single(
        cloudEvent('ContinuousDtmfRecognitionToneReceived', {
          toneInfo: { sequenceId: 1, tone: 'five' },
          resultInfo: { code: 200, subCode: 0, message: 'ok' },
        }),
      ),
    ).toMatchObject({ type: 'dtmf.received', tone: '5', sequenceId: 1 });
  });

  it('keeps a tone the contract cannot express as an unknown event', () => {
    expect(single(cloudEvent('ContinuousDtmfRecognitionToneReceived', { tone: 'flash' }))).toMatchObject({
      type: 'unknown',
      sourceType: 'Microsoft.Communication.ContinuousDtmfRecognitionToneReceived',
      callId: callConnectionId,
    });
  });

  it('reads every recognize result kind', () => {
    const recognized = (data: Record<string, unknown>) => {
      const event = single(cloudEvent('RecognizeCompleted', data));
      return event.type === 'recognize.completed' ? event.result : undefined;
    };
    expect(
      recognized({ recognitionType: 'dtmf', dtmfResult: { tones: ['one', 'asterisk', 'zero', 'pound'] } }),
    ).toEqual({ kind: 'dtmf', tones: '1*0#' });
    expect(
      recognized({
        recognitionType: 'choices',
        choiceResult: { label: 'Sales', recognizedPhrase: 'sales please' },
      }),
    ).toEqual({ kind: 'choice', label: 'Sales', phrase: 'sales please' });
    expect(recognized({ recognitionType: 'choices', choiceResult: { label: 'Sales' } })).toEqual({
      kind: 'choice',
      label: 'Sales',
    });
    expect(
      recognized({ recognitionType: 'speech', speechResult: { speech: 'hello there', confidence: 0.87 } }),
    ).toEqual({ kind: 'speech', text: 'hello there', confidence: 0.87 });
    expect(recognized({ recognitionType: 'speechOrDtmf', speechResult: { speech: 'yes' } })).toEqual({
      kind: 'speech',
      text: 'yes',
    });
    expect(recognized({ recognitionType: 'speechOrDtmf', dtmfResult: { tones: ['nine'] } })).toEqual({
      kind: 'dtmf',
      tones: '9',
    });
    expect(recognized({ collectTonesResult: { tones: ['two', 'Tone3'] } })).toEqual({
      kind: 'dtmf',
      tones: '23',
    });
    expect(recognized({ recognitionType: 'dtmf' })).toEqual({ kind: 'dtmf', tones: '' });
  });

  it('reads resultInfo as well as resultInformation, with numeric strings', () => {
    expect(
      single(cloudEvent('PlayFailed', { resultInfo: { code: '400', subcode: '8535', message: 'bad file' } })),
    ).toMatchObject({ type: 'play.failed', reason: { code: 400, subcode: 8535, message: 'bad file' } });
  });

  it('reads a 2025 roster with mute and hold state and Teams participants', () => {
    const event = single(
      cloudEvent('ParticipantsUpdated', {
        sequenceNumber: 7,
        participants: [
          {
            identifier: {
              kind: 'microsoftTeamsUser',
              rawId: '8:gcch:u1',
              microsoftTeamsUser: { userId: 'u1', cloud: 'gcch' },
            },
            isMuted: true,
            isOnHold: false,
          },
          {
            identifier: {
              kind: 'phoneNumber',
              rawId: '4:+14255550100',
              phoneNumber: { value: '+14255550100' },
            },
            isMuted: false,
            isOnHold: true,
          },
        ],
      }),
    );
    expect(event).toEqual({
      type: 'participants.updated',
      backend: 'acs',
      callId: callConnectionId,
      at: '2025-06-16T20:52:32.9896642+00:00',
      raw: expect.any(Object),
      eventId: 'id-ParticipantsUpdated',
      correlationId: 'correlation',
      serverCallId: 'server-call',
      delta: false,
      sequenceNumber: 7,
      participants: [
        {
          identity: { kind: 'teamsUser', userId: 'u1', cloud: 'gcch', rawId: '8:gcch:u1' },
          isMuted: true,
          isOnHold: false,
        },
        {
          identity: { kind: 'phone', phoneNumber: '+14255550100', rawId: '4:+14255550100' },
          isMuted: false,
          isOnHold: true,
        },
      ],
    });
  });

  it('keeps an unknown CloudEvent type as an unknown event', () => {
    expect(single(cloudEvent('MoveParticipantSucceeded', { fromCall: 'x' }))).toMatchObject({
      type: 'unknown',
      sourceType: 'Microsoft.Communication.MoveParticipantSucceeded',
      callId: callConnectionId,
      eventId: 'id-MoveParticipantSucceeded',
    });
    expect(
      single({ id: 'e', type: 'Contoso.Custom', data: 'opaque', time: '2025-01-01T00:00:00Z' }),
    ).toMatchObject({
      type: 'unknown',
      sourceType: 'Contoso.Custom',
      callId: '',
    });
  });

  it('reads a single Event Grid event that is not in an array', () => {
    const [validation] = JSON.parse(
      fixtureText('SubscriptionValidationEvent__docs-eventgrid-webhook.json'),
    ) as unknown[];
    expect(single(validation)).toMatchObject({
      type: 'webhook.validation',
      validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
  });

  it('keeps other Event Grid events as unknown events', () => {
    expect(
      single({
        id: 'eg-1',
        topic: '/subscriptions/x',
        subject: 'call/abc',
        eventType: 'Microsoft.Communication.CallEnded',
        data: { callId: 'abc' },
        dataVersion: '1.0',
        eventTime: '2024-01-01T00:00:00Z',
      }),
    ).toMatchObject({ type: 'unknown', sourceType: 'Microsoft.Communication.CallEnded', eventId: 'eg-1' });
  });
});

describe('normalizeAcsEvents: arrays and time', () => {
  it('yields every element of an array of CloudEvents, in order', () => {
    const body = [
      cloudEvent('CallConnected', {}),
      cloudEvent('ParticipantsUpdated', { participants: [] }),
      cloudEvent('CallTransferAccepted', {}),
      cloudEvent('PlayCompleted', { operationContext: 'play-1' }),
    ];
    expect(normalizeAcsEvents(JSON.stringify(body)).map((event) => event.type)).toEqual([
      'call.state',
      'participants.updated',
      'call.state',
      'transfer.accepted',
      'play.completed',
    ]);
    expect(normalizeAcsEvents(body)[4]?.operationId).toBe('play-1');
  });

  it('uses receivedAt (a Date or a string) for events without a time, else the current time', () => {
    const untimed = { ...cloudEvent('CallConnected', {}), time: undefined };
    expect(single(untimed).at).toBe(receivedAt);
    expect(normalizeAcsEvents(untimed, { receivedAt: new Date(receivedAt) })[0]?.at).toBe(receivedAt);
    const before = Date.now();
    const at = Date.parse(normalizeAcsEvents(untimed)[0]?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(normalizeAcsEvents({ ...untimed, time: 'yesterday' }, { receivedAt })[0]?.at).toBe(receivedAt);
  });
});

function describeInput(body: unknown): string {
  return body instanceof Uint8Array ? `bytes ${body.length}` : String(JSON.stringify(body));
}

function expectInvalid(body: unknown, label = describeInput(body)): void {
  let thrown: unknown;
  try {
    normalizeAcsEvents(body);
  } catch (error) {
    thrown = error;
  }
  expect(TelephonyError.hasReason(thrown, 'invalidPayload'), `input: ${label}`).toBe(true);
}

describe('normalizeAcsEvents: input that is not a notification', () => {
  it('rejects bodies that are not JSON objects or arrays of them', () => {
    for (const body of [
      'not json',
      '',
      '{"type":',
      '42',
      42,
      null,
      undefined,
      'null',
      '[1]',
      [1],
      [null],
      {},
      [],
      '"x"',
      true,
    ]) {
      expectInvalid(body);
    }
    expectInvalid(new TextEncoder().encode('{"type":'));
    expectInvalid(Buffer.from([0xff, 0xfe, 0x00]));
  });

  it('rejects events without a type, or whose data is not an object', () => {
    expectInvalid([{ id: 'x', data: {} }]);
    expectInvalid({ type: 42, data: {} });
    expectInvalid({ type: '', data: {} });
    expectInvalid({ eventType: ['x'], data: {} });
    expectInvalid(cloudEvent('CallConnected', {}, { data: 'a string' }));
    expectInvalid(cloudEvent('CallConnected', {}, { data: [] }));
    expectInvalid(cloudEvent('CallConnected', {}, { data: null }));
    expectInvalid([cloudEvent('CallConnected', {}), 'second element is not an event']);
  });

  it('rejects fields of the wrong JSON type, however deep', () => {
    expectInvalid(cloudEvent('CallConnected', { callConnectionId: { id: 1 } }));
    expectInvalid(cloudEvent('CallConnected', { operationContext: 12 }));
    expectInvalid(cloudEvent('CallConnected', {}, { id: 5 }));
    expectInvalid(cloudEvent('CallConnected', {}, { time: 1718571152 }));
    expectInvalid(cloudEvent('CallDisconnected', { resultInformation: ['500'] }));
    expectInvalid(cloudEvent('ParticipantsUpdated', { participants: 'everyone' }));
    expectInvalid(cloudEvent('ParticipantsUpdated', { participants: [1] }));
    expectInvalid(cloudEvent('ParticipantsUpdated', { participants: [{ identifier: 'x' }] }));
    expectInvalid(cloudEvent('ParticipantsUpdated', { participants: [{ identifier: {}, isMuted: 'no' }] }));
    expectInvalid(cloudEvent('ParticipantsUpdated', { participants: [], sequenceNumber: '1' }));
    expectInvalid(cloudEvent('RecognizeCompleted', { dtmfResult: { tones: 'fivesix' } }));
    expectInvalid(cloudEvent('RecognizeCompleted', { dtmfResult: { tones: [5, 6] } }));
    expectInvalid(
      cloudEvent('RecognizeCompleted', { recognitionType: 'speech', speechResult: { confidence: 'high' } }),
    );
    expectInvalid(cloudEvent('AddParticipantSucceeded', { participant: '8:acs:x' }));
    expectInvalid(cloudEvent('IncomingCall', { from: 'caller', to: {} }));
    expectInvalid(
      cloudEvent('IncomingCall', { customContext: { sipHeaders: { 'X-MS-Custom-a': { nested: 1 } } } }),
    );
    expectInvalid({
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      data: { validationUrl: 'x' },
    });
    expectInvalid({
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      data: { validationCode: 7 },
    });
  });

  it('turns a throwing getter in parsed input into invalidPayload', () => {
    const hostile = new Proxy(cloudEvent('CallConnected', {}), {
      get(target, key) {
        if (key === 'data') throw new Error('boom');
        return Reflect.get(target, key);
      },
    });
    expectInvalid(hostile, 'a proxy whose data getter throws');
  });

  it('never throws anything but invalidPayload, whatever the input', () => {
    const types = [
      'CallConnected',
      'ParticipantsUpdated',
      'RecognizeCompleted',
      'IncomingCall',
      'AddParticipantFailed',
    ];
    const anyEvent = fc.record(
      {
        id: fc.jsonValue(),
        type: fc.oneof(
          fc.constantFrom(...types.map((type) => `Microsoft.Communication.${type}`)),
          fc.jsonValue(),
        ),
        eventType: fc.jsonValue(),
        time: fc.jsonValue(),
        data: fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom(
              'callConnectionId',
              'participants',
              'dtmfResult',
              'from',
              'resultInformation',
              'participant',
            ),
            fc.jsonValue(),
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), anyEvent, fc.array(anyEvent), fc.string()), (body) => {
        try {
          const events = normalizeAcsEvents(body);
          expect(Array.isArray(events)).toBe(true);
          for (const event of events) expect(typeof event.type).toBe('string');
        } catch (error) {
          expect(TelephonyError.hasReason(error, 'invalidPayload')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
