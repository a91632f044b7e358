import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callUpdate, callUrl, commsNotifications, normalize } from './graphNotificationsKit.js';

// The core drops repeated deliveries by type and event id: an id must be the same on every delivery of one
// notification and differ between any two different updates (Graph's notifications carry no id of their own).
const tone = fc.constantFrom('tone0', 'tone1', 'tone5', 'star', 'pound');
const state = fc.constantFrom('establishing', 'established', 'hold', 'terminating', 'terminated');
const update = fc.oneof(
  fc.record({ kind: fc.constant('tone' as const), sequenceId: fc.integer({ min: 1, max: 40 }), tone }),
  fc.record({ kind: fc.constant('state' as const), state, code: fc.constantFrom(undefined, 200, 500) }),
  fc.record({
    kind: fc.constant('roster' as const),
    muted: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    sequenceNumber: fc.integer({ min: 1, max: 40 }),
  }),
);
type Update = typeof update extends fc.Arbitrary<infer T> ? T : never;

function body(change: Update): string {
  switch (change.kind) {
    case 'tone':
      return callUpdate({
        state: 'established',
        toneInfo: { sequenceId: change.sequenceId, tone: change.tone },
      });
    case 'state':
      return callUpdate({
        state: change.state,
        ...(change.code === undefined ? {} : { resultInfo: { code: change.code, subcode: 0, message: '' } }),
      });
    case 'roster':
      return commsNotifications({
        changeType: 'updated',
        resourceUrl: `${callUrl}/participants`,
        resourceData: [
          {
            '@odata.type': '#microsoft.graph.deltaParticipants',
            sequenceNumber: change.sequenceNumber,
            participants: change.muted.map((isMuted, index) => ({
              id: `p-${index}`,
              info: { identity: { user: { id: `u-${index}` } } },
              isMuted,
            })),
          },
        ],
      });
  }
}

const idsOf = (change: Update) => normalize(body(change)).map((event) => `${event.type} ${event.eventId}`);

describe('normalizeGraphNotifications: derived event ids', () => {
  it('gives a replay the same ids, and two different updates no id in common', () => {
    fc.assert(
      fc.property(update, update, (a, b) => {
        expect(idsOf(a)).toEqual(idsOf(a));
        if (body(a) === body(b)) return;
        const first = new Set(idsOf(a));
        for (const id of idsOf(b)) expect(first.has(id)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
