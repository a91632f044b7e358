import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { phone, TelephonyError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';

// A service that takes requests and never answers: every attempt ends by the adapter's timeout.
let server: Server | undefined;
const seen: string[] = [];

async function silentService(): Promise<string> {
  seen.length = 0;
  server = createServer((request) => {
    seen.push(`${request.method} ${request.url?.split('?')[0]}`);
    request.resume();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `endpoint=http://127.0.0.1:${port}/;accesskey=${Buffer.from('key').toString('base64')}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function backend(connectionString: string): AcsBackend {
  return new AcsBackend({
    connectionString,
    callbackUrl: 'http://127.0.0.1:9/api/acs',
    allowInsecureConnection: true,
    callerId: '+18005550100',
    auth: 'off',
    retry: { requestTimeoutMs: 200, maxRetries: 1, retryDelayMs: 10, maxRetryDelayMs: 20 },
  });
}

describe('ACS request timeouts', () => {
  it('times out a repeatable request, repeats it once, then rejects with a retryable timeout', async () => {
    const acs = backend(await silentService());
    const error = await acs
      .placeCall({ targets: [phone('+14255550100')], operationId: 'op-1' })
      .catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'timeout')).toBe(true);
    expect((error as TelephonyError).isRetryable).toBe(true);
    expect(seen.filter((line) => line.startsWith('POST /calling/callConnections'))).toHaveLength(2);
    await acs.close();
  });

  it('times out play (not repeatable) once, without repeating it', async () => {
    const acs = backend(await silentService());
    const error = await acs
      .execute({
        callId: 'call-1',
        operationId: 'op-2',
        operation: { kind: 'play', sources: [{ kind: 'text', text: 'hello' }] },
        call: { id: 'call-1', direction: 'outbound', state: 'connected', participants: [] },
      })
      .catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'timeout')).toBe(true);
    expect(seen).toHaveLength(1);
    await acs.close();
  });
});
