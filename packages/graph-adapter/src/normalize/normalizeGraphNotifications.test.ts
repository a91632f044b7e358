import { readdirSync, readFileSync } from 'node:fs';
import type { TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { normalizeGraphNotifications } from './normalizeGraphNotifications.js';

const fixtureDir = new URL('../../../../fixtures/microsoft/graph/', import.meta.url);
const receivedAt = '2025-03-04T05:06:07.000Z';

function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDir), 'utf8');
}

function fixture(name: string): unknown {
  // The published docs put comments and trailing commas in some samples; the service sends strict JSON.
  return name.endsWith('.jsonc') ? JSON5.parse(fixtureText(name)) : JSON.parse(fixtureText(name));
}

function normalize(body: unknown): TelephonyEvent[] {
  return normalizeGraphNotifications(body, { receivedAt });
}

function commsNotifications(...value: unknown[]): string {
  return JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value });
}

const call = '57dab8b1-894c-409a-b240-bd8beae78896';
const callUrl = `/communications/calls/${call}`;

function operation(
  type: string,
  fields: Record<string, unknown>,
  url = `${callUrl}/operations/op-1`,
): string {
  return commsNotifications({
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'deleted',
    resourceUrl: url,
    resourceData: { '@odata.type': `#microsoft.graph.${type}`, id: 'op-1', ...fields },
  });
}

function callUpdate(resourceData: Record<string, unknown>, changeType = 'updated'): string {
  return commsNotifications({
    changeType,
    resourceUrl: callUrl,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
  });
}

function expectInvalid(body: unknown): void {
  let thrown: unknown;
  try {
    normalizeGraphNotifications(body);
  } catch (error) {
    thrown = error;
  }
  expect(TelephonyError.hasReason(thrown, 'invalidPayload'), `body ${String(body)}`).toBe(true);
}

