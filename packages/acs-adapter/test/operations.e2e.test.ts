import type { Call, IncomingCall, TelephonyEvent } from '@switchboard/core';
import { phone, TelephonyError } from '@switchboard/core';
import type { SimulatedParty } from '@switchboard/testing';
import { firstValueFrom, take, toArray } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

const botNumber = phone('+18005550199');

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

async function outbound(number: string): Promise<{ call: Call; party: SimulatedParty }> {
  const party = stack.emulator.network.party(phone(number));
  const call = await stack.client.placeCall({ to: party.identity, callerId: botNumber });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return { call, party };
}

function bodyOf(pathFragment: string): Record<string, unknown> {
  const request = stack.emulator.requests.filter((r) => r.path.includes(pathFragment)).at(-1);
  expect(request, `a request to ${pathFragment}`).toBeDefined();
  return request?.body as Record<string, unknown>;
}

function nextEvent(call: Call, type: TelephonyEvent['type']): Promise<TelephonyEvent> {
  return firstValueFrom(call.events$.pipe(filter((event) => event.type === type)));
}

describe('ACS adapter: operations against the emulator', () => {
  it('answers an incoming call, plays a prompt and collects DTMF', async () => {
    const offered = firstValueFrom(stack.client.incomingCalls$);
    const caller = await stack.emulator.network.dial(phone('+14255550130'));
    const incoming: IncomingCall = await offered;
    expect(incoming.backend).toBe('acs');
    expect(incoming.from.rawId).toBe('4:+14255550130');
    const call = await incoming.answer();
    await call.waitForState('connected', { timeoutMs: 5_000 });

    const play = call.play({ kind: 'text', text: 'Welcome to Switchboard' });
    await play;
    expect(bodyOf(':play').operationContext).toBe(play.operationId);
    expect(caller.heard).toContain('Welcome to Switchboard');

    const recognize = call.recognizeDtmf({
      maxTones: 4,
      stopTones: ['#'],
      prompt: { kind: 'text', text: 'Enter your PIN' },
    });
    await caller.waitToHear('Enter your PIN');
    await caller.pressDigits('12#');
    await expect(recognize).resolves.toEqual({ tones: '12#', digits: '12', stopTone: '#' });
    expect(bodyOf(':recognize').operationContext).toBe(recognize.operationId);

    const snapshot = await stack.backend.getCall(call.id);
    expect(snapshot.state).toBe('connected');
    expect(snapshot.participants.map((p) => p.identity.rawId)).toContain('4:+14255550130');

    await call.hangUp();
    expect(call.state).toBe('disconnected');
  });

  it('adds a participant and cancels a pending add by its operation id', async () => {
    const { call } = await outbound('+14255550131');
    const joiner = stack.emulator.network.party(phone('+14255550132'));
    const added = call.addParticipant(joiner.identity, { callerId: botNumber, invitationTimeoutSeconds: 30 });
    const result = await added;
    expect(result.participant.rawId).toBe('4:+14255550132');
    expect(bodyOf('participants:add')).toMatchObject({
      operationContext: added.operationId,
      invitationTimeoutInSeconds: 30,
    });

    const slow = stack.emulator.network.party(phone('+14255550133'), { autoAnswer: false });
    const pending = call.addParticipant(slow.identity, { callerId: botNumber });
    pending.catch(() => undefined);
    await slow.waitForRing({ timeoutMs: 5_000 });
    const cancel = call.cancelAddParticipant(pending.operationId);
    await cancel;
    const invitationId = bodyOf('participants:cancelAddParticipant').invitationId;
    expect(typeof invitationId).toBe('string');
    await expect(pending).rejects.toSatisfy((error) => TelephonyError.hasReason(error, 'canceled'));

    await call.removeParticipant(joiner.identity);
    await call.terminate();
  });

  it('mutes, holds and unholds, and runs continuous and sent DTMF', async () => {
    const { call, party } = await outbound('+14255550134');
    await call.muteParticipant(party.identity);
    await call.hold(party.identity, { music: { kind: 'file', url: 'https://example.com/hold.wav' } });
    expect(bodyOf(':hold')).toMatchObject({ playSourceInfo: { kind: 'file' } });
    await call.unhold(party.identity);

    await call.startContinuousDtmf();
    const tones = firstValueFrom(
      call.events$.pipe(
        filter((event) => event.type === 'dtmf.received'),
        take(2),
        toArray(),
      ),
    );
    await party.pressDigits('5*');
    expect((await tones).map((event) => (event.type === 'dtmf.received' ? event.tone : ''))).toEqual([
      '5',
      '*',
    ]);
    await call.stopContinuousDtmf();

    await call.sendDtmf('9#');
    expect(party.receivedTones).toBe('9#');
    await call.hangUp();
  });

  it('starts, pauses, resumes and stops a recording by the id it returned', async () => {
    const { call } = await outbound('+14255550135');
    const state = firstValueFrom(
      call.events$.pipe(filter((event) => event.type === 'recording.state' && event.state === 'active')),
    );
    const { recordingId } = await call.startRecording({ content: 'audio', channel: 'mixed', format: 'wav' });
    expect(recordingId).toEqual(expect.any(String));
    expect(await state).toMatchObject({ type: 'recording.state', state: 'active', recordingId });
    await call.pauseRecording();
    await call.resumeRecording({ recordingId: recordingId as string });
    await call.stopRecording();
    expect(
      stack.emulator.requests.filter((r) => r.path.includes('/calling/recordings/')).map((r) => r.method),
    ).toEqual(expect.arrayContaining(['POST', 'DELETE']));
    await call.hangUp();
  });

  it('starts and stops transcription and media streaming, and cancels media', async () => {
    const { call } = await outbound('+14255550136');
    await call.startTranscription({ locale: 'en-US' });
    await call.updateTranscription({ locale: 'fr-FR' });
    await call.stopTranscription();
    await call.startMediaStreaming();
    await call.stopMediaStreaming();

    const long = call.play({ kind: 'file', url: 'https://example.com/long.wav' }, { loop: true });
    long.catch(() => undefined);
    await nextEvent(call, 'play.started');
    await call.cancelMedia();
    await expect(long).rejects.toSatisfy((error) => TelephonyError.hasReason(error, 'canceled'));
    await call.hangUp();
  });

  it('transfers a call, and rejects operations the backend does not support', async () => {
    const { call } = await outbound('+14255550137');
    await expect(call.muteSelf()).rejects.toSatisfy((error) =>
      TelephonyError.hasReason(error, 'unsupported'),
    );
    const target = stack.emulator.network.party(phone('+14255550138'));
    await call.transfer(target.identity);
    expect(bodyOf(':transferToParticipant')).toMatchObject({
      targetParticipant: { rawId: '4:+14255550138' },
    });
    await call.ended;
  });
});
