import { GraphError } from '@microsoft/microsoft-graph-client';
import { TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { classifyGraphError } from '../src/backend/classifyGraphError.js';

function graphError(status: number, code: string | null, message: string, headers?: Record<string, string>) {
  const error = new GraphError(status, message);
  error.code = code;
  if (headers) error.headers = new Headers(headers);
  return error;
}

describe('classifyGraphError', () => {
  it.each([
    [404, 'callNotFound'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [429, 'throttled'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [400, 'invalidInput'],
    [409, 'backend'],
  ] as const)('maps HTTP %i to %s and keeps the service code and message', (status, reason) => {
    const error = classifyGraphError(graphError(status, '8522', 'Call not found in service'), {
      operation: 'play',
      callId: 'call-1',
      operationId: 'op-1',
    });
    expect(TelephonyError.is(error)).toBe(true);
    expect(error.reason).toBe(reason);
    expect(error.status).toBe(status);
    expect(error.code).toBe('8522');
    expect(error.message).toContain('Call not found in service');
    expect(error.backend).toBe('graph');
    expect(error).toMatchObject({ operation: 'play', callId: 'call-1', operationId: 'op-1' });
    expect(error.isRetryable).toBe(reason === 'throttled' || reason === 'transient');
  });

  it('reads Retry-After seconds of a 429', () => {
    const error = classifyGraphError(graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '7' }));
    expect(error.reason).toBe('throttled');
    expect(error.retryAfterMs).toBe(7000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const error = classifyGraphError(
      graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }),
      {},
      now,
    );
    expect(error.retryAfterMs).toBe(3000);
  });

  it('leaves retryAfterMs unset without a Retry-After header', () => {
    expect(classifyGraphError(graphError(429, null, 'slow down')).retryAfterMs).toBeUndefined();
  });

  it('treats a request that never got an answer as transient', () => {
    const network = classifyGraphError(new GraphError(-1, 'fetch failed'));
    expect(network.reason).toBe('transient');
    expect(network.status).toBeUndefined();
    const thrown = classifyGraphError(new TypeError('fetch failed'));
    expect(thrown.reason).toBe('transient');
    expect(thrown.message).toContain('fetch failed');
  });

  it('passes a TelephonyError through unchanged', () => {
    const original = new TelephonyError('unauthorized', 'no token');
    expect(classifyGraphError(original)).toBe(original);
  });

  it('keeps the original error as the cause', () => {
    const original = graphError(500, 'InternalServerError', 'boom');
    expect(classifyGraphError(original).cause).toBe(original);
  });
});
