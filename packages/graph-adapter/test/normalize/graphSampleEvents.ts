import { bob, call, sharingCall, sharingSession, transferCall } from './graphNotificationsKit.js';

// Every file of fixtures/microsoft/graph and the events it must give (fields compared with toMatchObject).
export const expected: Record<string, readonly Record<string, unknown>[]> = {
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
