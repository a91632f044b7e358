import { type Call, phone, type TelephonyEvent, teamsUser } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

type CapabilitiesEvent = Extract<TelephonyEvent, { type: 'call.capabilities' }>;

// v1 participant-invite, participant-mute, call-mute and call-unmute are "only supported for group calls"
// (cloud-communications-calls: a bot calling one target, or one caller calling the bot, is peer to peer).
describe('what one Graph call allows, by its shape', () => {
  let bed: GraphTestBed;
  const seen: TelephonyEvent[] = [];

  beforeAll(async () => {
    bed = await startGraphTestBed({
      backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' },
    });
    bed.client.events$.subscribe((event) => seen.push(event));
  });
  afterAll(async () => {
    await bed.close();
  });

  const announced = (callId: string) =>
    seen.filter(
      (event): event is CapabilitiesEvent => event.type === 'call.capabilities' && event.callId === callId,
    );

  it('says at once that a one-to-one call placed by the bot allows no invite and no mute, once', async () => {
    const party = bed.emulator.network.party(teamsUser('7c7c0000-0000-0000-0000-000000000001'));
    const call = await bed.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await call.play({ kind: 'file', url: 'https://cdn.example.com/a.wav' }).catch(() => undefined);
    await bed.emulator.idle();
    const events = announced(call.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      because: 'oneToOne',
      capabilities: {
        addParticipant: false,
        cancelAddParticipant: false,
        muteParticipant: false,
        muteSelf: false,
        unmuteSelf: false,
      },
    });
    await call.hangUp();
  });

  it('says so for a one-to-one call the bot answers, with the incoming call', async () => {
    const answered = new Promise<Call>((resolve) => {
      const subscription = bed.client.incomingCalls$.subscribe((incoming) => {
        subscription.unsubscribe();
        void incoming.answer().then(resolve);
      });
    });
    await bed.emulator.network.dial(phone('+14255557701'));
    const call = await answered;
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await bed.emulator.idle();
    expect(announced(call.id)).toMatchObject([
      { because: 'oneToOne', capabilities: { addParticipant: false } },
    ]);
    // It came with the incoming call's notification, before the call was connected.
    const ofCall = seen.filter((event) => event.callId === call.id).map((event) => event.type);
    expect(ofCall.indexOf('call.capabilities')).toBe(ofCall.indexOf('call.incoming') + 1);
    await call.hangUp();
  });

  it('keeps invite and mute on a group call', async () => {
    const a = bed.emulator.network.party(teamsUser('7c7c0000-0000-0000-0000-000000000011'));
    const b = bed.emulator.network.party(teamsUser('7c7c0000-0000-0000-0000-000000000012'));
    const call = await bed.client.placeCall({ to: [a.identity, b.identity] });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await call.muteSelf();
    await bed.emulator.idle();
    expect(announced(call.id)).toMatchObject([
      {
        because: 'group',
        capabilities: { addParticipant: true, muteParticipant: true, muteSelf: true, unmuteSelf: true },
      },
    ]);
    await call.hangUp();
  });
});
