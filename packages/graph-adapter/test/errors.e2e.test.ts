import { createTelephonyClient, phone, TelephonyError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const prompt = { kind: 'file', url: 'https://cdn.example.com/hello.wav' } as const;
let nextNumber = 1;

async function connected(bed: GraphTestBed) {
  const party = bed.emulator.network.party(phone(`+1425556${String(nextNumber++).padStart(4, '0')}`));
  const call = await bed.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return call;
}

async function rejection(promise: Promise<unknown>): Promise<TelephonyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(TelephonyError.is(error), `expected a TelephonyError, got ${String(error)}`).toBe(true);
  return error as TelephonyError;
}

describe('Graph errors reach the bot as TelephonyError', () => {
  let bed: GraphTestBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  const start = () =>
    startGraphTestBed({ backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' } });

  it('429 is throttled with Retry-After and the service code and message', async () => {
    bed = await start();
    const call = await connected(bed);
    bed.emulator.failNext(
      { method: 'POST', pathIncludes: 'playPrompt' },
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { error: { code: 'TooManyRequests', message: 'Slow down, bot.' } },
      },
    );
    const error = await rejection(call.play(prompt));
    expect(error).toMatchObject({
      reason: 'throttled',
      status: 429,
      code: 'TooManyRequests',
      retryAfterMs: 3000,
    });
    expect(error.message).toContain('Slow down, bot.');
    expect(error.isRetryable).toBe(true);
    // The client's chain does not retry actions: exactly one playPrompt reached the service.
    const plays = bed.emulator.requests.filter((r) => r.path.endsWith('/playPrompt'));
    expect(plays).toHaveLength(1);
  });

  it.each([
    [404, 'callNotFound', '8522'],
    [403, 'unauthorized', 'Forbidden'],
    [400, 'invalidInput', 'BadRequest'],
    [503, 'transient', 'ServiceUnavailable'],
  ] as const)('%i is %s', async (status, reason, code) => {
    bed = await start();
    const call = await connected(bed);
    bed.emulator.failNext(
      { method: 'POST', pathIncludes: 'sendDtmfTones' },
      { status, body: { error: { code, message: `failed with ${status}` } } },
    );
    const error = await rejection(call.sendDtmf('12'));
    expect(error).toMatchObject({ reason, status, code, backend: 'graph', callId: call.id });
  });

  it('a commsOperation answered failed rejects operationFailed with its resultInfo', async () => {
    bed = await start();
    const call = await connected(bed);
    bed.emulator.failNext(
      { method: 'POST', pathIncludes: 'playPrompt' },
      {
        status: 200,
        body: {
          '@odata.type': '#microsoft.graph.playPromptOperation',
          id: 'op-1',
          status: 'failed',
          resultInfo: { code: 500, subcode: 8520, message: 'Media could not be fetched.' },
        },
      },
    );
    const error = await rejection(call.play(prompt));
    expect(error.reason).toBe('operationFailed');
    expect(error.result).toEqual({ code: 500, subcode: 8520, message: 'Media could not be fetched.' });
  });

  it('sends the operation id as clientContext and settles on the notification that echoes it', async () => {
    bed = await start();
    const call = await connected(bed);
    const play = call.play(prompt);
    await play;
    const request = bed.emulator.requests.find((r) => r.path.endsWith('/playPrompt'));
    expect((request?.body as { clientContext?: string } | undefined)?.clientContext).toBe(play.operationId);
  });

  it('a wrong app secret is unauthorized before any Graph request', async () => {
    bed = await start();
    const backend = new GraphBackend(bed.backendOptions({ appSecret: 'not-the-secret' }));
    const client = createTelephonyClient(backend);
    try {
      const graphCallsBefore = bed.emulator.requests.filter((r) => r.path.startsWith('/v1.0/')).length;
      const error = await rejection(client.placeCall({ to: phone('+14255550199') }));
      expect(error.reason).toBe('unauthorized');
      expect(bed.emulator.requests.filter((r) => r.path.startsWith('/v1.0/')).length).toBe(graphCallsBefore);
    } finally {
      await client.close();
    }
  });

  it('calling a phone number without an application instance is invalidConfig', async () => {
    bed = await startGraphTestBed();
    const error = await rejection(bed.client.placeCall({ to: phone('+14255550198') }));
    expect(error.reason).toBe('invalidConfig');
    expect(error.message).toContain('graph.applicationInstanceId');
  });
});
