import { describe, expect, it } from 'vitest';
import {
  type Identity,
  markBot,
  type Participant,
  phone,
  Roster,
  type TelephonyEventOf,
  teamsApp,
  teamsUser,
} from '../src/index.js';

function update(participants: Participant[], fields: { delta?: boolean; sequenceNumber?: number } = {}) {
  return {
    type: 'participants.updated',
    backend: 'graph',
    callId: 'c',
    at: '',
    raw: null,
    delta: fields.delta ?? false,
    participants,
    ...(fields.sequenceNumber === undefined ? {} : { sequenceNumber: fields.sequenceNumber }),
  } as TelephonyEventOf<'participants.updated'>;
}

const alice: Participant = { id: 'p-alice', identity: teamsUser('alice'), isMuted: false };
const bob: Participant = { id: 'p-bob', identity: teamsUser('bob'), isMuted: false };
const carol: Participant = { identity: phone('+14255550100'), isMuted: true };

describe('Roster', () => {
  it('replaces the roster with a full update and ignores an older one', () => {
    const roster = new Roster();
    roster.apply(update([alice, bob], { sequenceNumber: 2 }));
    expect(roster.apply(update([alice], { sequenceNumber: 1 }))).toBe(false);
    expect(roster.participants.map((p) => p.id)).toEqual(['p-alice', 'p-bob']);
  });

  it('merges deltas by participant and removes entries marked removed', () => {
    const roster = new Roster();
    roster.apply(update([alice]));
    roster.apply(update([{ ...bob, sequenceNumber: 1 }], { delta: true, sequenceNumber: 1 }));
    roster.apply(
      update([{ ...alice, isMuted: true, sequenceNumber: 2 }], { delta: true, sequenceNumber: 2 }),
    );
    roster.apply(update([{ ...bob, removed: true, sequenceNumber: 3 }], { delta: true, sequenceNumber: 3 }));
    expect(roster.participants).toEqual([{ ...alice, isMuted: true }]);
  });

  it('ends in the same roster whatever order the deltas arrive in', () => {
    const deltas = [
      update([{ ...alice, sequenceNumber: 1 }], { delta: true, sequenceNumber: 1 }),
      update([{ ...bob, sequenceNumber: 2 }], { delta: true, sequenceNumber: 2 }),
      update([{ ...carol, sequenceNumber: 3 }], { delta: true, sequenceNumber: 3 }),
      update([{ ...bob, removed: true, sequenceNumber: 4 }], { delta: true, sequenceNumber: 4 }),
      update([{ ...alice, isMuted: true, sequenceNumber: 5 }], { delta: true, sequenceNumber: 5 }),
    ];
    const ordered = new Roster();
    for (const d of deltas) ordered.apply(d);
    const orders = [
      [4, 3, 2, 1, 0],
      [3, 1, 0, 4, 2],
      [1, 3, 4, 2, 0],
    ];
    const key = (roster: Roster) => roster.participants.map((p) => `${p.identity.rawId}:${p.isMuted}`).sort();
    for (const order of orders) {
      const shuffled = new Roster();
      for (const index of order) shuffled.apply(deltas[index]!);
      expect(key(shuffled)).toEqual(key(ordered));
    }
    expect(key(ordered)).toEqual(['4:+14255550100:true', '8:orgid:alice:true']);
  });
});

describe('Roster: a roster read from the service (read: true)', () => {
  const read = (participants: Participant[]) => ({ ...update(participants), read: true });

  it('is the roster when nothing was announced before it', () => {
    const roster = new Roster();
    expect(roster.apply(read([alice, bob]))).toBe(true);
    expect(roster.participants.map((p) => p.id)).toEqual(['p-alice', 'p-bob']);
  });

  it('fills in whom no notification announced and changes none the roster knows', () => {
    const roster = new Roster();
    roster.apply(update([{ ...alice, isMuted: true, sequenceNumber: 3 }], { delta: true }));
    expect(roster.apply(read([alice, bob]))).toBe(true);
    expect(roster.participants).toEqual([{ ...alice, isMuted: true }, bob]);
    expect(roster.apply(read([alice, bob]))).toBe(false);
  });

  it('does not bring back a participant who left, by a delta or by a full roster', () => {
    const byDelta = new Roster();
    byDelta.apply(update([{ ...bob, removed: true, sequenceNumber: 4 }], { delta: true }));
    byDelta.apply(read([alice, bob]));
    expect(byDelta.participants.map((p) => p.id)).toEqual(['p-alice']);
    const byFull = new Roster();
    byFull.apply(update([alice, bob]));
    byFull.apply(update([alice]));
    expect(byFull.apply(read([alice, bob]))).toBe(false);
    expect(byFull.participants.map((p) => p.id)).toEqual(['p-alice']);
  });
});

describe('markBot', () => {
  const botRawIds = new Set(['28:orgid:bot-app']);
  const botOf = (displayName: string): Participant => ({
    id: `p-${displayName}`,
    identity: teamsApp('bot-app', { displayName }),
    isMuted: false,
  });

  it('marks the bot and shares one identity object across the rosters of different calls', () => {
    const shared = new Map<string, Identity>();
    const first = markBot([botOf('Calling Bot'), alice], botRawIds, shared);
    const second = markBot([{ ...botOf('Calling Bot'), id: 'p-other-call' }, bob], botRawIds, shared);
    expect(first.map((p) => p.isBot)).toEqual([true, false]);
    expect(second.map((p) => p.isBot)).toEqual([true, false]);
    expect(second[0]!.identity).toBe(first[0]!.identity);
    expect(second[0]!.id).toBe('p-other-call');
    // Other parties keep their own identity objects; the map holds the bot's raw ids only.
    expect(first[1]!.identity).toBe(alice.identity);
    expect([...shared.keys()]).toEqual(['28:orgid:bot-app']);
  });

  it('replaces the shared identity when the bot is listed with another display name', () => {
    const shared = new Map<string, Identity>();
    markBot([botOf('Calling Bot')], botRawIds, shared);
    const renamed = markBot([botOf('Reception')], botRawIds, shared);
    expect(renamed[0]!.identity.displayName).toBe('Reception');
    expect(shared.get('28:orgid:bot-app')?.displayName).toBe('Reception');
    const again = markBot([botOf('Reception')], botRawIds, shared);
    expect(again[0]!.identity).toBe(renamed[0]!.identity);
  });

  it('leaves every entry unmarked when the bot has no known raw id', () => {
    const marked = markBot([botOf('Calling Bot'), alice], new Set(), new Map());
    expect(marked.map((p) => p.isBot)).toEqual([undefined, undefined]);
  });
});
