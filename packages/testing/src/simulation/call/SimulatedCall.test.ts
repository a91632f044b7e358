import { type CallState, phone, TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/VirtualClock.js';
import { PhoneNetwork } from '../PhoneNetwork.js';
import { TaskGroup } from '../TaskGroup.js';
import type { CallCause, RingOutcome, TransferOutcome } from './CallCause.js';
import { cancelInvite, invite, ringOutbound } from './callRings.js';
import { SimulatedCall } from './SimulatedCall.js';
import { transferCall } from './transferCall.js';

const bot = phone('+14255550000');

function world() {
  const clock = new VirtualClock();
  const tasks = new TaskGroup(clock);
  const network = new PhoneNetwork({
    after: (ms, callback) => tasks.after(ms, callback),
    defaultAnswerAfterMs: 0,
    dialBot: async () => undefined,
  });
  const log: string[] = [];
  let legs = 0;
  const call = new SimulatedCall({
    id: 'call-1',
    clock,
    botIdentity: bot,
    newLegId: () => `leg-${++legs}`,
    observer: {
      state: (state: CallState, cause?: CallCause) =>
        log.push(cause ? `state:${state}:${cause}` : `state:${state}`),
      roster: () => log.push(`roster:${call.roster.snapshot().length}`),
      tone: () => undefined,
      speech: () => undefined,
    },
  });
  const roster = () => call.roster.snapshot().map((participant) => participant.identity.rawId);
  return { clock, network, call, log, roster };
}

describe("the world's call model", () => {
  it('connects an outbound call when the party answers: connected first, then the roster', async () => {
    const w = world();
    const alice = w.network.party(phone('+14255550101'));
    ringOutbound(w.call, alice);
    await w.clock.advance(0);
    expect(w.log).toEqual(['state:connected', 'roster:2']);
    expect(w.roster()).toEqual([bot.rawId, alice.identity.rawId]);
    expect(alice.inCall).toBe(true);
  });

  it('ends an outbound call declined or busy with that cause', async () => {
    const declined = world();
    ringOutbound(declined.call, declined.network.party(phone('+14255550102'), { declines: true }));
    await declined.clock.advance(0);
    expect(declined.log).toEqual(['state:disconnected:declined']);

    const busy = world();
    const bob = busy.network.party(phone('+14255550103'), { autoAnswer: false });
    expect(bob.ring({ callId: 'other', answer: () => undefined, decline: () => undefined })).toBe(true);
    ringOutbound(busy.call, bob);
    await busy.clock.advance(0);
    expect(busy.log).toEqual(['state:disconnected:busy']);
  });

  it('reports each invitation outcome: answered, alreadyInCall, declined, noAnswer, canceled', async () => {
    const w = world();
    const outcomes: Record<string, RingOutcome[]> = {};
    const report = (key: string) => (outcome: RingOutcome) => {
      outcomes[key] = [...(outcomes[key] ?? []), outcome];
    };
    const alice = w.network.party(phone('+14255550101'));
    ringOutbound(w.call, alice);
    await w.clock.advance(0);
    invite(
      w.call,
      'add-bob',
      w.network.party(phone('+14255550102')),
      { invitationId: 'i1' },
      report('add-bob'),
    );
    invite(w.call, 'add-alice', alice, { invitationId: 'i2' }, report('add-alice'));
    const carol = w.network.party(phone('+14255550103'), { declines: true });
    invite(w.call, 'add-carol', carol, { invitationId: 'i3' }, report('add-carol'));
    const dave = w.network.party(phone('+14255550104'), { autoAnswer: false });
    invite(w.call, 'add-dave', dave, { invitationId: 'i4', timeoutMs: 30_000 }, report('add-dave'));
    const erin = w.network.party(phone('+14255550105'), { autoAnswer: false });
    invite(w.call, 'add-erin', erin, { invitationId: 'i5' }, report('add-erin'));
    const canceled: string[] = [];
    expect(cancelInvite(w.call, 'add-erin', ({ invitationId }) => canceled.push(invitationId))).toBe(true);
    expect(cancelInvite(w.call, 'add-nobody', () => undefined)).toBe(false);
    await w.clock.advance(0);
    expect(outcomes['add-bob']).toEqual([{ kind: 'answered' }]);
    expect(outcomes['add-alice']).toEqual([{ kind: 'failed', cause: 'alreadyInCall' }]);
    expect(outcomes['add-carol']).toEqual([{ kind: 'failed', cause: 'declined' }]);
    expect(outcomes['add-erin']).toEqual([{ kind: 'failed', cause: 'canceled' }]);
    expect(canceled).toEqual(['i5']);
    expect(erin.ringing).toBe(false);
    expect(outcomes['add-dave']).toBeUndefined();
    await w.clock.advance(30_000);
    expect(outcomes['add-dave']).toEqual([{ kind: 'failed', cause: 'noAnswer' }]);
    expect(dave.ringing).toBe(false);
    expect(w.roster()).toHaveLength(3);
  });

  it('transfers: transferring, transferAccepted, accepted, then the call ends transferred', async () => {
    const w = world();
    const alice = w.network.party(phone('+14255550101'));
    ringOutbound(w.call, alice);
    await w.clock.advance(0);
    const outcomes: TransferOutcome[] = [];
    const target = w.network.party(phone('+14255550109'));
    transferCall(w.call, target, undefined, (outcome) => {
      outcomes.push(outcome);
      w.log.push(`transfer:${outcome.kind}`);
    });
    await w.clock.advance(0);
    expect(w.log.slice(2)).toEqual([
      'state:transferring',
      'state:transferAccepted',
      'transfer:accepted',
      'state:disconnected:transferred',
    ]);
    expect(alice.peers).toEqual([target.identity]);
    expect(target.peers).toEqual([alice.identity]);
  });

  it('goes back to connected with the cause when the transfer target declines', async () => {
    const w = world();
    ringOutbound(w.call, w.network.party(phone('+14255550101')));
    await w.clock.advance(0);
    const outcomes: TransferOutcome[] = [];
    transferCall(w.call, w.network.party(phone('+14255550109'), { declines: true }), undefined, (o) =>
      outcomes.push(o),
    );
    await w.clock.advance(0);
    expect(outcomes).toEqual([{ kind: 'failed', cause: 'declined' }]);
    expect(w.log.slice(2)).toEqual(['state:transferring', 'state:connected:declined']);
  });

  it('leaves two or more others connected on a bridge when the bot hangs up', async () => {
    const w = world();
    const alice = w.network.party(phone('+14255550101'));
    const bob = w.network.party(phone('+14255550102'));
    ringOutbound(w.call, alice);
    ringOutbound(w.call, bob);
    await w.clock.advance(0);
    w.call.botLeaves();
    await w.clock.advance(0);
    expect(w.call.state).toBe('disconnected');
    expect(alice.inCall && bob.inCall).toBe(true);
    expect(alice.peers).toEqual([bob.identity]);
    await bob.hangUp();
    expect(alice.inCall).toBe(false);
  });

  it('reports hold and mute changes in the roster, only when they change, and ends when the last party leaves', async () => {
    const w = world();
    const alice = w.network.party(phone('+14255550101'));
    ringOutbound(w.call, alice);
    await w.clock.advance(0);
    const leg = w.call.roster.partyLeg(alice.identity);
    if (!leg) throw new Error('alice has no leg');
    w.call.setOnHold(leg, true);
    w.call.setOnHold(leg, true);
    await alice.unhold();
    w.call.setMuted(leg, true);
    expect(w.call.roster.snapshot()[1]).toMatchObject({ isMuted: true, isOnHold: false, isBot: false });
    await alice.hangUp();
    expect(w.log).toEqual([
      'state:connected',
      'roster:2',
      'roster:2',
      'roster:2',
      'roster:2',
      'state:disconnected:remoteHungUp',
    ]);
  });
});

describe('a simulated party', () => {
  it('rejects a wait that times out with TelephonyError timeout and the shared message shape', async () => {
    const w = world();
    const party = w.network.party(phone('+14255550101'));
    const error = await party.waitForRing({ timeoutMs: 10 }).catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'timeout')).toBe(true);
    expect((error as Error).message).toBe('4:+14255550101 waited 10 ms for a ring');
    const notInCall = await party.pressDigits('1').catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(notInCall, 'callEnded')).toBe(true);
    expect((notInCall as Error).message).toBe('4:+14255550101 cannot press digits: not in a call');
  });
});