const bob = { kind: 'teamsUser', userId: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', displayName: 'Bob' };
const transferCall = '341a0500-d4bf-4224-8b19-1581168d328b';
const sharingCall = '421f4c00-4436-4c3a-9d9a-c4924cf98e67';
const sharingSession = 'F7D9EF30FF0A9BD3F64B274387FB8FF8E96B6CFBA8F87F8305A74DE99AF007BC';

// Every file of fixtures/microsoft/graph and the events it must give (fields compared with toMatchObject).
const expected: Record<string, readonly Record<string, unknown>[]> = {
  'call-deleted-after-reject__v1-call-reject-ex2.json': [
    { type: 'call.state', callId: call, state: 'disconnected' },
  ],
  'call-established-outgoing__v1-create-call-ex1.json': [
    { type: 'call.state', callId: '2e1a0b00-b3c5-4b0f-99b3-c133bc1e6116', state: 'connected' },
  ],
  'call-establishing-meeting__v1-create-call-ex5.json': [
    { type: 'call.state', callId: '2f1a1100-b174-40a0-aba7-0b405e01ed92', state: 'connecting' },
    {
      type: 'call.capabilities',
      because: 'meeting',
      capabilities: {
        addParticipant: true,
        cancelAddParticipant: true,
        muteParticipant: true,
        muteSelf: true,
        unmuteSelf: true,
      },
    },
  ],
  'call-establishing__v1-call-answer-ex1.json': [
    { type: 'call.state', callId: '57DAB8B1894C409AB240BD8BEAE78896', state: 'connecting' },
  ],
  'call-incoming-callroutes-phone__beta-call-answer-ex1.json': [
    {
      type: 'call.incoming',
      callId: '57DAB8B1894C409AB240BD8BEAE78896',
      from: {
        kind: 'teamsUser',
        rawId: '8:orgid:8A34A46B-3D17-4ADC-8DCE-DC4E7D572698',
        displayName: 'Test User',
      },
      to: {
        kind: 'teamsApp',
        rawId: '28:orgid:8A34A46B-3D17-4ADC-8DCE-DC4E7D572698',
        displayName: 'Test BOT',
      },
      callerDisplayName: 'Test User',
    },
    {
      type: 'call.capabilities',
      because: 'oneToOne',
      capabilities: {
        addParticipant: false,
        cancelAddParticipant: false,
        muteParticipant: false,
        muteSelf: false,
        unmuteSelf: false,
      },
    },
  ],
  'call-incoming-p2p-typed__v1-call-answer-ex2.json': [
    {
      type: 'call.incoming',
      callId: '57DAB8B1894C409AB240BD8BEAE78896',
      from: { kind: 'teamsUser', userId: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' },
      to: { kind: 'teamsApp', appId: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' },
    },
    {
      type: 'call.capabilities',
      because: 'oneToOne',
      capabilities: {
        addParticipant: false,
        cancelAddParticipant: false,
        muteParticipant: false,
        muteSelf: false,
        unmuteSelf: false,
      },
    },
  ],
  'call-incoming-policy-recording__v1-call-answer-ex3.json': [
    {
      type: 'call.incoming',
      callId: 'e71f0300-9c1f-4d99-b5f4-2722e877d497',
      correlationId: '05f2f70f-3a9c-47c1-80a9-cc79e91d8cec',
      from: { kind: 'teamsUser', rawId: '8:orgid:8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' },
      to: { kind: 'teamsApp', rawId: '28:orgid:832899f8-2ea1-4604-8413-27bd2892079f' },
      meeting: { tenantId: '932899f8-2ea1-4604-8413-27bd2892079f' },
    },
    {
      type: 'call.capabilities',
      because: 'meeting',
      capabilities: {
        addParticipant: true,
        cancelAddParticipant: true,
        muteParticipant: true,
        muteSelf: true,
        unmuteSelf: true,
      },
    },
  ],
  'call-incoming-targets-multi__v1-call-redirect-ex2.json': [
    {
      type: 'call.incoming',
      callId: '481f0b00-ffff-4ca1-8c67-a5f1e31e8e82',
      from: { kind: 'teamsUser', rawId: '8:orgid:ec040873-8235-45fd-a403-c7259a5a548e' },
      to: { kind: 'teamsApp', appId: '24701998-1a73-4d42-8085-bf46ed0ae039', displayName: 'test bot' },
    },
    {
      type: 'call.capabilities',
      because: 'oneToOne',
      capabilities: {
        addParticipant: false,
        cancelAddParticipant: false,
        muteParticipant: false,
        muteSelf: false,
        unmuteSelf: false,
      },
    },
  ],
  'call-terminated-redirected-answeredby__v1-call-redirect-ex3.jsonc': [
    { type: 'call.state', callId: '491f0b00-ffff-4bc9-a43e-b226498ec22a', state: 'disconnected' },
  ],
  'call-terminated__dc-beta-commsnotifications.json': [
    {
      type: 'call.state',
      callId: 'f13f9755-9b05-4f27-b8a9-b071ed29c731',
      state: 'disconnected',
      reason: { code: 0, subcode: 0, message: '' },
    },
  ],
  'call-terminating__v1-call-delete.json': [{ type: 'call.state', callId: call, state: 'disconnecting' }],
  'call-transfer-completed-consultative__v1-call-transfer-ex2.json': [
    { type: 'call.state', callId: transferCall, state: 'disconnected' },
  ],
  'call-transfer-failed-consultative__v1-call-transfer-ex2.json': [
    { type: 'call.state', callId: transferCall, state: 'connected' },
    {
      type: 'transfer.failed',
      callId: transferCall,
      reason: { code: 500, subcode: 7700, message: '<message>' },
    },
  ],
  'call-transfer-failed__v1-call-transfer-ex1.json': [
    { type: 'call.state', callId: transferCall, state: 'connected' },
    {
      type: 'transfer.failed',
      callId: transferCall,
      reason: { code: 500, subcode: 7000, message: '<message>' },
    },
  ],
  'contentsharing-ended__dc-v1-create-call-ex1.json': [
    { type: 'contentSharing.updated', callId: sharingCall, change: 'deleted', sessionIds: [sharingSession] },
  ],
  'contentsharing-updated__dc-v1-create-call-ex1.json': [
    { type: 'contentSharing.updated', callId: sharingCall, change: 'updated', sessionIds: [sharingSession] },
  ],
  'meetingcallevent-call-started__dc-concepts-onlinemeeting-notif.jsonc': [
    {
      type: 'unknown',
      sourceType: 'callevent.callStarted',
      callId: '',
      eventId: "{notificationId}'",
      at: '2022-02-28T00:00:00.000Z',
    },
  ],
  'meetingcallevent-roster-delta-joined__dc-concepts-onlinemeeting-notif.json': [
    { type: 'unknown', sourceType: 'callevent.rosterUpdated', eventId: '{notificationId}' },
  ],
  'op-configuremixer-completed__beta-participant-configuremixer.json': [
    {
      type: 'unknown',
      callId: call,
      sourceType: 'commsOperation.completed',
      operationId: 'd45324c1-fcb5-430a-902c-f20af696537c',
    },
  ],
  'op-invite-completed-pstn__v1-participant-invite-ex4.json': [
    {
      type: 'participant.added',
      callId: 'ab6233a5-20b7-4c5e-bea2-ce56c9776429',
      operationId: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f',
      participant: { kind: 'phone', phoneNumber: '+12345678901', rawId: '4:+12345678901' },
    },
  ],
  'op-playprompt-completed__v1-call-playprompt.json': [
    {
      type: 'play.completed',
      callId: '57DAB8B1894C409AB240BD8BEAE78896',
      operationId: 'd45324c1-fcb5-430a-902c-f20af696537c',
      reason: { code: 200, subcode: 0, message: 'Action completed successfully.' },
    },
  ],
  'op-recordresponse-completed__v1-call-record-ex1.json': [
    {
      type: 'record.completed',
      operationId: 'd45324c1-fcb5-430a-902c-f20af696537c',
      recordingLocation: 'https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad',
      reason: { code: 200, subcode: 8515 },
    },
  ],
  'op-senddtmftones-completed__dc-v1-call-senddtmftones.json': [
    {
      type: 'dtmf.sent',
      callId: '481f3600-983e-4276-9b59-c1b30ec8d125',
      operationId: 'e0be71f1-a14f-4cec-b65a-e7aba5db7c53',
    },
  ],
  // The bot's own hold succeeded: no event (it settled when Graph took it), and never `unknown`.
  'op-startholdmusic-completed__dc-v1-participant-startholdmusic.json': [],
  'roster-full__dc-beta-commsnotifications.json': [
    {
      type: 'participants.updated',
      callId: 'f13f9755-9b05-4f27-b8a9-b071ed29c731',
      delta: false,
      participants: [
        {
          id: '76fe3ef6-9373-4a84-8fce-d4283c9f7410',
          identity: {
            kind: 'teamsUser',
            userId: '2da5735c-5094-4ab9-8303-584ac67e2823',
            displayName: 'John',
          },
          isMuted: true,
          isInLobby: false,
        },
        {
          id: '378dfa91-42d3-4ddf-8b55-cea19999c061',
          identity: { kind: 'teamsApp', appId: '5d9a0135-ce13-4e4a-9480-96cc866c4b21' },
          isMuted: false,
          isInLobby: false,
        },
      ],
    },
  ],
  'roster-guest__beta-create-call-ex8.json': [
    {
      type: 'participants.updated',
      delta: false,
      participants: [
        {
          id: '05491616-385f-44a8-9974-18cc5f9933c1',
          identity: {
            kind: 'unknown',
            rawId: 'd7a3b999-17ac-4bca-9e77-e6a730d2ec2e',
            displayName: 'Guest User',
          },
          isMuted: false,
          isInLobby: true,
        },
      ],
    },
  ],
  'roster-participant-muted__v1-call-mute.jsonc': [
    {
      type: 'participants.updated',
      callId: call,
      delta: false,
      participants: [{ id: '2765eb15-01f8-47c6-b12b-c32111a4a86f', identity: bob, isMuted: true }],
    },
  ],
  'roster-participant-unmuted__beta-call-unmute.jsonc': [
    {
      type: 'participants.updated',
      callId: call,
      delta: false,
      participants: [{ id: '2765eb15-01f8-47c6-b12b-c32111a4a86f', identity: bob, isMuted: false }],
    },
  ],
  'roster-pstn-participant-added__v1-participant-invite-ex4.json': [
    {
      type: 'participants.updated',
      callId: 'ab6233a5-20b7-4c5e-bea2-ce56c9776429',
      delta: false,
      participants: [
        { identity: { kind: 'phone', rawId: '4:+12345678901' }, isMuted: false, isInLobby: false },
      ],
    },
  ],
  'tone-received__v1-call-subscribetotone.json': [
    { type: 'call.state', callId: call, state: 'connected' },
    { type: 'dtmf.received', callId: call, tone: '1', sequenceId: 1 },
  ],
};

const fixtureFiles = readdirSync(fixtureDir).sort();

describe('normalizeGraphNotifications on the published Graph samples', () => {
  it('has an expectation for every fixture file and a file for every expectation', () => {
    expect(fixtureFiles.length).toBeGreaterThan(0);
    expect(Object.keys(expected).sort()).toEqual(fixtureFiles);
  });

  it.each(fixtureFiles)('%s', (name) => {
    const body = fixture(name);
    const events = normalize(body);
    expect(events).toMatchObject(expected[name] ?? [{ type: 'no expectation written' }]);
    const elements = (body as { value?: unknown[] }).value ?? [body];
    for (const event of events) {
      expect(event.backend).toBe('graph');
      expect(elements).toContain(event.raw);
      expect(event.eventId).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    }
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it.each(fixtureFiles.filter((name) => name.endsWith('.json')))(
    '%s reads alike as text, bytes and JSON',
    (name) => {
      const text = fixtureText(name);
      const bytes = new TextEncoder().encode(text);
      const fromParsed = normalize(JSON.parse(text));
      expect(normalize(text)).toEqual(fromParsed);
      expect(normalize(bytes)).toEqual(fromParsed);
      expect(normalize(Buffer.from(text))).toEqual(fromParsed);
      expect(normalize(bytes.buffer)).toEqual(fromParsed);
      expect(normalize(`\uFEFF${text}`)).toEqual(fromParsed);
    },
  );

  it('gives a repeated delivery the same event ids and different updates different ones', () => {
    const tone = fixtureText('tone-received__v1-call-subscribetotone.json');
    expect(normalize(tone).map((e) => e.eventId)).toEqual(normalize(tone).map((e) => e.eventId));
    const ids = new Set(
      fixtureFiles
        .filter((name) => !name.startsWith('meetingcallevent') && !name.startsWith('call-incoming-p2p'))
        .flatMap((name) => normalize(fixture(name)).map((e) => e.eventId)),
    );
    // Every sample is a different update, except the two incoming-call samples of one call in identical form.
    expect(ids.size).toBe(
      fixtureFiles
        .filter((name) => !name.startsWith('meetingcallevent') && !name.startsWith('call-incoming-p2p'))
        .reduce((n, name) => n + normalize(fixture(name)).length, 0),
    );
    const muted = normalize(fixture('roster-participant-muted__v1-call-mute.jsonc'));
    const unmuted = normalize(fixture('roster-participant-unmuted__beta-call-unmute.jsonc'));
    expect(muted[0]?.eventId).not.toBe(unmuted[0]?.eventId);
    const secondTone = tone.replace('"sequenceId": 1', '"sequenceId": 2');
    expect(normalize(secondTone)[1]?.eventId).not.toBe(normalize(tone)[1]?.eventId);
  });
});

describe('normalizeGraphNotifications: calls', () => {
  it.each([
    ['incoming', 'incoming'],
    ['establishing', 'connecting'],
    ['ringing', 'ringing'],
    ['established', 'connected'],
    ['hold', 'onHold'],
    ['transferring', 'transferring'],
    ['transferAccepted', 'transferAccepted'],
    ['redirecting', 'redirecting'],
    ['terminating', 'disconnecting'],
    ['terminated', 'disconnected'],
    ['unknownFutureValue', 'unknown'],
  ])('maps Graph state %s to %s', (graphState, state) => {
    expect(normalize(callUpdate({ state: graphState }))[0]).toMatchObject({
      type: 'call.state',
      callId: call,
      state,
    });
  });

  it('announces an accepted transfer besides the state', () => {
    expect(normalize(callUpdate({ state: 'transferAccepted' }))).toMatchObject([
      { type: 'call.state', state: 'transferAccepted' },
      { type: 'transfer.accepted', callId: call },
    ]);
  });

  it('ends the call on a deleted call whatever its state, with the result as reason', () => {
    const events = normalize(
      callUpdate(
        { state: 'established', resultInfo: { code: '408', subCode: '8537', message: 'timeout' } },
        'deleted',
      ),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'call.state',
        state: 'disconnected',
        reason: { code: 408, subcode: 8537, message: 'timeout' },
      }),
    ]);
  });

  it('reads an incoming call with meeting details, without an incoming call context', () => {
    const [event] = normalize(
      callUpdate(
        {
          state: 'incoming',
          source: { identity: { phone: { id: '+14255550123' } } },
          targets: [
            { identity: { applicationInstance: { id: 'app-instance' } } },
            { identity: { user: { id: 'x' } } },
          ],
          chatInfo: { threadId: '19:meeting_x@thread.v2', messageId: '0' },
          meetingInfo: {
            '@odata.type': '#microsoft.graph.organizerMeetingInfo',
            organizer: { user: { id: 'organizer', tenantId: 'tenant-1' } },
          },
        },
        'created',
      ),
    );
    expect(event).toMatchObject({
      type: 'call.incoming',
      from: { kind: 'phone', phoneNumber: '+14255550123' },
      to: { kind: 'teamsApp', appId: 'app-instance' },
      meeting: {
        threadId: '19:meeting_x@thread.v2',
        messageId: '0',
        organizer: { kind: 'teamsUser', userId: 'organizer', tenantId: 'tenant-1' },
        tenantId: 'tenant-1',
      },
    });
    expect(event).not.toHaveProperty('incomingCallContext');
  });

  it.each([
    ['tone0', '0'],
    ['tone9', '9'],
    ['star', '*'],
    ['pound', '#'],
    ['a', 'A'],
    ['D', 'D'],
  ])('reads tone %s as %s', (graphTone, tone) => {
    const events = normalize(
      callUpdate({ state: 'established', toneInfo: { sequenceId: 7, tone: graphTone } }),
    );
    expect(events[1]).toMatchObject({ type: 'dtmf.received', tone, sequenceId: 7 });
  });

  it.each(['flash', 'constructor', '__proto__', ''])(
    'keeps a tone that is not DTMF (%j) as unknown',
    (tone) => {
      const events = normalize(callUpdate({ toneInfo: { sequenceId: 3, tone } }));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'unknown', sourceType: expect.stringMatching(/^toneInfo\./) });
    },
  );

  it('keeps a call update without state or tone as unknown', () => {
    expect(normalize(callUpdate({ mediaState: { audio: 'active' } }))).toMatchObject([
      { type: 'unknown', sourceType: 'call.updated', callId: call },
    ]);
  });
});

