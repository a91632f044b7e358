import type { Call, CallState } from '@switchboard/core';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SimulatedParty } from '../simulation/SimulatedNetwork.js';
import type { ConformanceHarness } from './ConformanceHarness.js';
import { conformanceSuite } from './ConformanceSuite.js';
import {
  expectReason,
  nextIncoming,
  outcomeOf,
  rawIds,
  waitForRoster,
  waitMs,
} from './conformanceHelpers.js';
import { milestones, parityTrace, prompt, record, url } from './parityTrace.js';

// Real time, as in the conformance suite: short timeouts and the parties' wait helpers, no fixed sleeps. The
// harness plays each prompt for a noticeable time (about 200 ms) so that "mid-prompt" means something.
const silenceMs = 300;

/**
 * The parity scenarios: scripted calls whose unified events and promise outcomes are asserted identically on
 * every backend (the contract of docs/events.md, "Parity"), except where a capability says the backend cannot
 * (then the operation rejects with `unsupported`, never a different sequence). Prompts are audio files, which
 * every backend plays. The harness should play a prompt for about 200 ms.
 *
 * @example
 * const backend = new MemoryBackend({ promptDurationMs: 200 }), client = createTelephonyClient(backend);
 * describeParityScenarios('memory', async () => ({ client, network: backend.network, close: () => client.close() }));
 */
