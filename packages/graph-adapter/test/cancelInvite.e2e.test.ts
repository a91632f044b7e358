import { TelephonyError, teamsUser } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

// v1 participant-delete: "When an invited participant is removed, any outstanding add participant request is
// canceled"; the bot names the invitee's participant id in invitationParticipantInfo.participantId.
describe('canceling an invitation on Graph', () => {
  let bed: GraphTestBed;
  beforeAll(async () => {
    bed = await startGraphTestBed();
  });
  afterAll(async () => {
    await bed.close();
  });

  it('deletes the invited participant: the add fails, the invitee stops ringing', async () => {
    const a = bed.emulator.network.party(teamsUser('9f9f0000-0000-0000-0000-000000000001'));
    const b = bed.emulator.network.party(teamsUser('9f9f0000-0000-0000-0000-000000000002'));
    const invitee = bed.emulator.network.party(teamsUser('9f9f0000-0000-0000-0000-000000000003'), {
      autoAnswer: false,
    });
    const call = await bed.client.placeCall({ to: [a.identity, b.identity] });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    expect(call.capabilities.cancelAddParticipant).toBe(true);
    const adding = call.addParticipant(invitee.identity, { timeoutMs: 5_000 });
    const outcome = adding.then(
      () => undefined,
      (error: unknown) => error,
    );
    await invitee.waitForRing();
    await call.cancelAddParticipant(adding.operationId);
    const error = await outcome;
    expect(TelephonyError.is(error)).toBe(true);
    await invitee.waitForHangUp();
    const invite = bed.emulator.requests.find((r) => r.path.endsWith(`${call.id}/participants/invite`));
    const body = invite?.body as { participants?: { participantId?: string }[] } | undefined;
    const sentId = body?.participants?.[0]?.participantId;
    expect(typeof sentId).toBe('string');
    const deleted = bed.emulator.requests.filter(
      (r) => r.method === 'DELETE' && r.path.includes('/participants/'),
    );
    expect(deleted.map((r) => r.path.split('/').pop())).toContain(sentId);
    await call.hangUp();
  });

  it('says an invite option Graph has no field for is unsupported, without calling Graph', async () => {
    const a = bed.emulator.network.party(teamsUser('9f9f0000-0000-0000-0000-000000000011'));
    const b = bed.emulator.network.party(teamsUser('9f9f0000-0000-0000-0000-000000000012'));
    const call = await bed.client.placeCall({ to: [a.identity, b.identity], subject: 'Escalation' });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    const create = bed.emulator.requests.filter((r) => r.path === '/v1.0/communications/calls').at(-1);
    expect((create?.body as { subject?: string } | undefined)?.subject).toBe('Escalation');
    const before = bed.emulator.requests.length;
    await expect(
      call.addParticipant(teamsUser('9f9f0000-0000-0000-0000-000000000013'), {
        invitationTimeoutSeconds: 30,
      }),
    ).rejects.toMatchObject({ reason: 'unsupported' });
    expect(bed.emulator.requests.length).toBe(before);
    await call.hangUp();
  });
});