describe('normalizeGraphNotifications: participants', () => {
  const participant = (id: string, extra: Record<string, unknown> = {}) => ({
    '@odata.type': '#microsoft.graph.participant',
    info: { identity: { user: { id: `user-${id}`, displayName: id } } },
    isMuted: false,
    isInLobby: false,
    id,
    ...extra,
  });

  it('reads a delta roster with sequence numbers and removals', () => {
    const events = normalize(
      commsNotifications({
        changeType: 'updated',
        resource: '/app/calls/421f7700/participants',
        resourceUrl: '/communications/calls/421f7700/participants',
        resourceData: [
          {
            '@odata.type': '#microsoft.graph.deltaParticipants',
            participants: [
              participant('p1', { isMuted: true, rosterSequenceNumber: 1 }),
              participant('p2', { rosterSequenceNumber: 1, removedState: { reason: 'Removed from roster' } }),
            ],
            sequenceNumber: 1,
          },
        ],
      }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'participants.updated',
        callId: '421f7700',
        delta: true,
        sequenceNumber: 1,
        participants: [
          expect.objectContaining({ id: 'p1', isMuted: true, sequenceNumber: 1 }),
          expect.objectContaining({ id: 'p2', sequenceNumber: 1, removed: true }),
        ],
      }),
    ]);
    expect(events[0]).toMatchObject({
      participants: [{ identity: { rawId: '8:orgid:user-p1' } }, { identity: { rawId: '8:orgid:user-p2' } }],
    });
    const [first] = events;
    expect(first?.type === 'participants.updated' ? first.participants[0] : undefined).not.toHaveProperty(
      'removed',
    );
  });

  it('reads isOnHold where given and defaults isMuted to false', () => {
    const [event] = normalize(
      commsNotifications({
        changeType: 'updated',
        resourceUrl: `${callUrl}/participants`,
        resourceData: [{ info: { identity: { guest: { id: 'g' } } }, isOnHold: true, isMuted: 'yes' }],
      }),
    );
    expect(event).toMatchObject({ participants: [{ isOnHold: true, isMuted: false }] });
  });

  it('reads a single participant object as a delta, not as the whole roster', () => {
    expect(
      normalize(
        commsNotifications({
          changeType: 'updated',
          resourceUrl: `${callUrl}/participants`,
          resourceData: participant('p3', { isMuted: true }),
        }),
      ),
    ).toMatchObject([
      { type: 'participants.updated', delta: true, participants: [{ id: 'p3', isMuted: true }] },
    ]);
  });

  it('reads a deleted participant as a delta removal', () => {
    expect(
      normalize(
        commsNotifications({
          changeType: 'deleted',
          resourceUrl: `${callUrl}/participants/p1`,
          resourceData: participant('p1'),
        }),
      ),
    ).toMatchObject([
      { type: 'participants.updated', delta: true, participants: [{ id: 'p1', removed: true }] },
    ]);
  });
});