export function describeParityScenarios(name: string, factory: () => Promise<ConformanceHarness>): void {
  describe(`parity scenarios: ${name}`, () => {
    const {
      h,
      client,
      supports,
      newParty,
      connectedCall: outboundCall,
      callAllowing,
    } = conformanceSuite(factory);
    const expectUnsupported = async (operation: () => Promise<unknown>, named: string): Promise<void> => {
      const error = expectReason(await outcomeOf(operation()), 'unsupported');
      expect(error.message).toContain(client().backend);
      expect(error.message).toContain(named);
    };
    /** A caller dials the bot, the bot answers; resolves once connected with the caller in the roster. */
    const inboundCall = async (): Promise<{ call: Call; caller: SimulatedParty }> => {
      const caller = newParty();
      const offered = nextIncoming(client(), caller.identity);
      await h().network.dial(caller);
      const call = await (await offered).answer();
      await call.waitForState('connected', { timeoutMs: waitMs });
      await waitForRoster(call, (roster) => rawIds(roster).includes(caller.identity.rawId));
      return { call, caller };
    };

    const states = (call: Call): CallState[] => {
      const seen: CallState[] = [];
      call.state$.subscribe((state) => {
        if (milestones.has(state)) seen.push(state);
      });
      return seen;
    };

    it('IVR menu: a play, two recognitions with prompts, a goodbye, the bot hangs up', async () => {
      const { call, caller } = await inboundCall();
      const events = record(call);
      const welcome = call.play(prompt('welcome'));
      await welcome;
      const menu = call.recognizeDtmf({
        prompt: prompt('menu'),
        maxTones: 1,
        initialSilenceTimeoutMs: waitMs,
      });
      await caller.waitToHear(url('menu'));
      await caller.pressDigits('2');
      expect(await menu).toEqual({ tones: '2', digits: '2' });
      const account = call.recognizeDtmf({
        prompt: prompt('account'),
        maxTones: 12,
        stopTones: ['#'],
        initialSilenceTimeoutMs: waitMs,
        interToneTimeoutMs: waitMs,
      });
      await caller.waitToHear(url('account'));
      await caller.pressDigits('4711#');
      expect(await account).toEqual({ tones: '4711#', digits: '4711', stopTone: '#' });
      await call.play(prompt('goodbye'));
      await call.hangUp();
      await caller.waitForHangUp({ timeoutMs: waitMs });
      expect(parityTrace(events)).toEqual([
        'play.started',
        'play.completed',
        'recognize.completed:2',
        'recognize.completed:4711#',
        'play.started',
        'play.completed',
        'call.state:disconnected',
      ]);
      // The prompts' own events are not the bot's: only the plays carry their operation ids.
      const playIds = new Set(events.filter((e) => e.type.startsWith('play.')).map((e) => e.operationId));
      expect(playIds).not.toContain(menu.operationId);
      expect(playIds).not.toContain(account.operationId);
      expect(caller.heard).toEqual([url('welcome'), url('menu'), url('account'), url('goodbye')]);
    });

    it('no input twice: each recognize rejects operationFailed with failure noInput (8510)', async () => {
      const { call, caller } = await inboundCall();
      const events = record(call);
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = expectReason(
          await outcomeOf(
            call.recognizeDtmf({ prompt: prompt('menu'), maxTones: 1, initialSilenceTimeoutMs: silenceMs }),
          ),
          'operationFailed',
        );
        expect(error.failure).toBe('noInput');
        expect(error.result?.subcode).toBe(8510);
      }
      await call.hangUp();
      expect(parityTrace(events)).toEqual([
        'recognize.failed:noInput',
        'recognize.failed:noInput',
        'call.state:disconnected',
      ]);
      expect(caller.heard).toEqual([url('menu'), url('menu')]);
    });

    it('inter-tone silence: the recognize rejects with failure interToneTimeout (8532)', async () => {
      const { call, caller } = await inboundCall();
      const recognizing = outcomeOf(
        call.recognizeDtmf({
          prompt: prompt('menu'),
          maxTones: 4,
          initialSilenceTimeoutMs: waitMs,
          interToneTimeoutMs: silenceMs,
        }),
      );
      await caller.waitToHear(url('menu'));
      await caller.pressDigits('1');
      const error = expectReason(await recognizing, 'operationFailed');
      expect(error.failure).toBe('interToneTimeout');
      expect(error.result?.subcode).toBe(8532);
    });

    it('wrong input: a choice recognize rejects with failure noMatch, or is unsupported', async () => {
      const { call, caller } = await inboundCall();
      const options = {
        kind: 'choices',
        prompt: prompt('choices'),
        choices: [
          { label: 'Sales', phrases: ['sales'], tone: '1' },
          { label: 'Support', phrases: ['support'], tone: '2' },
        ],
        initialSilenceTimeoutMs: waitMs,
      } as const;
      if (!supports('recognize.choices'))
        return expectUnsupported(() => call.recognize(options), 'recognize');
      const recognizing = outcomeOf(call.recognize(options));
      await caller.waitToHear(url('choices'));
      await caller.pressDigits('7');
      const error = expectReason(await recognizing, 'operationFailed');
      expect(error.failure).toBe('noMatch');
      expect(error.result?.subcode).toBe(8534);
    });

    it('the caller hangs up mid-prompt: the recognize rejects callEnded, nothing else follows', async () => {
      const { call, caller } = await inboundCall();
      const events = record(call);
      const recognizing = outcomeOf(
        call.recognizeDtmf({ prompt: prompt('menu'), maxTones: 1, initialSilenceTimeoutMs: waitMs }),
      );
      await caller.waitToHear(url('menu'));
      await caller.hangUp();
      expectReason(await recognizing, 'callEnded');
      await call.ended;
      expect(parityTrace(events)).toEqual(['call.state:disconnected']);
    });

    it('the caller hangs up mid-play: the play rejects callEnded after play.started, with no outcome event', async () => {
      const { call, caller } = await inboundCall();
      const events = record(call);
      const playing = outcomeOf(call.play(prompt('long-story')));
      await caller.waitToHear(url('long-story'));
      await caller.hangUp();
      expectReason(await playing, 'callEnded');
      await call.ended;
      expect(parityTrace(events)).toEqual(['play.started', 'call.state:disconnected']);
    });

    it('hold with music: the roster says who is on hold, and no unknown event appears', async () => {
      const { call, party } = await outboundCall();
      const events = record(call);
      if (!supports('hold', 'unhold')) return expectUnsupported(() => call.hold(party.identity), 'hold');
      await call.hold(party.identity, { music: prompt('music') });
      expect(call.participants.find((p) => p.identity.rawId === party.identity.rawId)?.isOnHold).toBe(true);
      await call.unhold(party.identity);
      expect(call.participants.find((p) => p.identity.rawId === party.identity.rawId)?.isOnHold).not.toBe(
        true,
      );
      expect(call.state).toBe('connected');
      expect(parityTrace(events)).toEqual([]);
    });

    it('add a party, then the bot leaves: the others stay connected', async () => {
      const added = newParty();
      if (!supports('addParticipant')) {
        const { call } = await outboundCall();
        return expectUnsupported(() => call.addParticipant(added.identity), 'addParticipant');
      }
      // Where a one-to-one call allows no invite (Graph), the call refuses it at once and a group call is used.
      const allowing = await callAllowing('addParticipant', (call) => call.addParticipant(added.identity));
      if (!allowing) return;
      const { call, party, others } = allowing;
      const events = record(call);
      const result = await call.addParticipant(added.identity, { timeoutMs: waitMs });
      expect(result.participant.rawId).toBe(added.identity.rawId);
      // The promise resolves once the party is in the roster, on every backend.
      expect(rawIds(call.participants)).toContain(added.identity.rawId);
      await call.hangUp();
      await call.ended;
      expect(party.inCall).toBe(true);
      expect(added.inCall).toBe(true);
      expect(parityTrace(events)).toEqual(['participant.added', 'call.state:disconnected']);
      // The parties' own call ends once one of them is left alone in it.
      for (const other of [party, ...others]) await other.hangUp();
      await added.waitForHangUp({ timeoutMs: waitMs });
    });

    it('add a party, then the bot terminates: everyone leaves', async () => {
      const added = newParty();
      if (!supports('addParticipant')) {
        const { call } = await outboundCall();
        return expectUnsupported(() => call.addParticipant(added.identity), 'addParticipant');
      }
      const allowing = await callAllowing('addParticipant', (call) => call.addParticipant(added.identity));
      if (!allowing) return;
      const { call, party, others } = allowing;
      await call.addParticipant(added.identity, { timeoutMs: waitMs });
      const events = record(call);
      await call.terminate();
      await call.ended;
      await party.waitForHangUp({ timeoutMs: waitMs });
      await added.waitForHangUp({ timeoutMs: waitMs });
      for (const other of others) await other.waitForHangUp({ timeoutMs: waitMs });
      expect(party.inCall).toBe(false);
      expect(added.inCall).toBe(false);
      expect(parityTrace(events).at(-1)).toBe('call.state:disconnected');
    });

    it('blind transfer: transferAccepted, transfer.accepted, then the bot is disconnected', async () => {
      const { call, party } = await inboundCall().then(({ call, caller }) => ({ call, party: caller }));
      const events = record(call);
      const target = newParty();
      if (!supports('transfer')) return expectUnsupported(() => call.transfer(target.identity), 'transfer');
      await call.transfer(target.identity, { timeoutMs: waitMs });
      await call.ended;
      expect(target.inCall).toBe(true);
      expect(party.inCall).toBe(true);
      expect(parityTrace(events)).toEqual([
        'call.state:transferAccepted',
        'transfer.accepted',
        'call.state:disconnected',
      ]);
    });

    it('transfer declined: transfer.failed rejects the transfer and the call stays connected', async () => {
      const { call } = await inboundCall();
      const events = record(call);
      const target = newParty({ declines: true });
      if (!supports('transfer')) return expectUnsupported(() => call.transfer(target.identity), 'transfer');
      expectReason(await outcomeOf(call.transfer(target.identity, { timeoutMs: waitMs })), 'operationFailed');
      await call.waitForState('connected', { timeoutMs: waitMs });
      await call.hangUp();
      expect(parityTrace(events)).toEqual(['transfer.failed', 'call.state:disconnected']);
    });

    it('recording: startRecording leads to recording.state active, stopRecording to inactive', async () => {
      const { call } = await outboundCall();
      const events = record(call);
      if (!supports('startRecording'))
        return expectUnsupported(() => call.startRecording(), 'startRecording');
      if (!supports('stopRecording')) return expectUnsupported(() => call.stopRecording(), 'stopRecording');
      const state = (wanted: string) =>
        firstValueFrom(
          call.events$.pipe(
            filter((e) => e.type === 'recording.state' && e.state === wanted),
            timeout(waitMs),
          ),
        );
      const active = state('active');
      const { recordingId } = await call.startRecording();
      await active;
      const inactive = state('inactive');
      await call.stopRecording(recordingId === undefined ? {} : { recordingId });
      await inactive;
      expect(parityTrace(events)).toEqual(['recording.state:active', 'recording.state:inactive']);
    });

    it('continuous DTMF: the caller presses * during a play and the bot cancels its media', async () => {
      const { call, caller } = await inboundCall();
      const events = record(call);
      const star = firstValueFrom(
        call.events$.pipe(
          filter((e) => e.type === 'dtmf.received' && e.tone === '*'),
          timeout(waitMs),
        ),
      );
      await call.startContinuousDtmf(caller.identity);
      const playing = outcomeOf(call.play(prompt('long-story')));
      await caller.waitToHear(url('long-story'));
      await caller.pressDigits('*');
      await star;
      await call.cancelMedia();
      expectReason(await playing, 'canceled');
      await call.stopContinuousDtmf(caller.identity);
      expect(parityTrace(events)).toEqual([
        'play.started',
        'dtmf.received:*',
        'play.canceled',
        'dtmf.stopped',
      ]);
    });

    it('outbound call declined: it ends without connecting', async () => {
      const party = newParty({ declines: true });
      const call = await client().placeCall({ to: party.identity });
      const seen = states(call);
      const end = await call.ended;
      expect(end.state).toBe('disconnected');
      expect(seen).toEqual(['disconnected']);
      expect(party.inCall).toBe(false);
    });

    it('outbound call unanswered: the bot gives up while it rings, and the ringing stops', async () => {
      const party = newParty({ autoAnswer: false });
      const call = await client().placeCall({ to: party.identity });
      const seen = states(call);
      await party.waitForRing({ timeoutMs: waitMs });
      await call.hangUp();
      await party.waitForHangUp({ timeoutMs: waitMs });
      expect(seen).toEqual(['disconnected']);
      expect(party.inCall).toBe(false);
    });

    it('outbound call answered: connected, the party in the roster, then the party hangs up', async () => {
      const { call, party } = await outboundCall();
      const events = record(call);
      expect(states(call)).toEqual(['connected']);
      await party.hangUp();
      await call.ended;
      expect(parityTrace(events)).toEqual(['call.state:disconnected']);
    });
  });
}
