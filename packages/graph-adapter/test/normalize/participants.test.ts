import { describe, expect, it } from 'vitest';
import { callUrl, commsNotifications, normalize } from './graphNotificationsKit.js';

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
