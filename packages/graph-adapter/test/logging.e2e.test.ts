import { type Call, createTelephonyClient, type Logger, phone, TelephonyError } from '@switchboard/core';
import { GraphEmulator, startWebhookServer, TestTokenIssuer, type WebhookServer } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';

// The logging audit: the Graph adapter and the core write through the injected Logger, and never the app
// secret, an access token or a notification token, even when requests are refused or the service fails.

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

let emulator: GraphEmulator;
let webhook: WebhookServer;
let client: ReturnType<typeof createTelephonyClient>;

beforeAll(async () => {
  emulator = await GraphEmulator.start({ promptDurationMs: 20 });
  webhook = await startWebhookServer();
  const backend = new GraphBackend({
    tenantId: emulator.tenantId,
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    callbackUrl: webhook.url,
    authority: emulator.authority,
    graphBaseUrl: emulator.baseUrl,
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    notificationIssuers: [emulator.notificationIssuer],
    tls: { ca: emulator.caCertificatePem },
    logger,
  });
  client = createTelephonyClient(backend, { logger });
  webhook.mount(client.nodeHandler);
  emulator.setBotNotificationUrl(webhook.url);
});

afterAll(async () => {
  await client?.close();
  await webhook?.close();
  await emulator?.close();
});

describe('Graph adapter: logging through the injected logger', () => {
  it('logs refusals and failures, and never the app secret or a token', async () => {
    const answered = new Promise<Call>((resolve) => {
      client.incomingCalls$.subscribe((incoming) => void incoming.answer().then(resolve));
    });
    await emulator.network.dial(phone('+14255550161'));
    const call = await answered;
    await call.waitForState('connected', { timeoutMs: 5_000 });

    // Service failures: an outage answered to every repeat of a request.
    emulator.failNext(
      { method: 'POST', pathIncludes: 'playPrompt' },
      { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Try again later.' } } },
      10,
    );
    await expect(
      call.play({ kind: 'file', url: 'https://contoso.example/hello.wav' }),
    ).rejects.toBeInstanceOf(TelephonyError);

    // A notification signed by a stranger.
    const stranger = await TestTokenIssuer.create({ issuer: emulator.notificationIssuer });
    const forgedToken = await stranger.sign({ audience: emulator.appId });
    const forged = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forgedToken}` },
      body: JSON.stringify({ value: [] }),
    });
    expect(forged.status).toBe(401);
    // An idempotent request is repeated after a 503, and says so.
    emulator.failNext({ method: 'DELETE' }, { status: 503, headers: { 'retry-after': '0' } });
    await call.hangUp();

    const messages = entries.map((entry) => entry.message);
    expect(messages).toContain('webhook refused');
    expect(messages).toContain('Graph request failed');
    expect(messages).toContain('repeating a Graph request');

    const logged = JSON.stringify(entries);
    expect(emulator.appSecret.length).toBeGreaterThan(10);
    for (const secret of [emulator.appSecret, forgedToken]) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    expect(logged).not.toMatch(/bearer /i);
    expect(logged).not.toMatch(/client_secret/i);
  });
});
