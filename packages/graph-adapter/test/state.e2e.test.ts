import {
  type Call,
  type CallState,
  type Identity,
  type Participant,
  TelephonyError,
  teamsUser,
} from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const caller = teamsUser('5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', { displayName: 'Bob' });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function callNotification(callId: string, state: string) {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'updated',
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', state, id: callId },
  };
}

interface Entry {
  readonly id: string;
  readonly userId: string;
  readonly muted: boolean;
  readonly removed?: boolean;
}

function deltaRoster(callId: string, sequenceNumber: number, entries: readonly Entry[]) {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'updated',
    resourceUrl: `/communications/calls/${callId}/participants`,
    resourceData: [
      {
        '@odata.type': '#microsoft.graph.deltaParticipants',
        sequenceNumber,
        participants: entries.map((entry) => ({
          '@odata.type': '#microsoft.graph.participant',
          id: entry.id,
          info: { identity: { user: { id: entry.userId, displayName: entry.id } } },
          isMuted: entry.muted,
          isInLobby: false,
          rosterSequenceNumber: sequenceNumber,
          ...(entry.removed ? { removedState: { reason: 'Removed from roster' } } : {}),
        })),
      },
    ],
  };
}

/** One call's notifications: the roster changes of three people and a late establishing/established pair. */
function sequenceFor(callId: string) {
  const p1 = { id: 'p1', userId: '00000000-0000-0000-0000-000000000001' };
  const p2 = { id: 'p2', userId: '00000000-0000-0000-0000-000000000002' };
  const p3 = { id: 'p3', userId: '00000000-0000-0000-0000-000000000003' };
  return [
    deltaRoster(callId, 101, [
      { ...p1, muted: false },
      { ...p2, muted: false },
    ]),
    deltaRoster(callId, 102, [{ ...p1, muted: true }]),
    deltaRoster(callId, 103, [{ ...p2, muted: false, removed: true }]),
    deltaRoster(callId, 104, [{ ...p3, muted: false }]),
    deltaRoster(callId, 105, [
      { ...p3, muted: true },
      { ...p1, muted: false },
    ]),
    callNotification(callId, 'establishing'),
    callNotification(callId, 'established'),
  ];
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function post(url: string, notification: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [notification] }),
  });
  await response.arrayBuffer();
  return response.status;
}

function handcrafted(participants: readonly Participant[]) {
  return participants
    .filter((participant) => participant.id !== undefined && /^p\d$/.test(participant.id))
    .map((participant) => ({
      id: participant.id,
      rawId: participant.identity.rawId,
      muted: participant.isMuted,
    }))
    .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
}

async function connectedCall(bed: GraphTestBed, callee: Identity = caller): Promise<Call> {
  const party = bed.emulator.network.party(callee);
  const call = await bed.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  await bed.emulator.idle();
  // The roster is read once the call is established; wait until it has arrived.
  await until(() => call.participants.some((p) => p.identity.rawId === callee.rawId), 'the seeded roster');
  return call;
}

function participantReads(bed: GraphTestBed, callId: string): number {
  return bed.emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`${callId}/participants`))
    .length;
}

