import type { TelephonyEvent } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { call, callUpdate, normalize } from './graphNotificationsKit.js';

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
