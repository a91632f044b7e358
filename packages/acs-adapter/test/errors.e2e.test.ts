import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Call, TelephonyError } from '@switchboard/core';
import { phone, TelephonyError as TelephonyErrorClass } from '@switchboard/core';
import type { SimulatedParty } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

const botNumber = phone('+18005550100');

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack();
});

afterAll(async () => {
  await stack?.close();
});

async function connectedCall(number: string): Promise<{ call: Call; party: SimulatedParty }> {
  const party = stack.emulator.network.party(phone(number));
  const call = await stack.client.placeCall({ to: party.identity, callerId: botNumber });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return { call, party };
}

async function failure(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    if (TelephonyErrorClass.is(error)) return error;
    throw error;
  }
  throw new Error('the operation unexpectedly succeeded');
}

function requestsTo(fragment: string): { headers: Record<string, string> }[] {
  return stack.emulator.requests.filter((request) => request.path.includes(fragment));
}

describe('ACS adapter: errors and retries against the emulator', () => {
  it('does not repeat a play answered 500: one request, rejected transient with the service code', async () => {
    const { call, party } = await connectedCall('+14255550101');
    const before = requestsTo(':play').length;
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':play' },
      { status: 500, body: { error: { code: '8500', message: 'Internal server error.' } } },
    );
    const error = await failure(call.play({ kind: 'text', text: 'First prompt' }));
    expect(error).toMatchObject({ reason: 'transient', status: 500, code: '8500', operation: 'play' });
    expect(requestsTo(':play').length - before).toBe(1);

    // The next play is a new operation; it settles on its own completion and is heard once.
    await call.play({ kind: 'text', text: 'Second prompt' });
    expect(party.heard.filter((line) => line === 'Second prompt')).toHaveLength(1);
    expect(party.heard).not.toContain('First prompt');
    await call.hangUp();
  });

  it('does not repeat a recognize answered 503', async () => {
    const { call } = await connectedCall('+14255550102');
    const before = requestsTo(':recognize').length;
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':recognize' },
      { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Try again.' } } },
    );
    const error = await failure(call.recognizeDtmf({ maxTones: 1 }));
    expect(error).toMatchObject({ reason: 'transient', status: 503 });
    expect(requestsTo(':recognize').length - before).toBe(1);
    await call.hangUp();
  });

  it('repeats an idempotent request after a 503 with the same Repeatability-Request-ID', async () => {
    const { call, party } = await connectedCall('+14255550103');
    const before = requestsTo('participants:mute').length;
    stack.emulator.failNext({ method: 'POST', pathIncludes: 'participants:mute' }, { status: 503 }, 2);
    await call.muteParticipant(party.identity);
    const sent = requestsTo('participants:mute').slice(before);
    expect(sent).toHaveLength(3);
    const ids = new Set(sent.map((request) => request.headers['repeatability-request-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
    await call.hangUp();
  });

  it('waits out Retry-After on a 429 and then plays once', async () => {
    const { call, party } = await connectedCall('+14255550104');
    const before = requestsTo(':play').length;
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':play' },
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { code: '429', message: 'Too many requests.' } },
      },
    );
    const started = Date.now();
    await call.play({ kind: 'text', text: 'After the throttle' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(requestsTo(':play').length - before).toBe(2);
    expect(party.heard.filter((line) => line === 'After the throttle')).toHaveLength(1);
    await call.hangUp();
  });

  it('rejects throttled with retryAfterMs when Retry-After is longer than it waits', async () => {
    const { call } = await connectedCall('+14255550105');
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':play' },
      { status: 429, headers: { 'retry-after': '120' } },
    );
    const started = Date.now();
    const error = await failure(call.play({ kind: 'text', text: 'Never played' }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ reason: 'throttled', status: 429, retryAfterMs: 120_000 });
    expect(error.isRetryable).toBe(true);
    await call.hangUp();
  });

  it('classifies a 400 as invalidInput, keeping the service code', async () => {
    const { call } = await connectedCall('+14255550106');
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':play' },
      { status: 400, body: { error: { code: '8523', message: 'Invalid request.' } } },
    );
    const error = await failure(call.play({ kind: 'text', text: 'Bad' }));
    expect(error).toMatchObject({ reason: 'invalidInput', status: 400, code: '8523' });
    await call.hangUp();
  });

  it('classifies an unknown call as callNotFound', async () => {
    const error = await failure(stack.backend.getCall('00000000-0000-0000-0000-000000000000'));
    expect(error).toMatchObject({ reason: 'callNotFound', status: 404, backend: 'acs' });
  });

  it('classifies a request signed with the wrong key as unauthorized', async () => {
    const backend = new AcsBackend({
      endpoint: stack.emulator.endpoint,
      credential: { key: Buffer.from('not the emulator key, not at all').toString('base64') },
      callbackUrl: stack.webhookUrl,
      allowInsecureConnection: true,
      auth: 'off',
    });
    const error = await failure(
      backend.placeCall({
        targets: [phone('+14255550107')],
        callerId: botNumber,
        operationId: 'op-unauthorized',
      }),
    );
    expect(error).toMatchObject({ reason: 'unauthorized', status: 401 });
    await backend.close();
  });

  it('classifies an unreachable service as transient after retrying idempotent requests', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const backend = new AcsBackend({
      connectionString: `endpoint=http://127.0.0.1:${port}/;accesskey=${Buffer.from('key').toString('base64')}`,
      callbackUrl: stack.webhookUrl,
      allowInsecureConnection: true,
      auth: 'off',
      retry: { retryDelayMs: 10, maxRetryDelayMs: 20 },
    });
    const error = await failure(backend.getCall('any-call'));
    expect(error.reason).toBe('transient');
    expect(error.status).toBeUndefined();
    await backend.close();
  });
});