describe('Graph backend state', () => {
  let bed: GraphTestBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it('ends a shuffled sequence of one call in the same state and roster as the ordered one', async () => {
    // The test posts notifications of its own, unsigned: authentication is covered by auth.e2e.test.ts.
    bed = await startGraphTestBed({ backend: { auth: 'off' } });
    const ordered = await connectedCall(bed);
    for (const notification of sequenceFor(ordered.id))
      expect(await post(bed.webhookUrl, notification)).toBe(202);
    const expectedRoster = handcrafted(ordered.participants);
    expect(expectedRoster).toEqual([
      { id: 'p1', rawId: '8:orgid:00000000-0000-0000-0000-000000000001', muted: false },
      { id: 'p3', rawId: '8:orgid:00000000-0000-0000-0000-000000000003', muted: true },
    ]);
    expect(ordered.state).toBe('connected');

    for (const seed of [1, 2, 3, 4, 5]) {
      // A party busy in a call declines the next one: each run calls someone else.
      const callee = teamsUser(`5810cede-f3cc-42eb-b2c1-00000000000${seed}`);
      const call = await connectedCall(bed, callee);
      const states: CallState[] = [];
      const subscription = call.state$.subscribe((state) => states.push(state));
      for (const notification of shuffled(sequenceFor(call.id), seed)) {
        expect(await post(bed.webhookUrl, notification)).toBe(202);
      }
      subscription.unsubscribe();
      expect(call.state, `seed ${seed}`).toBe('connected');
      expect(states, `seed ${seed}`).toEqual(['connected']);
      expect(handcrafted(call.participants), `seed ${seed}`).toEqual(expectedRoster);
      // The bot and the callee, read by GET when the call was established, are still there.
      expect(call.participants.some((p) => p.identity.rawId === callee.rawId)).toBe(true);
    }
  });

  it('ignores a late establishing after established and does not read the roster again', async () => {
    bed = await startGraphTestBed({ backend: { auth: 'off' } });
    const call = await connectedCall(bed);
    const reads = participantReads(bed, call.id);
    expect(reads).toBe(1);
    const states: CallState[] = [];
    const subscription = call.state$.subscribe((state) => states.push(state));
    expect(await post(bed.webhookUrl, callNotification(call.id, 'establishing'))).toBe(202);
    expect(await post(bed.webhookUrl, callNotification(call.id, 'established'))).toBe(202);
    await sleep(100);
    subscription.unsubscribe();
    expect(call.state).toBe('connected');
    expect(states).toEqual(['connected']);
    expect(participantReads(bed, call.id)).toBe(reads);
    expect(bed.backend.isKeepingAlive(call.id)).toBe(true);
  });

  it('sends keep-alives on schedule from establishment and stops when the call ends', async () => {
    const intervalMs = 150;
    bed = await startGraphTestBed({ backend: { keepAliveIntervalMs: intervalMs } });
    const call = await connectedCall(bed);
    const keepAlives = () =>
      bed?.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`${call.id}/keepAlive`))
        .length ?? 0;
    const start = Date.now();
    await until(() => keepAlives() >= 3, 'three keep-alives');
    const elapsed = Date.now() - start;
    // Three keep-alives take about three intervals: none is sent early, none is skipped.
    expect(elapsed).toBeGreaterThanOrEqual(2 * intervalMs);
    expect(elapsed).toBeLessThan(3 * intervalMs + 1_000);
    expect(bed.backend.isKeepingAlive(call.id)).toBe(true);
    // v1 call-keepalive: no request body (the emulator answers 400 to one, so the call would not be kept).
    const sent = bed.emulator.requests.filter((r) => r.path.endsWith(`${call.id}/keepAlive`));
    expect(sent.every((r) => r.body === undefined)).toBe(true);
    expect(call.state).toBe('connected');

    await call.hangUp();
    const afterEnd = keepAlives();
    await sleep(3 * intervalMs);
    expect(keepAlives()).toBe(afterEnd);
    expect(bed.backend.isKeepingAlive(call.id)).toBe(false);
  });

  it('ends the call when a keep-alive finds it gone on the service', async () => {
    bed = await startGraphTestBed({ backend: { keepAliveIntervalMs: 100 } });
    const call = await connectedCall(bed);
    bed.emulator.failNext(
      { method: 'POST', pathIncludes: 'keepAlive' },
      { status: 404, body: { error: { code: '8522', message: 'Call not found' } } },
    );
    const ended = await call.ended;
    expect(ended.reason).toMatchObject({ code: 404 });
    expect(bed.backend.isKeepingAlive(call.id)).toBe(false);
  });

  it("marks the bot in every call's roster with one identity shared by all its calls", async () => {
    bed = await startGraphTestBed();
    const first = await connectedCall(bed);
    const second = await connectedCall(
      bed,
      teamsUser('8f9b7c64-5c8e-4f0e-9a43-0d8a2b1c7e55', { displayName: 'Ann' }),
    );
    const botOf = (call: Call) => call.participants.filter((p) => p.isBot === true);
    expect(botOf(first)).toHaveLength(1);
    expect(botOf(second)).toHaveLength(1);
    expect(botOf(first)[0]!.identity.kind).toBe('teamsApp');
    // One identity object for the bot across calls (the roster entries, with their participant ids, stay per call).
    expect(botOf(second)[0]!.identity).toBe(botOf(first)[0]!.identity);
    expect(botOf(second)[0]!.id).not.toBe(botOf(first)[0]!.id);
    expect(first.participants.filter((p) => p.isBot === false).map((p) => p.identity.rawId)).toEqual([
      caller.rawId,
    ]);
  });

  it("builds a one-to-one call's roster from its read when Graph notifies its state only", async () => {
    // v1 create call, example 2: a peer-to-peer call gets call state notifications only (peerToPeerStateOnly).
    bed = await startGraphTestBed();
    bed.emulator.quirks.set({ peerToPeerStateOnly: true });
    const call = await connectedCall(bed);
    expect(call.participants.filter((p) => p.isBot === false).map((p) => p.identity.rawId)).toEqual([
      caller.rawId,
    ]);
    expect(call.participants.filter((p) => p.isBot === true)).toHaveLength(1);
    expect(participantReads(bed, call.id)).toBe(1);
    const party = bed.emulator.network.party(caller);
    await party.hangUp();
    await call.waitForState('disconnected', { timeoutMs: 5_000 });
    expect(call.state).toBe('disconnected');
  });

  it('rehydrates a call after a restart: state, roster and keep-alive from GETs', async () => {
    bed = await startGraphTestBed();
    const call = await connectedCall(bed);
    const restarted = new GraphBackend(bed.backendOptions({ keepAliveIntervalMs: 100 }));
    try {
      const snapshot = await restarted.rehydrate(call.id);
      expect(snapshot.callId).toBe(call.id);
      expect(snapshot.state).toBe('connected');
      expect(snapshot.direction).toBe('outbound');
      const rawIds = snapshot.participants.map((p) => p.identity.rawId);
      expect(rawIds).toContain(caller.rawId);
      expect(rawIds.sort()).toEqual(call.participants.map((p) => p.identity.rawId).sort());
      expect(snapshot.participants.every((p) => typeof p.id === 'string')).toBe(true);
      expect(restarted.isKeepingAlive(call.id)).toBe(true);
      expect(await restarted.getCall(call.id)).toMatchObject({ callId: call.id, state: 'connected' });

      const missing = await restarted
        .rehydrate('00000000-dead-beef-0000-000000000000')
        .catch((e: unknown) => e);
      expect(TelephonyError.hasReason(missing, 'callNotFound')).toBe(true);
    } finally {
      await restarted.close();
    }
    expect(restarted.isKeepingAlive(call.id)).toBe(false);
  });
});
