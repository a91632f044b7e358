import { randomUUID } from 'node:crypto';
import { CallAutomationClient } from '@azure/communication-call-automation';
import { phone, TelephonyError } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// Without `acs.cognitiveServicesEndpoint` the service cannot speak or listen: text and SSML prompts, speech and
// choice recognition are unavailable at once (an `unsupported` naming the setting), not a late service error.
// The emulator refuses them on a call without `callIntelligenceOptions`, as the service does (codes page 8567).

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000, speechServices: false });
});

afterAll(async () => {
  await stack?.close();
});

function rejection(promise: Promise<unknown>): Promise<TelephonyError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as TelephonyError,
  );
}

describe('ACS without speech services', () => {
  it('reports text, SSML, speech and choices unavailable, naming the missing setting', async () => {
    expect(stack.client.capabilities['play.text']).toBe(false);
    expect(stack.client.capabilities['play.ssml']).toBe(false);
    expect(stack.client.capabilities['recognize.speech']).toBe(false);
    expect(stack.client.capabilities['play.file']).toBe(true);
    const party = stack.emulator.network.party(phone('+14255550701'));
    const call = await stack.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    const before = stack.emulator.requests.length;
    const text = await rejection(call.play({ kind: 'text', text: 'Hello' }));
    expect(TelephonyError.hasReason(text, 'unsupported')).toBe(true);
    expect(text.message).toContain('acs.cognitiveServicesEndpoint');
    expect(text.message).toContain('SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT');
    const speech = await rejection(call.recognize({ kind: 'speech' }));
    expect(TelephonyError.hasReason(speech, 'unsupported')).toBe(true);
    expect(stack.emulator.requests.length).toBe(before);
    await call.play({ kind: 'file', url: 'https://media.example.com/hello.wav' });
    await call.hangUp();
  });

  it('the emulator refuses a text prompt on a call created without callIntelligenceOptions', async () => {
    const sdk = new CallAutomationClient(stack.emulator.connectionString, { allowInsecureConnection: true });
    const party = stack.emulator.network.party(phone('+14255550702'));
    const created = await sdk.createCall(
      {
        targetParticipant: { phoneNumber: party.identity.rawId.slice(2) },
        sourceCallIdNumber: { phoneNumber: '+18005550100' },
      },
      `${stack.webhookUrl}?unused=${randomUUID()}`,
    );
    await party.waitForRing({ timeoutMs: 5_000 }).catch(() => undefined);
    const connection = created.callConnection;
    for (
      let i = 0;
      i < 50 && (await connection.getCallConnectionProperties()).callConnectionState !== 'connected';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect(
      connection.getCallMedia().playToAll([{ kind: 'textSource', text: 'Hello' }]),
    ).rejects.toMatchObject({ statusCode: 400, code: '8567' });
    await connection.hangUp(true);
  });
});