describe('normalizeGraphNotifications: operations', () => {
  const canceled = { code: 400, subcode: 8508, message: 'Action falied, the operation was cancelled.' };
  const failure = { code: '500', subCode: '9999', message: 'failed' };

  it.each([
    ['playPromptOperation', { status: 'running' }, 'play.started'],
    ['playPromptOperation', { status: 'completed' }, 'play.completed'],
    ['playPromptOperation', { status: 'failed', resultInfo: failure }, 'play.failed'],
    ['playPromptOperation', { status: 'failed', resultInfo: canceled }, 'play.canceled'],
    [
      'playPromptOperation',
      { status: 'completed', completionReason: 'mediaOperationCanceled' },
      'play.canceled',
    ],
    ['inviteParticipantsOperation', { status: 'failed', resultInfo: failure }, 'participant.addFailed'],
    ['recordOperation', { status: 'failed', resultInfo: canceled }, 'record.failed'],
    ['sendDtmfTonesOperation', { status: 'failed', resultInfo: failure }, 'dtmf.sendFailed'],
    ['subscribeToToneOperation', { status: 'failed', resultInfo: failure }, 'dtmf.failed'],
    ['updateRecordingStatusOperation', { status: 'completed' }, 'recording.state'],
    ['updateRecordingStatusOperation', { status: 'failed', resultInfo: failure }, 'recording.failed'],
  ])('reads %s %j as %s', (type, fields, eventType) => {
    const events = normalize(operation(type, { clientContext: 'ctx-1', ...fields }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: eventType, callId: call, operationId: 'ctx-1' });
  });

  it('carries the failure result as reason, subCode and string codes alike', () => {
    expect(
      normalize(operation('sendDtmfTonesOperation', { status: 'failed', resultInfo: failure }))[0],
    ).toMatchObject({
      reason: { code: 500, subcode: 9999, message: 'failed' },
    });
  });

  it('reads a hold music operation: completed gives no event, failed gives hold.failed, never unknown', () => {
    for (const type of ['startHoldMusicOperation', 'stopHoldMusicOperation']) {
      expect(normalize(operation(type, { status: 'completed', clientContext: 'ctx-h' }))).toEqual([]);
      expect(
        normalize(operation(type, { status: 'failed', clientContext: 'ctx-h', resultInfo: failure })),
      ).toMatchObject([{ type: 'hold.failed', operationId: 'ctx-h', reason: { code: 500, subcode: 9999 } }]);
    }
  });

  it.each([
    ['cancelMediaProcessingOperation', 'completed'],
    ['muteParticipantOperation', 'completed'],
    ['subscribeToToneOperation', 'completed'],
    ['playPromptOperation', 'notStarted'],
    ['someFutureOperation', 'completed'],
  ])('keeps %s %s as unknown with its operation id', (type, status) => {
    expect(normalize(operation(type, { status, clientContext: 'ctx-2' }))).toMatchObject([
      { type: 'unknown', sourceType: `${type}.${status}`, operationId: 'ctx-2' },
    ]);
  });

  it('falls back to the operation id, then to the id in the URL', () => {
    expect(normalize(operation('sendDtmfTonesOperation', { status: 'completed' }))[0]).toMatchObject({
      operationId: 'op-1',
    });
    const bare = commsNotifications({ changeType: 'deleted', resourceUrl: `${callUrl}/operations/op-9` });
    expect(normalize(bare)).toMatchObject([{ type: 'unknown', operationId: 'op-9', callId: call }]);
  });

  it('announces every invited participant', () => {
    const events = normalize(
      operation('inviteParticipantsOperation', {
        status: 'completed',
        participants: [{ identity: { phone: { id: '+1555' } } }, { identity: { user: { id: 'u1' } } }],
      }),
    );
    expect(events).toMatchObject([
      { type: 'participant.added', participant: { rawId: '4:+1555' } },
      { type: 'participant.added', participant: { rawId: '8:orgid:u1' } },
    ]);
    expect(events[0]?.eventId).not.toBe(events[1]?.eventId);
  });

  it('reads an operation whose resourceData is an array', () => {
    const body = commsNotifications({
      changeType: 'deleted',
      resourceUrl: `${callUrl}/operations/op-1`,
      resourceData: [
        { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', clientContext: 'c' },
      ],
    });
    expect(normalize(body)).toMatchObject([{ type: 'play.completed', operationId: 'c' }]);
  });
});

describe('normalizeGraphNotifications: envelope and quirks', () => {
  it('normalizes every element of value, in order', () => {
    const body = commsNotifications(
      { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'establishing' } },
      { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'established' } },
      { changeType: 'deleted', resourceUrl: callUrl },
    );
    expect(normalize(body).map((e) => (e.type === 'call.state' ? e.state : e.type))).toEqual([
      'connecting',
      'connected',
      'disconnected',
    ]);
  });

  it('accepts a single notification or an array of them without the envelope', () => {
    const element = { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'established' } };
    expect(normalize(element)).toMatchObject([{ type: 'call.state', state: 'connected' }]);
    expect(normalize([element, element])).toHaveLength(2);
    expect(normalize(commsNotifications())).toEqual([]);
  });

  it('reads the call from the legacy resource field when resourceUrl is absent', () => {
    const body = commsNotifications({
      changeType: 'updated',
      resource: `/app/calls/${call}`,
      resourceData: { state: 'hold' },
    });
    expect(normalize(body)).toMatchObject([{ type: 'call.state', callId: call, state: 'onHold' }]);
  });

  it('reads content sharing with the session in the URL and no resourceData', () => {
    const body = commsNotifications({
      changeType: 'created',
      resourceUrl: `/communications/calls/${sharingCall}/contentsharingsessions/2765eb15`,
    });
    expect(normalize(body)).toMatchObject([
      { type: 'contentSharing.updated', callId: sharingCall, change: 'created', sessionIds: ['2765eb15'] },
    ]);
  });

  it('keeps a notification on any other resource as unknown', () => {
    const body = commsNotifications({
      changeType: 'updated',
      resourceUrl: `${callUrl}/audioRoutingGroups/g1`,
      resourceData: { '@odata.type': '#microsoft.graph.audioRoutingGroup' },
    });
    expect(normalize(body)).toMatchObject([
      { type: 'unknown', sourceType: 'audioRoutingGroup.updated', callId: call },
    ]);
  });

  it('stamps events with receivedAt, a Date or a string, else now', () => {
    const body = callUpdate({ state: 'established' });
    expect(normalizeGraphNotifications(body, { receivedAt: new Date(Date.UTC(2024, 0, 2)) })[0]?.at).toBe(
      '2024-01-02T00:00:00.000Z',
    );
    expect(normalizeGraphNotifications(body, { receivedAt: '2024-01-02T03:04:05Z' })[0]?.at).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    const before = Date.now();
    const at = Date.parse(normalizeGraphNotifications(body)[0]?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
    const fallback = Date.parse(normalizeGraphNotifications(body, { receivedAt: 'not a time' })[0]?.at ?? '');
    expect(fallback).toBeGreaterThanOrEqual(before - 1);
  });
});

