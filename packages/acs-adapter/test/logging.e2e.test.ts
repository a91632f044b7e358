import { type Logger, phone, TelephonyError } from '@switchboard/core';
import { TestTokenIssuer } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acsCallbackIssuer } from '../src/webhook/AcsWebhookAuth.js';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// The logging audit: the adapter and the core write through the injected Logger, and never a token, key or
// secret, even when a request is refused or the service fails.

interface Entry {
  readonly level: keyof Logger;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

const entries: Entry[] = [];
const capture = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) =>
  entries.push({ level, message, ...(fields ? { fields } : {}) });
const logger: Logger = {
  debug: capture('debug'),
  info: capture('info'),
  warn: capture('warn'),
  error: capture('error'),
};

let stack: AcsStack;
let forgedToken = '';

beforeAll(async () => {
  stack = await startAcsStack({ logger, retry: { maxRetries: 1 } });
});

afterAll(async () => {
  await stack?.close();
});

describe('ACS adapter: logging through the injected logger', () => {
  it('logs refusals and failures, and never a token, access key or secret', async () => {
    const party = stack.emulator.network.party(phone('+14255550160'));
    const call = await stack.client.placeCall({ to: party.identity, callerId: phone('+18005550100') });
    await call.waitForState('connected', { timeoutMs: 5_000 });

    // A service failure.
    stack.emulator.failNext(
      { method: 'POST', pathIncludes: ':play' },
      { status: 500, body: { error: { code: '8500', message: 'Internal server error.' } } },
    );
    await expect(call.play({ kind: 'text', text: 'Hello' })).rejects.toBeInstanceOf(TelephonyError);

    // A callback signed by a key nobody publishes, and an Event Grid delivery with a wrong secret.
    const stranger = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
    forgedToken = await stranger.sign({ audience: stack.emulator.resourceId });
    const forged = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forgedToken}` },
      body: '[]',
    });
    expect(forged.status).toBe(401);
    const wrongSecret = await fetch(`${stack.webhookUrl}?secret=wrong-secret-value`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: '[]',
    });
    expect(wrongSecret.status).toBe(401);
    await call.hangUp();

    const messages = entries.map((entry) => entry.message);
    expect(messages).toContain('ACS request failed');
    expect(messages).toContain('webhook refused');
    expect(messages).toContain('answering the Event Grid subscription validation handshake');

    const logged = JSON.stringify(entries);
    const accessKey = /accesskey=([^;]+)/i.exec(stack.emulator.connectionString)?.[1] ?? '';
    expect(accessKey.length).toBeGreaterThan(10);
    for (const secret of [accessKey, stack.eventGridSecret, forgedToken, 'wrong-secret-value']) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    expect(logged).not.toMatch(/bearer /i);
    expect(logged).not.toMatch(/accesskey/i);
  });
});
