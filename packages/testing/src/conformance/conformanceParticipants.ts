import { PlaySources, TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceSuite } from './ConformanceSuite.js';
import {
  entryOf,
  expectReason,
  outcomeOf,
  rawIds,
  shortSilenceMs,
  waitForRoster,
  waitMs,
} from './conformanceHelpers.js';

/** The conformance sections on participants, recording and transcription, and operation lifetime. */
export function describeParticipantConformance(suite: ConformanceSuite): void {
  const { client, supports, newParty, expectUnsupported, connectedCall, callWithTwo, callAllowing } = suite;
  describe('participants', () => {
    it('adds a participant and the roster grows', async () => {
      const added = newParty();
      if (!supports('addParticipant')) {
        const { call } = await connectedCall();
        return expectUnsupported(() => call.addParticipant(added.identity), 'addParticipant');
      }
      const allowing = await callAllowing('addParticipant', (call) => call.addParticipant(added.identity));
      if (!allowing) return;
      const { call } = allowing;
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
      const invited = newParty({ autoAnswer: false });
      if (!supports('addParticipant', 'cancelAddParticipant')) {
        const { call } = await connectedCall();
        return expectUnsupported(
          () => call.cancelAddParticipant('no-such-operation'),
          'cancelAddParticipant',
        );
      }
      const allowing = await callAllowing('addParticipant', (call) => call.addParticipant(invited.identity));
      if (!allowing) return;
      const { call } = allowing;
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
      if (!supports('muteParticipant')) {
        const { call, party } = await connectedCall();
        return expectUnsupported(() => call.muteParticipant(party.identity), 'muteParticipant');
      }
      const allowing = await callAllowing('muteParticipant', (call, party) =>
        call.muteParticipant(party.identity),
      );
      if (!allowing) return;
      const { call, party } = allowing;
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
      expectReason(await outcomeOf(call.transfer(target.identity, { timeoutMs: waitMs })), 'operationFailed');
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
          return expectUnsupported(() => call.startTranscription({ locale: 'en-US' }), 'startTranscription');
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
}