describe('normalizeGraphNotifications: input that is not a notification', () => {
  it.each([
    ['empty text', ''],
    ['text that is not JSON', 'hello'],
    ['truncated JSON', '{"value":[{"changeType":'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['JSON string', '"value"'],
    ['an object with no notification field', '{}'],
    ['a value that is not an array', '{"value":{"changeType":"updated"}}'],
    ['a value element that is not an object', '{"value":[1]}'],
    ['a null value element', '{"value":[null]}'],
    ['an array of numbers', '[1,2]'],
    ['empty bytes', new Uint8Array(0)],
    ['bytes that are not UTF-8 JSON', new Uint8Array([0xff, 0xfe, 0x00])],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['a function', () => ({ value: [] })],
    ['a symbol', Symbol('x')],
    ['a bigint', 10n],
  ])('rejects %s with invalidPayload', (_label, body) => {
    expectInvalid(body);
  });

  it('rejects hostile objects with invalidPayload', () => {
    const getter = {};
    Object.defineProperty(getter, 'value', {
      get() {
        throw new Error('boom');
      },
    });
    expectInvalid(getter);
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expectInvalid({ value: [trap] });
    expectInvalid('['.repeat(200_000));
  });

  it('never throws anything but invalidPayload, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const body of [value, JSON.stringify(value)]) {
          try {
            expect(Array.isArray(normalizeGraphNotifications(body))).toBe(true);
          } catch (error) {
            if (!TelephonyError.hasReason(error, 'invalidPayload')) throw error;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalizes notifications with fields of any JSON type without throwing', () => {
    const url = fc.constantFrom(
      callUrl,
      `${callUrl}/participants`,
      `${callUrl}/operations/op`,
      `${callUrl}/contentsharingsessions`,
      'communications/onlineMeetings/x',
      '',
    );
    const anything = fc.jsonValue({ maxDepth: 3 });
    const resourceData = fc.oneof(
      anything,
      fc.record({ '@odata.type': fc.string(), state: anything, toneInfo: anything, resultInfo: anything }),
      fc.array(fc.record({ info: anything, participants: anything, isMuted: anything, id: anything })),
      fc.record({
        '@odata.type': fc.constantFrom(
          '#microsoft.graph.playPromptOperation',
          '#microsoft.graph.recordOperation',
        ),
        status: anything,
        clientContext: anything,
        participants: anything,
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ changeType: anything, resourceUrl: url, resource: anything, resourceData, id: anything }),
        (element) => {
          const events = normalizeGraphNotifications({ value: [element] });
          expect(events.length).toBeGreaterThan(0);
          for (const event of events) {
            expect(event.backend).toBe('graph');
            expect(typeof event.callId).toBe('string');
            expect(event.raw).toBe(element);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normalizeGraphNotifications: operation outcomes (docs/graph-call-actions.md rules 7, 8)', () => {
  const ended = (type: string, fields: Record<string, unknown>) =>
    normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resourceUrl: '/communications/calls/c-1/operations/op-1',
          resourceData: { '@odata.type': `#microsoft.graph.${type}`, clientContext: 'ctx', ...fields },
        },
      ],
    });

  it.each([
    [
      'sendDtmfTonesOperation',
      { status: 'completed', completionReason: 'mediaOperationCanceled' },
      'dtmf.sendFailed',
    ],
    ['sendDtmfTonesOperation', { status: 'Completed', completionReason: 'unknown' }, 'dtmf.sendFailed'],
    [
      'sendDtmfTonesOperation',
      { status: 'Completed', completionReason: 'completedSuccessfully' },
      'dtmf.sent',
    ],
    [
      'playPromptOperation',
      { status: 'Completed', completionReason: 'mediaOperationCanceled' },
      'play.canceled',
    ],
    ['playPromptOperation', { status: 'COMPLETED' }, 'play.completed'],
    ['recordOperation', { status: 'completed', completionReason: 'initialSilenceTimeout' }, 'record.failed'],
    [
      'recordOperation',
      { status: 'Completed', completionReason: 'maxRecordDurationReached' },
      'record.completed',
    ],
    ['recordOperation', { status: 'failed', completionReason: 'operationCanceled' }, 'record.failed'],
  ])('%s %j is %s', (type, fields, expected) => {
    expect(ended(type, fields)).toMatchObject([{ type: expected, operationId: 'ctx' }]);
  });

  it('carries the recording access token on record.completed', () => {
    expect(
      ended('recordOperation', {
        status: 'completed',
        recordingLocation: 'https://media.example/rec/1',
        recordingAccessToken: 'token-1',
      }),
    ).toMatchObject([
      {
        type: 'record.completed',
        recordingLocation: 'https://media.example/rec/1',
        recordingAccessToken: 'token-1',
      },
    ]);
  });
});

describe('normalizeGraphNotifications: every documented address (docs/graph-call-actions.md rule 9)', () => {
  it('reads invite example 2: operation and roster both addressed to …/operations/participants, id null', () => {
    const events = normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resource: '/app/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceUrl: '/communications/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceData: {
            '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
            id: null,
            clientContext: null,
            status: 'Completed',
            participants: [{ identity: { user: { id: 'u-2', tenantId: 't-1' } } }],
          },
        },
        {
          changeType: 'updated',
          resourceUrl: '/communications/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceData: [
            {
              '@odata.type': '#microsoft.graph.participant',
              id: 'p-2',
              info: { identity: { user: { id: 'u-2', tenantId: 't-1' } } },
              isMuted: false,
            },
          ],
        },
      ],
    });
    expect(events.map((e) => e.type)).toEqual(['participant.added', 'participants.updated']);
    expect(events[0]?.operationId).toBeUndefined();
    expect(events[1]).toMatchObject({ participants: [{ id: 'p-2', identity: { rawId: '8:orgid:u-2' } }] });
  });

  it('reads an operation URL in upper case without dashes and one without the leading slash', () => {
    const upper = normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resourceUrl:
            '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
          resourceData: {
            '@odata.type': '#microsoft.graph.playPromptOperation',
            clientContext: 'p',
            status: 'completed',
          },
        },
        {
          changeType: 'deleted',
          resourceUrl: 'communications/calls/c-9/operations/o-9',
          resourceData: {
            '@odata.type': '#microsoft.graph.startHoldMusicOperation',
            clientContext: 'h',
            status: 'failed',
          },
        },
      ],
    });
    expect(upper.map((e) => [e.type, e.operationId])).toEqual([
      ['play.completed', 'p'],
      ['hold.failed', 'h'],
    ]);
  });
});

