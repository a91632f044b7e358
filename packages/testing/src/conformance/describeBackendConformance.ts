import {
  type Call,
  type CallState,
  type Capability,
  canTransition,
  type Identity,
  type IncomingCall,
  otherParties,
  type Participant,
  PlaySources,
  phone,
  type TelephonyClient,
  TelephonyError,
  type TelephonyEvent,
  type TelephonyEventOf,
} from '@switchboard/core';
import { filter, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PartyBehaviour, SimulatedParty } from '../simulation/SimulatedNetwork.js';
import type { ConformanceHarness } from './ConformanceHarness.js';

// Real time throughout: the suite runs unchanged against emulators over HTTP, so it waits with short timeouts
// and the parties' wait helpers, never with fixed sleeps.
const waitMs = 5_000;
const shortSilenceMs = 300;
const unsupportedWithinMs = 1_000;

let nextNumber = 1;

function newNumber(): string {
  const suffix = String(nextNumber++).padStart(4, '0');
  return `+1425555${suffix}`;
}

function rawIds(participants: readonly Participant[]): string[] {
  return participants.map((participant) => participant.identity.rawId);
}

function entryOf(participants: readonly Participant[], identity: Identity): Participant | undefined {
  return participants.find((participant) => participant.identity.rawId === identity.rawId);
}

function waitForRoster(
  call: Call,
  predicate: (participants: readonly Participant[]) => boolean,
): Promise<readonly Participant[]> {
  return firstValueFrom(call.participants$.pipe(filter(predicate), timeout(waitMs)));
}

function nextIncoming(client: TelephonyClient, from: Identity): Promise<IncomingCall> {
  return firstValueFrom(
    client.incomingCalls$.pipe(
      filter((incoming) => incoming.from.rawId === from.rawId),
      timeout(waitMs),
    ),
  );
}

/** Settles to the error a promise rejects with, or `undefined` if it resolves; never rejects. */
function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function expectReason(error: unknown, reason: TelephonyError['reason']): TelephonyError {
  expect(TelephonyError.is(error), `expected a TelephonyError, got ${String(error)}`).toBe(true);
  expect((error as TelephonyError).reason).toBe(reason);
  return error as TelephonyError;
}

/**
 * Declares the backend conformance suite: the whole `Call` contract, run against a client on the backend under
 * test and the simulated parties around it. It runs unchanged against the in-memory backend and the ACS and Graph
 * adapters on their emulators. A test whose operation the backend does not support asserts instead that the
 * operation rejects at once with `unsupported`, naming the backend and the operation.
 *
 * @example
 * describeBackendConformance('memory', async () => {
 *   const backend = new MemoryBackend();
 *   const client = createTelephonyClient(backend);
 *   return { client, network: backend.network, close: () => client.close() };
 * });
 */
