import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallState, createTelephonyClient, phone, type TelephonyEvent } from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

// States of distinct rank: the ordered sequence determines the final state whatever the order of delivery.
const progression: CallState[] = ['connecting', 'ringing', 'connected', 'disconnecting', 'disconnected'];
const rank = (state: CallState) => progression.indexOf(state);

function roster(callId: string, sequenceNumber: number, people: readonly string[]): TelephonyEvent {
  return event('participants.updated', callId, {
    delta: false,
    sequenceNumber,
    eventId: `roster-${sequenceNumber}`,
    participants: people.map((number) => ({ identity: phone(number), isMuted: false })),
  });
}

const people = fc.array(fc.constantFrom('+14255550101', '+14255550102', '+14255550103'), {
  maxLength: 3,
});

async function play(events: readonly TelephonyEvent[], callId = 'call-1') {
  const backend = new ScriptedBackend();
  const client = createTelephonyClient(backend);
  const call = await client.placeCall({ to: phone('+14255550100') });
  expect(call.id).toBe(callId);
  const states: CallState[] = [];
  call.state$.subscribe((state) => states.push(state));
  backend.emit(...events);
  // A busy machine can make the per-call queue yield mid-way (after its 50 ms slice): wait until all is applied.
  await (client as unknown as { settled(): Promise<void> }).settled();
  return { call, states };
}

describe('delivery order (fast-check)', () => {
  it('any permutation of a call’s notifications ends in the state and roster of the ordered one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(people, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (reached, rosters, seed) => {
          const ordered: TelephonyEvent[] = [
            ...progression
              .slice(0, reached + 1)
              .map((state, i) => event('call.state', 'call-1', { state, eventId: `s${i}` })),
            ...rosters.map((r, i) => roster('call-1', i + 1, r)),
          ];
          const shuffled = fc.sample(fc.shuffledSubarray(ordered, { minLength: ordered.length }), {
            numRuns: 1,
            seed,
          })[0] as TelephonyEvent[];
          const expected = await play(ordered);
          const actual = await play(shuffled);
          expect(actual.call.state).toBe(expected.call.state);
          expect(actual.call.participants.map((p) => p.identity.rawId)).toEqual(
            expected.call.participants.map((p) => p.identity.rawId),
          );
          // Repeating every notification changes nothing either.
          const twice = await play([...shuffled, ...ordered]);
          expect(twice.call.state).toBe(expected.call.state);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never moves state backward, and nothing follows disconnected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...progression, 'onHold' as CallState, 'unknown' as CallState), {
          minLength: 1,
          maxLength: 12,
        }),
        async (sequence) => {
          const { call, states } = await play(
            sequence.map((state, i) => event('call.state', 'call-1', { state, eventId: `s${i}` })),
          );
          for (let i = 1; i < states.length; i++) {
            const before = states[i - 1] as CallState;
            const after = states[i] as CallState;
            expect(before).not.toBe('disconnected');
            if (rank(before) >= 0 && rank(after) >= 0 && after !== 'onHold') {
              expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
            }
          }
          if (sequence.includes('disconnected')) {
            expect(call.state).toBe('disconnected');
            expect(states.at(-1)).toBe('disconnected');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
