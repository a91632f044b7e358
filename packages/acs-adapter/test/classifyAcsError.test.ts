import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallAutomationClient } from '@azure/communication-call-automation';
import { TelephonyError } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAcsError } from '../src/backend/classifyAcsError.js';

// A loopback server that answers every request with the status, headers and body named in the path, so the
// classifier sees the errors the real SDK raises for real HTTP answers.
let server: Server;
let port: number;
const accessKey = randomBytes(32).toString('base64');

const answers: Record<string, { status: number; headers?: Record<string, string>; body?: unknown }> = {
  notFound: { status: 404, body: { error: { code: '8522', message: 'Call not found.' } } },
  unauthorized: { status: 401, body: { error: { code: 'Unauthorized', message: 'Denied.' } } },
  forbidden: { status: 403, body: { error: { code: 'Forbidden', message: 'Not allowed.' } } },
  throttled: {
    status: 429,
    headers: { 'retry-after': '7' },
    body: { error: { code: 'TooManyRequests', message: 'Slow down.' } },
  },
  throttledDate: { status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' } },
  server: { status: 500, body: { error: { code: '8500', message: 'Internal error.' } } },
  unavailable: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Try later.' } } },
  badRequest: { status: 400, body: { error: { code: '8523', message: 'Invalid request.' } } },
  conflict: { status: 409, body: { error: { code: 'Conflict', message: 'Conflict.' } } },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const name = /callConnections\/([^/?]+)/.exec(request.url ?? '')?.[1] ?? '';
    const answer = answers[name] ?? { status: 500 };
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(target = port): CallAutomationClient {
  return new CallAutomationClient(`endpoint=http://127.0.0.1:${target}/;accesskey=${accessKey}`, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
}

async function failureOf(callId: string, target = port): Promise<TelephonyError> {
  try {
    await client(target).getCallConnection(callId).getCallConnectionProperties();
  } catch (error) {
    return classifyAcsError(error, { operation: 'getCall', callId });
  }
  throw new Error('the request unexpectedly succeeded');
}

describe('classifyAcsError', () => {
  it('classifies 404 as callNotFound and keeps the service code, status and cause', async () => {
    const error = await failureOf('notFound');
    expect(TelephonyError.is(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'callNotFound', status: 404, code: '8522', backend: 'acs' });
    expect(error.callId).toBe('notFound');
    expect(error.operation).toBe('getCall');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain('404');
    expect(error.isRetryable).toBe(false);
  });

  it('classifies 401 and 403 as unauthorized', async () => {
    expect(await failureOf('unauthorized')).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(await failureOf('forbidden')).toMatchObject({
      reason: 'unauthorized',
      status: 403,
      code: 'Forbidden',
    });
  });

  it('classifies 429 as throttled with retryAfterMs from Retry-After (seconds or a date)', async () => {
    const error = await failureOf('throttled');
    expect(error).toMatchObject({
      reason: 'throttled',
      status: 429,
      retryAfterMs: 7000,
      code: 'TooManyRequests',
    });
    expect(error.isRetryable).toBe(true);
    const dated = await failureOf('throttledDate');
    expect(dated.reason).toBe('throttled');
    expect(dated.retryAfterMs).toBeGreaterThan(1000 * 60 * 60 * 24 * 365);
  });

  it('classifies 5xx as transient', async () => {
    expect(await failureOf('server')).toMatchObject({ reason: 'transient', status: 500, code: '8500' });
    expect(await failureOf('unavailable')).toMatchObject({ reason: 'transient', status: 503 });
  });

  it('classifies 400 as invalidInput and other statuses as backend', async () => {
    expect(await failureOf('badRequest')).toMatchObject({
      reason: 'invalidInput',
      status: 400,
      code: '8523',
    });
    expect(await failureOf('conflict')).toMatchObject({ reason: 'backend', status: 409 });
  });

  it('classifies a network failure as transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failureOf('anything', closedPort);
    expect(error.reason).toBe('transient');
    expect(error.status).toBeUndefined();
    expect(error.isRetryable).toBe(true);
  });

  it('passes a TelephonyError through and wraps anything else as backend', () => {
    const original = new TelephonyError('invalidInput', 'bad tone');
    expect(classifyAcsError(original)).toBe(original);
    expect(classifyAcsError('callConnectionId is missing')).toMatchObject({
      reason: 'backend',
      backend: 'acs',
    });
    const aborted = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(classifyAcsError(aborted).reason).toBe('aborted');
  });
});
