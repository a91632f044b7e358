import { phone, TelephonyError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  graphRetryDelay,
  isIdempotentGraphRequest,
  resolveGraphRetryOptions,
} from '../src/backend/graphRetryPolicy.js';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const prompt = { kind: 'file', url: 'https://cdn.example.com/hello.wav' } as const;
const appInstance = { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' };
const fast = { retryDelayMs: 10, maxRetryDelayMs: 40 };

async function connected(bed: GraphTestBed, number: string) {
  const party = bed.emulator.network.party(phone(number));
  const call = await bed.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return call;
}

describe('Graph outbound resilience against the emulator', () => {
  let bed: GraphTestBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it('repeats an idempotent read after 503 and 429 (honouring Retry-After) and succeeds', async () => {
    bed = await startGraphTestBed({ backend: { ...appInstance, retry: fast } });
    const call = await connected(bed, '+14255557001');
    bed.emulator.failNext({ method: 'GET', pathIncludes: call.id }, { status: 503 }, 2);
    bed.emulator.failNext(
      { method: 'GET', pathIncludes: call.id },
      { status: 429, headers: { 'retry-after': '0' } },
    );
    const before = bed.emulator.requests.filter((r) => r.method === 'GET').length;
    const snapshot = await bed.backend.getCall(call.id);
    expect(snapshot.state).toBe('connected');
    // Two reads per rehydrate (call and roster) plus the three refused (the bot may read the roster besides).
    expect(bed.emulator.requests.filter((r) => r.method === 'GET').length - before).toBeGreaterThanOrEqual(5);
  });

  it('gives up after maxRetries with a retryable TelephonyError', async () => {
    bed = await startGraphTestBed({ backend: { ...appInstance, retry: { ...fast, maxRetries: 2 } } });
    const call = await connected(bed, '+14255557002');
    bed.emulator.failNext({ method: 'GET', pathIncludes: `${call.id}/participants` }, { status: 503 }, 10);
    const error = await bed.backend.getCall(call.id).catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'transient')).toBe(true);
    expect((error as TelephonyError).isRetryable).toBe(true);
    const reads = bed.emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/participants'));
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });

  it('never repeats an action: a 503 on playPrompt fails once, retryable, with one request sent', async () => {
    bed = await startGraphTestBed({ backend: { ...appInstance, retry: fast } });
    const call = await connected(bed, '+14255557003');
    bed.emulator.failNext({ method: 'POST', pathIncludes: 'playPrompt' }, { status: 503 });
    const error = await call.play(prompt).catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'transient')).toBe(true);
    expect((error as TelephonyError).isRetryable).toBe(true);
    expect(bed.emulator.requests.filter((r) => r.path.endsWith('/playPrompt'))).toHaveLength(1);
    // The call still works afterwards.
    await call.play(prompt);
  });
});

describe('the Graph retry policy', () => {
  const options = resolveGraphRetryOptions({ retryDelayMs: 100, maxRetryDelayMs: 1_000, maxRetries: 4 });
  const error = (reason: 'throttled' | 'transient' | 'timeout' | 'invalidInput', extra = {}) =>
    new TelephonyError(reason, reason, { backend: 'graph', ...extra });

  it('tells idempotent requests from actions', () => {
    expect(isIdempotentGraphRequest('GET', '/communications/calls/1')).toBe(true);
    expect(isIdempotentGraphRequest('DELETE', '/communications/calls/1')).toBe(true);
    expect(isIdempotentGraphRequest('POST', '/communications/calls/1/keepAlive')).toBe(true);
    expect(isIdempotentGraphRequest('POST', '/communications/calls')).toBe(false);
    expect(isIdempotentGraphRequest('POST', '/communications/calls/1/answer')).toBe(false);
    expect(isIdempotentGraphRequest('POST', '/communications/calls/1/playPrompt')).toBe(false);
  });

  it('backs off exponentially with ±20 % jitter, capped, and stops after maxRetries', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect(graphRetryDelay(error('transient', { status: 503 }), 0, true, options, low)).toBe(80);
    expect(graphRetryDelay(error('transient', { status: 503 }), 0, true, options, high)).toBe(120);
    expect(graphRetryDelay(error('timeout'), 2, true, options, low)).toBe(320);
    expect(graphRetryDelay(error('transient'), 3, true, options, high)).toBe(960);
    expect(graphRetryDelay(error('transient'), 4, true, options)).toBeUndefined();
  });

  it('honours Retry-After up to maxRetryAfterMs', () => {
    expect(graphRetryDelay(error('throttled', { retryAfterMs: 2_000 }), 0, true, options)).toBe(2_000);
    expect(graphRetryDelay(error('throttled', { retryAfterMs: 60_000 }), 0, true, options)).toBeUndefined();
  });

  it('never repeats a non-idempotent request, nor a client error', () => {
    for (const failure of [error('throttled'), error('transient', { status: 503 }), error('timeout')]) {
      expect(graphRetryDelay(failure, 0, false, options)).toBeUndefined();
    }
    expect(graphRetryDelay(error('transient', { status: 500 }), 0, true, options)).toBeUndefined();
    expect(graphRetryDelay(error('invalidInput', { status: 400 }), 0, true, options)).toBeUndefined();
  });
});
