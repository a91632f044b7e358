import { readFileSync } from 'node:fs';
import type { Logger, WebhookRequest } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import { TestKeyServer, TestTokenIssuer } from '@switchboard/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { acsCallbackIssuer } from '../src/webhook/AcsWebhookAuth.js';
import { AcsWebhookHandler } from '../src/webhook/AcsWebhookHandler.js';

const fixtures = new URL('../../../fixtures/microsoft/acs/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

const resourceId = 'b2c1f5a6-1111-2222-3333-444455556666';
const secret = 'a-long-shared-secret-for-event-grid';
const entraIssuer = 'https://login.microsoftonline.com/tenant-1/v2.0';
const entraAudience = 'api://switchboard-bot';

let acs: TestTokenIssuer;
let acsKeys: TestKeyServer;
let stranger: TestTokenIssuer;
let entra: TestTokenIssuer;
let entraKeys: TestKeyServer;

beforeAll(async () => {
  acs = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  acsKeys = await TestKeyServer.start(acs);
  // Same issuer name, a key the key server does not publish.
  stranger = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  entra = await TestTokenIssuer.create({ issuer: entraIssuer });
  entraKeys = await TestKeyServer.start(entra);
});

afterAll(async () => {
  await acsKeys.close();
  await entraKeys.close();
});

function handler(eventGrid: { secret?: boolean; entra?: boolean } = { secret: true }): AcsWebhookHandler {
  return new AcsWebhookHandler({
    auth: {
      resourceId,
      keysUrl: acsKeys.jwksUrl,
      ...(eventGrid.secret ? { eventGridSecret: secret } : {}),
      ...(eventGrid.entra
        ? {
            eventGridEntra: {
              issuers: [entraIssuer],
              audiences: [entraAudience],
              keysUrl: entraKeys.jwksUrl,
            },
          }
        : {}),
    },
  });
}

function post(body: string, headers: Record<string, string> = {}, path = '/api/acs'): WebhookRequest {
  return { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body };
}

async function refusal(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    if (TelephonyError.is(error)) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('AcsWebhookHandler: Call Automation callbacks', () => {
  const body = fixture('CallConnected__java-dtmfActions.json');

  it('accepts a callback with a valid token and normalizes it', async () => {
    const token = await acs.sign({ audience: resourceId });
    const { response, events } = await handler().handleWebhook(
      post(body, { authorization: `Bearer ${token}` }),
    );
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'call.state',
      state: 'connected',
      callId: '01001680-f067-47fe-9dda-22ea50fbc6d5',
    });
  });

  it.each([
    ['no token', async () => ({})],
    ['a malformed header', async () => ({ authorization: 'Basic abc' })],
    [
      'a bad signature',
      async () => {
        const token = await acs.sign({ audience: resourceId });
        const [header, payload] = token.split('.');
        const forged = Buffer.from(
          JSON.stringify({ aud: resourceId, iss: acsCallbackIssuer, exp: 9e9 }),
        ).toString('base64url');
        expect(payload).not.toBe(forged);
        return { authorization: `Bearer ${header}.${forged}.${token.split('.')[2]}` };
      },
    ],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await acs.sign({ audience: resourceId, expiresInSeconds: -600 })}`,
      }),
    ],
    [
      'a wrong issuer',
      async () => ({
        authorization: `Bearer ${await acs.sign({ audience: resourceId, issuer: 'https://evil.example.com' })}`,
      }),
    ],
    [
      'a wrong audience',
      async () => ({ authorization: `Bearer ${await acs.sign({ audience: 'another-resource' })}` }),
    ],
    [
      'an unknown key',
      async () => ({ authorization: `Bearer ${await stranger.sign({ audience: resourceId })}` }),
    ],
    [
      'an unsigned token',
      async () => ({ authorization: `Bearer ${acs.signUnsecured({ audience: resourceId })}` }),
    ],
  ])('refuses a callback with %s', async (_name, headers) => {
    const error = await refusal(handler().handleWebhook(post(body, await headers())));
    expect(error.reason).toBe('unauthorized');
  });

  it('authenticates before parsing: garbage is unauthorized without a token and invalidPayload with one', async () => {
    expect((await refusal(handler().handleWebhook(post('{not json')))).reason).toBe('unauthorized');
    const token = await acs.sign({ audience: resourceId });
    const error = await refusal(
      handler().handleWebhook(post('{not json', { authorization: `Bearer ${token}` })),
    );
    expect(error.reason).toBe('invalidPayload');
    const notEvents = await refusal(
      handler().handleWebhook(post('42', { authorization: `Bearer ${token}` })),
    );
    expect(notEvents.reason).toBe('invalidPayload');
  });

  it('reads nothing of the body before the request is authenticated (issue 15, work before authentication)', async () => {
    // A body a framework already parsed, whose every read is counted: before the fix, the channel was
    // guessed from the body (an Event Grid eventType) before any token or secret was checked.
    let reads = 0;
    const watched = new Proxy([{ eventType: 'Microsoft.Communication.IncomingCall', data: {} }], {
      get(target, property, receiver) {
        reads++;
        return Reflect.get(target, property, receiver);
      },
    });
    for (const request of [
      { method: 'POST', path: '/api/acs', headers: {}, body: watched },
      {
        method: 'POST',
        path: '/api/acs?secret=guess',
        headers: { 'aeg-event-type': 'Notification' },
        body: watched,
      },
      { method: 'POST', path: '/api/acs', headers: { authorization: 'Bearer x.y.z' }, body: watched },
    ]) {
      expect((await refusal(handler().handleWebhook(request))).reason).toBe('unauthorized');
    }
    expect(reads).toBe(0);
  });

  it('does not let the Event Grid secret stand in for a callback token', async () => {
    const error = await refusal(handler().handleWebhook(post(body, {}, `/api/acs?secret=${secret}`)));
    expect(error.reason).toBe('unauthorized');
  });
});

describe('AcsWebhookHandler: Event Grid', () => {
  const validation = fixture('SubscriptionValidationEvent__docs-eventgrid-webhook.json');
  const incoming = fixture('IncomingCall__docs-eventgrid-acsuser.json');

  it('answers the SubscriptionValidation handshake when the secret is in the query', async () => {
    const { response, events } = await handler().handleWebhook(
      post(validation, { 'aeg-event-type': 'SubscriptionValidation' }, `/api/acs?secret=${secret}`),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({
      validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
    expect(events).toEqual([]);
  });

  it('refuses the handshake and deliveries without the secret or with a wrong one', async () => {
    const headers = { 'aeg-event-type': 'SubscriptionValidation' };
    expect((await refusal(handler().handleWebhook(post(validation, headers)))).reason).toBe('unauthorized');
    const wrong = await refusal(handler().handleWebhook(post(validation, headers, '/api/acs?secret=guess')));
    expect(wrong.reason).toBe('unauthorized');
    // An Event Grid-schema body without Event Grid's header still goes through Event Grid authentication.
    expect((await refusal(handler().handleWebhook(post(incoming)))).reason).toBe('unauthorized');
  });

  it('turns an authenticated IncomingCall into call.incoming (secret in the header)', async () => {
    const { response, events } = await handler().handleWebhook(
      post(incoming, { 'aeg-event-type': 'Notification', 'x-eventgrid-secret': secret }),
    );
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'call.incoming', from: { kind: 'acsUser' } });
  });

  it('accepts an Entra token when configured, and refuses everything when no Event Grid auth is configured', async () => {
    const token = await entra.sign({ audience: entraAudience });
    const entraOnly = handler({ entra: true });
    const { events } = await entraOnly.handleWebhook(
      post(incoming, { 'aeg-event-type': 'Notification', authorization: `Bearer ${token}` }),
    );
    expect(events[0]?.type).toBe('call.incoming');
    const wrongAudience = await entra.sign({ audience: 'api://other' });
    const refused = await refusal(
      entraOnly.handleWebhook(
        post(incoming, { 'aeg-event-type': 'Notification', authorization: `Bearer ${wrongAudience}` }),
      ),
    );
    expect(refused.reason).toBe('unauthorized');
    const none = await refusal(
      handler({}).handleWebhook(
        post(incoming, { 'aeg-event-type': 'Notification' }, `/api/acs?secret=${secret}`),
      ),
    );
    expect(none.reason).toBe('unauthorized');
  });

  it('answers the CloudEvents OPTIONS handshake with WebHook-Allowed-Origin', async () => {
    const { response, events } = await handler().handleWebhook({
      method: 'OPTIONS',
      path: `/api/acs?secret=${secret}`,
      headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
      body: undefined,
    });
    expect(response.status).toBe(200);
    expect(response.headers['webhook-allowed-origin']).toBe('eventgrid.azure.net');
    expect(events).toEqual([]);
  });
});

describe('AcsWebhookHandler: authentication off', () => {
  it('accepts unauthenticated requests and warns through the logger', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    };
    const open = new AcsWebhookHandler({ auth: 'off', logger });
    expect(warnings.join(' ')).toMatch(/authentication is off/);
    const { events } = await open.handleWebhook(post(fixture('CallConnected__java-dtmfActions.json')));
    expect(events[0]?.type).toBe('call.state');
  });

  it('refuses a configuration without a resource id', () => {
    expect(() => new AcsWebhookHandler({ auth: { resourceId: ' ' } })).toThrow(/resourceId/);
  });
});

describe('AcsBackend.handleWebhook: untrusted input', () => {
  const backends = (): AcsBackend[] =>
    (['off', { resourceId, keysUrl: acsKeys.jwksUrl, eventGridSecret: secret }] as const).map(
      (auth) =>
        new AcsBackend({
          connectionString: `endpoint=https://example.communication.azure.com/;accesskey=${Buffer.from('k').toString('base64')}`,
          callbackUrl: 'https://bot.example.com/api/acs',
          auth,
        }),
    );

  it('answers or rejects with a TelephonyError, whatever the body and headers', async () => {
    const all = backends();
    const json = fc.jsonValue().map((value) => JSON.stringify(value));
    const eventLike = fc.record({
      type: fc.oneof(fc.constant('Microsoft.Communication.CallConnected'), fc.string()),
      eventType: fc.oneof(fc.constant('Microsoft.EventGrid.SubscriptionValidationEvent'), fc.string()),
      data: fc.jsonValue(),
    });
    const body = fc.oneof(
      json,
      fc.string(),
      eventLike.map((e) => JSON.stringify([e])),
      fc.uint8Array(),
    );
    const headers = fc.record(
      {
        'aeg-event-type': fc.constantFrom('Notification', 'SubscriptionValidation'),
        authorization: fc.oneof(fc.string(), fc.constant('Bearer a.b.c')),
        'webhook-request-origin': fc.string(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'OPTIONS'),
        fc.oneof(
          fc.constant('/api/acs'),
          fc.string().map((q) => `/api/acs?${q}`),
        ),
        headers,
        body,
        async (method, path, headerValues, payload) => {
          for (const backend of all) {
            try {
              const { response } = await backend.handleWebhook({
                method,
                path,
                headers: headerValues,
                body: payload,
              });
              expect(response.status).toBe(200);
            } catch (error) {
              expect(TelephonyError.is(error)).toBe(true);
              expect(['invalidPayload', 'unauthorized']).toContain((error as TelephonyError).reason);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
