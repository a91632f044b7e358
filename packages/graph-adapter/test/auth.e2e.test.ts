import { readFile } from 'node:fs/promises';
import {
  createTelephonyClient,
  type IncomingCall,
  type Logger,
  type TelephonyEvent,
} from '@switchboard/core';
import {
  startWebhookServer,
  TestKeyServer,
  TestTokenIssuer,
  type TestTokenOptions,
  type WebhookServer,
} from '@switchboard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';

const fixtures = new URL('../../../fixtures/microsoft/graph/', import.meta.url);
const appId = '2891555a-92ff-42e6-80fa-6e1300c6b5c6';
const tenantId = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const issuerUrl = 'https://api.botframework.com';

describe('Graph notification authentication', () => {
  let issuer: TestTokenIssuer;
  let keys: TestKeyServer;
  let webhook: WebhookServer;
  let client: ReturnType<typeof createTelephonyClient>;
  let body: string;
  const events: TelephonyEvent[] = [];
  const incoming: IncomingCall[] = [];

  beforeAll(async () => {
    body = await readFile(new URL('call-incoming-p2p-typed__v1-call-answer-ex2.json', fixtures), 'utf8');
    issuer = await TestTokenIssuer.create({ issuer: issuerUrl });
    keys = await TestKeyServer.start(issuer);
    webhook = await startWebhookServer();
    // Graph itself is never called here: only notifications reach the bot.
    const backend = new GraphBackend({
      tenantId,
      appId,
      appSecret: 'unused',
      callbackUrl: webhook.url,
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
    });
    client = createTelephonyClient(backend);
    client.events$.subscribe((event) => events.push(event));
    client.incomingCalls$.subscribe((call) => incoming.push(call));
    webhook.mount(client.nodeHandler);
  });

  afterAll(async () => {
    await client.close();
    await webhook.close();
    await keys.close();
  });

  beforeEach(() => {
    events.length = 0;
    incoming.length = 0;
  });

  const valid: TestTokenOptions = { audience: appId, claims: { tid: tenantId } };

  // Each request announces a new call: the client ignores a notification it has already seen.
  const freshCall = () => body.replaceAll('57DAB8B1894C409AB240BD8BEAE78896', crypto.randomUUID());

  async function post(authorization: string | undefined, content: string = freshCall()) {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: content,
    });
    return { status: response.status, text: await response.text() };
  }

  it('accepts a valid token and emits the incoming call', async () => {
    const { status } = await post(`Bearer ${await issuer.sign(valid)}`);
    expect(status).toBe(202);
    expect(events.map((event) => event.type)).toEqual(['call.incoming', 'call.capabilities']);
    expect(incoming).toHaveLength(1);
    expect(incoming[0]?.from.rawId).toBe('8:orgid:8A34A46B-3D17-4ADC-8DCE-DC4E7D572698');
  });

  it('accepts a token whose header carries cty: "JWT"', async () => {
    const token = await issuer.sign({ ...valid, header: { cty: 'JWT' } });
    expect((await post(`Bearer ${token}`)).status).toBe(202);
    expect(incoming).toHaveLength(1);
  });

  it('accepts the second documented issuer, https://graph.microsoft.com', async () => {
    const token = await issuer.sign({ ...valid, issuer: 'https://graph.microsoft.com' });
    expect((await post(`Bearer ${token}`)).status).toBe(202);
    expect(incoming).toHaveLength(1);
  });

  const rejected: [string, () => Promise<string | undefined>][] = [
    ['a missing token', async () => undefined],
    ['a header that is not a bearer token', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    [
      'a bad signature',
      async () => {
        // Same key id, different key: the signature does not verify against the published key.
        const forger = await TestTokenIssuer.create({ issuer: issuerUrl, keyId: issuer.keyId });
        return `Bearer ${await forger.sign(valid)}`;
      },
    ],
    ['an expired token', async () => `Bearer ${await issuer.sign({ ...valid, expiresInSeconds: -600 })}`],
    [
      'a wrong issuer',
      async () => `Bearer ${await issuer.sign({ ...valid, issuer: 'https://login.evil.example.com' })}`,
    ],
    ['a wrong audience', async () => `Bearer ${await issuer.sign({ ...valid, audience: 'another-app' })}`],
    [
      'a missing tenant claim',
      async () => `Bearer ${await issuer.sign({ ...valid, claims: { tid: undefined } })}`,
    ],
    ['an unsigned token (alg none)', async () => `Bearer ${issuer.signUnsecured(valid)}`],
    [
      'an HS256 token keyed with the public key',
      async () => `Bearer ${await issuer.signHs256WithPublicKey(valid)}`,
    ],
  ];

  it.each(rejected)('answers 401 and emits nothing for %s', async (_case, authorization) => {
    const { status, text } = await post(await authorization());
    expect(status).toBe(401);
    expect(text).not.toContain('eyJ');
    expect(events).toEqual([]);
    expect(incoming).toEqual([]);
  });

  it('answers 401 for a genuine token of another tenant, and accepts its own tenant in any case', async () => {
    const foreign = await issuer.sign({ ...valid, claims: { tid: crypto.randomUUID() } });
    expect((await post(`Bearer ${foreign}`)).status).toBe(401);
    expect(events).toEqual([]);
    const upper = await issuer.sign({ ...valid, claims: { tid: tenantId.toUpperCase() } });
    expect((await post(`Bearer ${upper}`)).status).toBe(202);
    expect(incoming).toHaveLength(1);
  });

  it.each([
    ['a listed tenant', ['11111111-2222-3333-4444-555555555555'], 202],
    ['any tenant with "*"', '*' as const, 202],
    ['an unlisted tenant', ['99999999-2222-3333-4444-555555555555'], 401],
  ] as const)('with acceptedTenants, answers %s', async (_case, acceptedTenants, status) => {
    const server = await startWebhookServer();
    const backend = new GraphBackend({
      tenantId,
      appId,
      appSecret: 'unused',
      callbackUrl: server.url,
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
      acceptedTenants,
    });
    const other = createTelephonyClient(backend);
    server.mount(other.nodeHandler);
    try {
      const token = await issuer.sign({ ...valid, claims: { tid: '11111111-2222-3333-4444-555555555555' } });
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: freshCall(),
      });
      expect(response.status).toBe(status);
    } finally {
      await other.close();
      await server.close();
    }
  });

  it('checks the token before reading the body: an unauthenticated garbage body is 401, not 400', async () => {
    expect((await post(undefined, '{"value": not json')).status).toBe(401);
    expect(events).toEqual([]);
  });

  it('answers 400 for an authenticated body that is not a notification', async () => {
    expect((await post(`Bearer ${await issuer.sign(valid)}`, '{"value": not json')).status).toBe(400);
    expect(events).toEqual([]);
  });
});

describe('Graph notification authentication turned off', () => {
  it('accepts unsigned notifications only when auth is explicitly off, with a warning', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    };
    const webhook = await startWebhookServer();
    const backend = new GraphBackend({
      tenantId,
      appId,
      appSecret: 'unused',
      callbackUrl: webhook.url,
      auth: 'off',
      logger,
    });
    const client = createTelephonyClient(backend);
    webhook.mount(client.nodeHandler);
    const seen: TelephonyEvent[] = [];
    client.events$.subscribe((event) => seen.push(event));
    try {
      expect(warnings.some((warning) => /authentication is OFF/.test(warning))).toBe(true);
      const body = await readFile(
        new URL('call-incoming-p2p-typed__v1-call-answer-ex2.json', fixtures),
        'utf8',
      );
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(202);
      expect(seen.map((event) => event.type)).toEqual(['call.incoming', 'call.capabilities']);
    } finally {
      await client.close();
      await webhook.close();
    }
  });
});