export function describeBackendConformance(name: string, factory: () => Promise<ConformanceHarness>): void {
  describe(`backend conformance: ${name}`, () => {
    let harness: ConformanceHarness | undefined;
    let parties: SimulatedParty[] = [];

    const h = (): ConformanceHarness => {
      if (!harness) throw new Error('the conformance harness did not start');
      return harness;
    };
    const client = (): TelephonyClient => h().client;
    const supports = (...capabilities: Capability[]): boolean =>
      capabilities.every((capability) => client().capabilities[capability] === true);

    const newParty = (behaviour?: PartyBehaviour, displayName?: string): SimulatedParty => {
      const party = h().network.party(phone(newNumber(), displayName), behaviour);
      parties.push(party);
      return party;
    };

    const expectUnsupported = async (operation: () => Promise<unknown>, named: string): Promise<void> => {
      const started = Date.now();
      const error = expectReason(await outcomeOf(operation()), 'unsupported');
      expect(Date.now() - started).toBeLessThan(unsupportedWithinMs);
      expect(error.message).toContain(client().backend);
      expect(error.message).toContain(named);
    };

    /** A connected outbound call to a fresh party, with the party in the roster. */
    const connectedCall = async (
      behaviour?: PartyBehaviour,
    ): Promise<{ call: Call; party: SimulatedParty }> => {
      const party = newParty(behaviour);
      const call = await client().placeCall({ to: party.identity });
      await call.waitForState('connected', { timeoutMs: waitMs });
      await waitForRoster(call, (roster) => rawIds(roster).includes(party.identity.rawId));
      return { call, party };
    };

    /** A connected call with two parties, by adding the second or by a group call; undefined if neither works. */
    const callWithTwo = async (): Promise<
      { call: Call; first: SimulatedParty; second: SimulatedParty } | undefined
    > => {
      if (supports('addParticipant')) {
        const { call, party: first } = await connectedCall();
        const second = newParty();
        await call.addParticipant(second.identity, { timeoutMs: waitMs });
        await waitForRoster(call, (roster) => rawIds(roster).includes(second.identity.rawId));
        return { call, first, second };
      }
      if (supports('placeCall.group')) {
        const first = newParty();
        const second = newParty();
        const call = await client().placeCall({ to: [first.identity, second.identity] });
        await waitForRoster(call, (roster) =>
          [first, second].every((party) => rawIds(roster).includes(party.identity.rawId)),
        );
        return { call, first, second };
      }
      return undefined;
    };

    beforeAll(async () => {
      harness = await factory();
    });

    afterEach(async () => {
      const live = harness ? [...harness.client.calls.values()] : [];
      await Promise.all(live.map((call) => outcomeOf(call.terminate({ timeoutMs: waitMs }))));
      await Promise.all(parties.map((party) => outcomeOf(party.hangUp())));
      parties = [];
    });

    afterAll(async () => {
      await harness?.close();
    });

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

    describe('media', () => {
      const prompts = [
        [
          'file',
          PlaySources.file('https://media.example.com/prompts/welcome.wav'),
          'https://media.example.com/prompts/welcome.wav',
        ],
        ['text', PlaySources.text('Welcome to Contoso'), 'Welcome to Contoso'],
        [
          'ssml',
          PlaySources.ssml(
            '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Thanks for calling</voice></speak>',
          ),
          'Thanks for calling',
        ],
      ] as const;
      for (const [kind, source, heard] of prompts) {
        it(`plays a ${kind} prompt and resolves after it completed`, async () => {
          const { call, party } = await connectedCall();
          if (!supports('play', `play.${kind}`)) return expectUnsupported(() => call.play(source), 'play');
          const log: string[] = [];
          call.events$.subscribe((event) => log.push(`${event.type}:${event.operationId ?? ''}`));
          const playing = call.play(source);
          await playing;
          log.push('resolved');
          const completedAt = log.indexOf(`play.completed:${playing.operationId}`);
          expect(completedAt).toBeGreaterThanOrEqual(0);
          expect(completedAt).toBeLessThan(log.indexOf('resolved'));
          expect(party.heard).toContain(heard);
        });
      }

      it('plays to some participants only', async () => {
        if (!supports('play.toParticipants')) {
          const { call, party } = await connectedCall();
          return expectUnsupported(
            () => call.play(PlaySources.text('Just for you'), { to: [party.identity] }),
            'play',
          );
        }
        const two = await callWithTwo();
        if (!two) {
          expect(supports('addParticipant') || supports('placeCall.group')).toBe(false);
          return;
        }
        const { call, first, second } = two;
        await call.play(PlaySources.text('Only the first party hears this'), { to: [first.identity] });
        expect(first.heard).toContain('Only the first party hears this');
        expect(second.heard).not.toContain('Only the first party hears this');
      });

      it('recognizes DTMF up to the maximum number of tones', async () => {
        const { call, party } = await connectedCall();
        const options = { prompt: PlaySources.text('Enter your four digit PIN'), maxTones: 4 };
        if (!supports('recognize', 'recognize.dtmf', 'play.text')) {
          return expectUnsupported(() => call.recognizeDtmf(options), 'recognize');
        }
        const recognized = call.recognizeDtmf({ ...options, initialSilenceTimeoutMs: waitMs });
        const outcome = outcomeOf(recognized);
        await party.waitToHear('Enter your four digit PIN');
        await party.pressDigits('1234');
        expect(await outcome).toBeUndefined();
        expect(await recognized).toMatchObject({ tones: '1234' });
      });

      it('recognizes DTMF up to a stop tone, which ends the result', async () => {
        const { call, party } = await connectedCall();
        const options = { prompt: PlaySources.text('Enter the amount, then pound'), maxTones: 10 };
        if (!supports('recognize', 'recognize.dtmf', 'play.text')) {
          return expectUnsupported(() => call.recognizeDtmf(options), 'recognize');
        }
        const recognized = call.recognizeDtmf({
          ...options,
          stopTones: ['#'],
          initialSilenceTimeoutMs: waitMs,
        });
        const outcome = outcomeOf(recognized);
        await party.waitToHear('Enter the amount, then pound');
        await party.pressDigits('42#');
        expect(await outcome).toBeUndefined();
        expect(await recognized).toMatchObject({ tones: '42#' });
      });

      it('fails a DTMF recognize on initial silence with subcode 8510', async () => {
        const { call } = await connectedCall();
        if (!supports('recognize', 'recognize.dtmf')) {
          return expectUnsupported(() => call.recognizeDtmf({ maxTones: 1 }), 'recognize');
        }
        const error = expectReason(
          await outcomeOf(call.recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: shortSilenceMs })),
          'operationFailed',
        );
        expect(error.result?.subcode).toBe(8510);
      });

      it('recognizes one of several choices', async () => {
        const { call, party } = await connectedCall();
        const options = {
          kind: 'choices',
          prompt: PlaySources.text('Say sales or support'),
          choices: [
            { label: 'Sales', phrases: ['sales', 'buy'], tone: '1' },
            { label: 'Support', phrases: ['support', 'help'], tone: '2' },
          ],
        } as const;
        if (!supports('recognize', 'recognize.choices', 'play.text')) {
          return expectUnsupported(() => call.recognize(options), 'recognize');
        }
        const recognized = call.recognize({ ...options, initialSilenceTimeoutMs: waitMs });
        const outcome = outcomeOf(recognized);
        await party.waitToHear('Say sales or support');
        await party.say('support');
        expect(await outcome).toBeUndefined();
        expect(await recognized).toMatchObject({ kind: 'choice', label: 'Support' });
      });

      it('recognizes speech', async () => {
        const { call, party } = await connectedCall();
        const options = { kind: 'speech', prompt: PlaySources.text('How can I help you today?') } as const;
        if (!supports('recognize', 'recognize.speech', 'play.text')) {
          return expectUnsupported(() => call.recognize(options), 'recognize');
        }
        const recognized = call.recognize({ ...options, initialSilenceTimeoutMs: waitMs });
        const outcome = outcomeOf(recognized);
        await party.waitToHear('How can I help you today?');
        await party.say('I want to check my balance');
        expect(await outcome).toBeUndefined();
        expect(await recognized).toMatchObject({ kind: 'speech', text: 'I want to check my balance' });
      });

      it('recognizes speech or DTMF, whichever comes', async () => {
        const { call, party } = await connectedCall();
        const first = {
          kind: 'speechOrDtmf',
          prompt: PlaySources.text('Press or say your choice'),
          maxTones: 1,
        } as const;
        if (!supports('recognize', 'recognize.speechOrDtmf', 'play.text')) {
          return expectUnsupported(() => call.recognize(first), 'recognize');
        }
        const byTone = call.recognize({ ...first, initialSilenceTimeoutMs: waitMs });
        const toneOutcome = outcomeOf(byTone);
        await party.waitToHear('Press or say your choice');
        await party.pressDigits('7');
        expect(await toneOutcome).toBeUndefined();
        expect(await byTone).toMatchObject({ kind: 'dtmf', tones: '7' });

        const bySpeech = call.recognize({
          ...first,
          prompt: PlaySources.text('Anything else?'),
          initialSilenceTimeoutMs: waitMs,
        });
        const speechOutcome = outcomeOf(bySpeech);
        await party.waitToHear('Anything else?');
        await party.say('operator');
        expect(await speechOutcome).toBeUndefined();
        expect(await bySpeech).toMatchObject({ kind: 'speech', text: 'operator' });
      });

      it('reports continuous DTMF as dtmf.received events in order', async () => {
        const { call, party } = await connectedCall();
        if (!supports('startContinuousDtmf')) {
          return expectUnsupported(() => call.startContinuousDtmf(party.identity), 'startContinuousDtmf');
        }
        const received = firstValueFrom(
          call.events$.pipe(
            filter((event): event is TelephonyEventOf<'dtmf.received'> => event.type === 'dtmf.received'),
            take(3),
            toArray(),
            timeout(waitMs),
          ),
        );
        const outcome = outcomeOf(received);
        await call.startContinuousDtmf(party.identity);
        await party.pressDigits('9*3');
        expect(await outcome).toBeUndefined();
        expect((await received).map((event) => event.tone)).toEqual(['9', '*', '3']);
        if (supports('stopContinuousDtmf')) await call.stopContinuousDtmf(party.identity);
      });

      it('sends DTMF to the party', async () => {
        const { call, party } = await connectedCall();
        if (!supports('sendDtmf'))
          return expectUnsupported(() => call.sendDtmf('12#', party.identity), 'sendDtmf');
        await call.sendDtmf('12#', party.identity);
        expect(party.receivedTones).toBe('12#');
      });

      it('cancels a looping play with cancelMedia: the play rejects canceled', async () => {
        const { call, party } = await connectedCall();
        const music = PlaySources.text('Please hold, your call is important to us');
        if (!supports('play', 'play.text', 'play.loop', 'cancelMedia')) {
          if (!supports('cancelMedia')) return expectUnsupported(() => call.cancelMedia(), 'cancelMedia');
          return expectUnsupported(() => call.play(music, { loop: true }), 'play');
        }
        const playing = outcomeOf(call.play(music, { loop: true }));
        await party.waitToHear('Please hold, your call is important to us');
        await call.cancelMedia();
        expectReason(await playing, 'canceled');
      });
    });

    describe('participants', () => {
      it('adds a participant and the roster grows', async () => {
        const { call } = await connectedCall();
        const added = newParty();
        if (!supports('addParticipant')) {
          return expectUnsupported(() => call.addParticipant(added.identity), 'addParticipant');
        }
        const result = await call.addParticipant(added.identity, { timeoutMs: waitMs });
        expect(result.participant.rawId).toBe(added.identity.rawId);
        await waitForRoster(call, (roster) => rawIds(roster).includes(added.identity.rawId));
        expect(added.inCall).toBe(true);
      });

      it('removes a participant and the roster shrinks', async () => {
        if (!supports('removeParticipant')) {
          const { call, party } = await connectedCall();
          return expectUnsupported(() => call.removeParticipant(party.identity), 'removeParticipant');
        }
        const two = await callWithTwo();
        if (!two) {
          expect(supports('addParticipant') || supports('placeCall.group')).toBe(false);
          return;
        }
        const { call, first, second } = two;
        await call.removeParticipant(second.identity);
        await waitForRoster(call, (roster) => !rawIds(roster).includes(second.identity.rawId));
        await second.waitForHangUp({ timeoutMs: waitMs });
        expect(first.inCall).toBe(true);
        expect(call.state).toBe('connected');
      });

      it('cancels a pending add: the add fails and the party stops ringing', async () => {
        const { call } = await connectedCall();
        const invited = newParty({ autoAnswer: false });
        if (!supports('addParticipant', 'cancelAddParticipant')) {
          return expectUnsupported(
            () => call.cancelAddParticipant('no-such-operation'),
            'cancelAddParticipant',
          );
        }
        const adding = call.addParticipant(invited.identity, { timeoutMs: waitMs });
        const addOutcome = outcomeOf(adding);
        await invited.waitForRing({ timeoutMs: waitMs });
        await call.cancelAddParticipant(adding.operationId);
        const error = await addOutcome;
        expect(TelephonyError.is(error)).toBe(true);
        expect(['operationFailed', 'canceled']).toContain((error as TelephonyError).reason);
        await invited.waitForHangUp({ timeoutMs: waitMs });
        expect(invited.inCall).toBe(false);
        expect(rawIds(call.participants)).not.toContain(invited.identity.rawId);
      });

      it('mutes a participant', async () => {
        const { call, party } = await connectedCall();
        if (!supports('muteParticipant')) {
          return expectUnsupported(() => call.muteParticipant(party.identity), 'muteParticipant');
        }
        await call.muteParticipant(party.identity);
        await waitForRoster(call, (roster) => entryOf(roster, party.identity)?.isMuted === true);
      });

      it('holds and unholds a participant', async () => {
        const { call, party } = await connectedCall();
        if (!supports('hold', 'unhold')) {
          if (!supports('hold')) return expectUnsupported(() => call.hold(party.identity), 'hold');
          return expectUnsupported(() => call.unhold(party.identity), 'unhold');
        }
        await call.hold(party.identity);
        await waitForRoster(call, (roster) => entryOf(roster, party.identity)?.isOnHold === true);
        await call.unhold(party.identity);
        await waitForRoster(call, (roster) => entryOf(roster, party.identity)?.isOnHold !== true);
        expect(call.state).toBe('connected');
      });

      it('transfers the call: the transfer is accepted and the bot leaves', async () => {
        const { call, party } = await connectedCall();
        const target = newParty();
        if (!supports('transfer')) return expectUnsupported(() => call.transfer(target.identity), 'transfer');
        await call.transfer(target.identity, { timeoutMs: waitMs });
        const end = await call.ended;
        expect(end.state).toBe('disconnected');
        expect(client().calls.has(call.id)).toBe(false);
        expect(target.inCall).toBe(true);
        expect(party.inCall).toBe(true);
        await party.hangUp();
        await target.waitForHangUp({ timeoutMs: waitMs });
      });

      it('fails a transfer the target declines and stays connected', async () => {
        const { call } = await connectedCall();
        const target = newParty({ declines: true });
        if (!supports('transfer')) return expectUnsupported(() => call.transfer(target.identity), 'transfer');
        expectReason(
          await outcomeOf(call.transfer(target.identity, { timeoutMs: waitMs })),
          'operationFailed',
        );
        await call.waitForState('connected', { timeoutMs: waitMs });
      });
    });

    describe('recording and transcription', () => {
      it('starts, pauses, resumes and stops a recording', async () => {
        const { call } = await connectedCall();
        if (!supports('startRecording'))
          return expectUnsupported(() => call.startRecording(), 'startRecording');
        const { recordingId } = await call.startRecording();
        expect(typeof recordingId).toBe('string');
        expect(recordingId).not.toBe('');
        const options = recordingId === undefined ? {} : { recordingId };
        if (supports('pauseRecording')) await call.pauseRecording(options);
        else await expectUnsupported(() => call.pauseRecording(options), 'pauseRecording');
        if (supports('resumeRecording')) await call.resumeRecording(options);
        else await expectUnsupported(() => call.resumeRecording(options), 'resumeRecording');
        if (supports('stopRecording')) await call.stopRecording(options);
        else await expectUnsupported(() => call.stopRecording(options), 'stopRecording');
      });

      it('starts and stops transcription', async () => {
        const { call } = await connectedCall();
        if (!supports('startTranscription', 'stopTranscription')) {
          if (!supports('startTranscription')) {
            return expectUnsupported(
              () => call.startTranscription({ locale: 'en-US' }),
              'startTranscription',
            );
          }
          return expectUnsupported(() => call.stopTranscription(), 'stopTranscription');
        }
        await call.startTranscription({ locale: 'en-US' });
        await call.stopTranscription();
        expect(call.state).toBe('connected');
      });
    });

    describe('operation lifetime', () => {
      // A looping play never completes by itself, on any backend: the way to hold an operation open.
      const holdMusic = PlaySources.text('Your call will be answered shortly');

      it('rejects an operation with timeout after its timeoutMs', async () => {
        const { call } = await connectedCall();
        if (!supports('play', 'play.text', 'play.loop')) {
          return expectUnsupported(() => call.play(holdMusic, { loop: true }), 'play');
        }
        const started = Date.now();
        expectReason(
          await outcomeOf(call.play(holdMusic, { loop: true, timeoutMs: shortSilenceMs })),
          'timeout',
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(shortSilenceMs - 50);
      });

      it('rejects an operation with aborted when its signal fires', async () => {
        const { call, party } = await connectedCall();
        if (!supports('play', 'play.text', 'play.loop')) {
          return expectUnsupported(() => call.play(holdMusic, { loop: true }), 'play');
        }
        const controller = new AbortController();
        const playing = outcomeOf(call.play(holdMusic, { loop: true, signal: controller.signal }));
        await party.waitToHear('Your call will be answered shortly');
        controller.abort();
        expectReason(await playing, 'aborted');
      });
    });
  });
}
