import { phone, TelephonyError } from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// The service starts transcription or media streaming mid-call only on a call created, answered or connected with
// `transcriptionOptions` / `mediaStreamingOptions` (REST spec: `TranscriptionOptions`, `MediaStreamingOptions` on
// CreateCall, AnswerCall and Connect; the live tests set their calls up with `startTranscription: false` and
// `startMediaStreaming: false`, then start either). The emulator refuses them on a call without (400/8585,
// RECORDED-FLOWS "Refusals").

let stack: AcsStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function lastBody(acs: AcsStack, path: string): Record<string, unknown> | undefined {
  const request = acs.emulator.requests
    .filter((r) => r.method === 'POST' && r.path.split('?')[0] === path)
    .at(-1);
  return request?.body as Record<string, unknown> | undefined;
}

describe('ACS: calls set up for streaming and transcription started later', () => {
  it('sets every call up with both options, not started, when a media URL is configured', async () => {
    const acs = await startAcsStack({ operationTimeoutMs: 10_000 });
    stack = acs;
    const transportUrl = new URL('/api/acs/media', acs.webhookUrl.replace('http', 'ws')).href;
    const unstarted = {
      mediaStreamingOptions: expect.objectContaining({ transportUrl, startMediaStreaming: false }),
      transcriptionOptions: expect.objectContaining({ transportUrl, startTranscription: false }),
    };

    const party = acs.emulator.network.party(phone('+14255550181'));
    const placed = await acs.client.placeCall({ to: party.identity, callerId: phone('+18005550199') });
    await placed.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastBody(acs, '/calling/callConnections')).toMatchObject(unstarted);
    await placed.startTranscription({ locale: 'en-US' });
    await placed.startMediaStreaming();
    await placed.stopMediaStreaming();
    await placed.stopTranscription();

    const offered = firstValueFrom(acs.client.incomingCalls$);
    await acs.emulator.network.dial(phone('+14255550182'));
    const answered = await (await offered).answer();
    await answered.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastBody(acs, '/calling/callConnections:answer')).toMatchObject(unstarted);
    await answered.startTranscription({ locale: 'en-US' });
    await answered.stopTranscription();

    await placed.hangUp();
    await answered.hangUp();
  });

  it('rejects starting them on a call set up without, as the service does', async () => {
    const acs = await startAcsStack({ operationTimeoutMs: 10_000, mediaPath: false });
    stack = acs;
    const party = acs.emulator.network.party(phone('+14255550183'));
    const call = await acs.client.placeCall({ to: party.identity, callerId: phone('+18005550199') });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastBody(acs, '/calling/callConnections')).not.toHaveProperty('transcriptionOptions');

    const refused = (error: unknown): boolean =>
      TelephonyError.hasReason(error, 'invalidInput') && error.status === 400 && error.code === '8585';
    await expect(call.startTranscription({ locale: 'en-US' })).rejects.toSatisfy(refused);
    await expect(call.startMediaStreaming()).rejects.toSatisfy(refused);
    expect(acs.events.filter((event) => event.type.startsWith('transcription.'))).toEqual([]);
    await call.hangUp();
  });
});
