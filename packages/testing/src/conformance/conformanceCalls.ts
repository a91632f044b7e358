import {
  type CallState,
  canTransition,
  otherParties,
  PlaySources,
  type TelephonyEvent,
} from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ConformanceSuite } from './ConformanceSuite.js';
import {
  entryOf,
  expectReason,
  nextIncoming,
  outcomeOf,
  rawIds,
  waitForRoster,
  waitMs,
} from './conformanceHelpers.js';

/** The conformance sections on placing, answering, rejecting, redirecting and ending calls. */
export function describeCallConformance(suite: ConformanceSuite): void {
  const { h, client, supports, newParty, expectUnsupported, connectedCall } = suite;
  describe('calls', () => {
    it('places a call to a party who answers: states in order, the roster, only its own events', async () => {
      const party = newParty();
      const call = await client().placeCall({ to: party.identity });
      const states: CallState[] = [];
      const events: TelephonyEvent[] = [];
      call.state$.subscribe((state) => states.push(state));
      call.events$.subscribe((event) => events.push(event));
      expect(call.direction).toBe('outbound');
      await call.waitForState('connected', { timeoutMs: waitMs });
      const roster = await waitForRoster(call, (r) => rawIds(r).includes(party.identity.rawId));
      expect(entryOf(roster, party.identity)?.isMuted).toBe(false);
      expect(party.inCall).toBe(true);
      expect(party.callId).toBe(call.id);

      await call.hangUp();
      const end = await call.ended;
      expect(end.state).toBe('disconnected');
      expect(['connecting', 'ringing', 'connected']).toContain(states[0]);
      expect(states).toContain('connected');
      expect(states.at(-1)).toBe('disconnected');
      for (let i = 1; i < states.length; i++) {
        expect(canTransition(states[i - 1] as CallState, states[i] as CallState)).toBe(true);
      }
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((event) => event.callId === call.id)).toBe(true);
      expect(client().calls.has(call.id)).toBe(false);
      await party.waitForHangUp({ timeoutMs: waitMs });
    });

    it('says which roster entry is the bot: exactly one, and the other parties are the rest', async () => {
      const party = newParty();
      const call = await client().placeCall({ to: party.identity });
      await call.waitForState('connected', { timeoutMs: waitMs });
      const roster = await waitForRoster(
        call,
        (r) => rawIds(r).includes(party.identity.rawId) && r.some((p) => p.isBot === true),
      );
      expect(roster.filter((p) => p.isBot === true)).toHaveLength(1);
      expect(rawIds(otherParties(roster))).toEqual([party.identity.rawId]);
      expect(roster.every((p) => typeof p.isBot === 'boolean')).toBe(true);
      await call.hangUp();
    });

    it('ends an outbound call that the party declines', async () => {
      const party = newParty({ declines: true });
      const call = await client().placeCall({ to: party.identity });
      const end = await call.ended;
      expect(end.state).toBe('disconnected');
      expect(end.cause).toBe('declined');
      expect(end.reason).toBeDefined();
      expect(call.state).toBe('disconnected');
      expect(party.inCall).toBe(false);
    });

    it('ends an outbound call to a party busy in another call with the cause busy', async () => {
      const { call: first, party } = await connectedCall();
      const second = await client().placeCall({ to: party.identity });
      const end = await second.ended;
      expect(end.cause).toBe('busy');
      expect(end.reason).toBeDefined();
      expect(first.state).toBe('connected');
      await first.hangUp();
    });

    it('answers an inbound call', async () => {
      const caller = newParty(undefined, 'Ada Caller');
      const offered = nextIncoming(client(), caller.identity);
      await h().network.dial(caller);
      const incoming = await offered;
      expect(incoming.from.rawId).toBe(caller.identity.rawId);
      const call = await incoming.answer();
      expect(call.direction).toBe('inbound');
      await call.waitForState('connected', { timeoutMs: waitMs });
      await waitForRoster(call, (roster) => rawIds(roster).includes(caller.identity.rawId));
      expect(caller.inCall).toBe(true);
      await call.hangUp();
      await caller.waitForHangUp({ timeoutMs: waitMs });
      expect(caller.inCall).toBe(false);
    });

    it('rejects an inbound call', async () => {
      const caller = newParty();
      const offered = nextIncoming(client(), caller.identity);
      await h().network.dial(caller);
      const incoming = await offered;
      if (!supports('incoming.reject')) return expectUnsupported(() => incoming.reject(), 'reject');
      await incoming.reject('busy');
      await caller.waitForHangUp({ timeoutMs: waitMs });
      expect(caller.inCall).toBe(false);
      expect([...client().calls.values()].some((call) => call.id === incoming.id)).toBe(false);
    });

    it('redirects an inbound call: the target rings and talks to the caller', async () => {
      const caller = newParty();
      const target = newParty({ autoAnswer: false });
      const offered = nextIncoming(client(), caller.identity);
      await h().network.dial(caller);
      const incoming = await offered;
      if (!supports('incoming.redirect')) {
        return expectUnsupported(() => incoming.redirect(target.identity), 'redirect');
      }
      await incoming.redirect(target.identity);
      await target.waitForRing({ timeoutMs: waitMs });
      await target.answer();
      expect(target.inCall).toBe(true);
      expect(caller.inCall).toBe(true);
      await caller.hangUp();
      await target.waitForHangUp({ timeoutMs: waitMs });
    });

    it('replays the current state and roster to a late subscriber', async () => {
      const { call, party } = await connectedCall();
      expect(await firstValueFrom(call.state$)).toBe('connected');
      expect(rawIds(await firstValueFrom(call.participants$))).toContain(party.identity.rawId);
      expect(call.snapshot().state).toBe('connected');
    });

    it('keeps the events of two concurrent calls apart', async () => {
      const [a, b] = [newParty(), newParty()];
      const [first, second] = await Promise.all([
        client().placeCall({ to: a.identity }),
        client().placeCall({ to: b.identity }),
      ]);
      expect(first.id).not.toBe(second.id);
      const seen = new Map<string, TelephonyEvent[]>([
        [first.id, []],
        [second.id, []],
      ]);
      first.events$.subscribe((event) => seen.get(first.id)?.push(event));
      second.events$.subscribe((event) => seen.get(second.id)?.push(event));
      await Promise.all([
        first.waitForState('connected', { timeoutMs: waitMs }),
        second.waitForState('connected', { timeoutMs: waitMs }),
      ]);
      if (supports('play', 'play.text')) {
        await Promise.all([
          first.play(PlaySources.text('This is for the first caller')),
          second.play(PlaySources.text('This is for the second caller')),
        ]);
        expect(a.heard).toContain('This is for the first caller');
        expect(a.heard).not.toContain('This is for the second caller');
        expect(b.heard).toContain('This is for the second caller');
        expect(b.heard).not.toContain('This is for the first caller');
      }
      await Promise.all([first.hangUp(), second.hangUp()]);
      for (const [callId, events] of seen) {
        expect(events.length).toBeGreaterThan(0);
        expect(events.every((event) => event.callId === callId)).toBe(true);
      }
    });
  });

  describe('ending', () => {
    it('ends the call when the party hangs up, rejecting a pending recognize with callEnded', async () => {
      const { call, party } = await connectedCall();
      const canRecognize = supports('recognize', 'recognize.dtmf', 'play.text');
      const pending = canRecognize
        ? outcomeOf(
            call.recognizeDtmf({
              prompt: PlaySources.text('Please enter your account number'),
              maxTones: 8,
              initialSilenceTimeoutMs: waitMs * 2,
            }),
          )
        : undefined;
      if (canRecognize) await party.waitToHear('Please enter your account number');
      await party.hangUp();
      const end = await call.ended;
      expect(end.state).toBe('disconnected');
      expect(end.cause).toBe('hungUp');
      expect(call.state).toBe('disconnected');
      expect(client().calls.has(call.id)).toBe(false);
      if (pending) expectReason(await pending, 'callEnded');
    });

    it('hangs up idempotently: twice at once, and again after the call ended', async () => {
      const { call, party } = await connectedCall();
      await Promise.all([call.hangUp(), call.hangUp()]);
      expect(call.state).toBe('disconnected');
      await call.hangUp();
      await call.terminate();
      await party.waitForHangUp({ timeoutMs: waitMs });
      if (supports('play', 'play.text')) {
        expectReason(await outcomeOf(call.play(PlaySources.text('Too late'))), 'callEnded');
      }
    });

    it('terminates idempotently: twice at once, and again after the call ended', async () => {
      const { call, party } = await connectedCall();
      await Promise.all([call.terminate(), call.terminate()]);
      expect(call.state).toBe('disconnected');
      await call.terminate();
      await call.hangUp();
      await party.waitForHangUp({ timeoutMs: waitMs });
    });
  });
}