// v1 participant-invite, participant-mute, call-mute, call-unmute: "only supported for group calls";
// cloud-communications-calls: one caller and the bot make a peer-to-peer call, meeting coordinates a group call.
describe('normalizeGraphNotifications: what a call allows', () => {
  const groupOnly = ['addParticipant', 'cancelAddParticipant', 'muteParticipant', 'muteSelf', 'unmuteSelf'];
  const caller = { identity: { user: { id: 'caller' } } };
  const bot = { identity: { application: { id: 'bot' } } };

  it('says a peer-to-peer incoming call allows no invite and no mute', () => {
    const events = normalize(callUpdate({ state: 'incoming', source: caller, targets: [bot] }, 'created'));
    expect(events.map((event) => event.type)).toEqual(['call.incoming', 'call.capabilities']);
    expect(events[1]).toMatchObject({ callId: call, because: 'oneToOne' });
    const { capabilities } = events[1] as Extract<TelephonyEvent, { type: 'call.capabilities' }>;
    expect(Object.keys(capabilities).sort()).toEqual([...groupOnly].sort());
    expect(Object.values(capabilities).every((allowed) => allowed === false)).toBe(true);
    expect(events[1]?.eventId).not.toBe(events[0]?.eventId);
  });

  it.each([
    ['group', { chatInfo: { threadId: '19:x@thread.v2' } }],
    ['meeting', { meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 't' } }],
    ['group', { targets: [bot, { identity: { user: { id: 'other' } } }] }],
  ])('says an incoming %s call keeps them', (because, fields) => {
    const events = normalize(
      callUpdate({ state: 'incoming', source: caller, targets: [bot], ...fields }, 'created'),
    );
    const allowed = events.find((event) => event.type === 'call.capabilities');
    expect(allowed).toMatchObject({ because });
    const { capabilities } = allowed as Extract<TelephonyEvent, { type: 'call.capabilities' }>;
    expect(Object.values(capabilities).every((value) => value === true)).toBe(true);
  });

  it('reads a call update naming meeting coordinates as a group call, and one without them as nothing new', () => {
    expect(
      normalize(callUpdate({ state: 'established', chatInfo: { threadId: '19:y@thread.v2' } })),
    ).toMatchObject([
      { type: 'call.state', state: 'connected' },
      { type: 'call.capabilities', because: 'group', capabilities: { addParticipant: true } },
    ]);
    expect(
      normalize(callUpdate({ state: 'established', chatInfo: null, meetingInfo: null })).map((e) => e.type),
    ).toEqual(['call.state']);
  });
});
