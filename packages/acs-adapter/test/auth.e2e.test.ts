import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Call, IncomingCall } from '@switchboard/core';
import { phone } from '@switchboard/core';
import { TestTokenIssuer } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acsCallbackIssuer } from '../src/webhook/AcsWebhookAuth.js';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

const fixtures = new URL('../../../fixtures/microsoft/acs/', import.meta.url);

// The bot trusts the emulator's keys and those of `trusted` (so that tokens with chosen claims can be signed);
// `stranger` uses the same issuer name with a key nobody publishes.
let trusted: TestTokenIssuer;
let stranger: TestTokenIssuer;
let keyServer: Server;
let keysUrl: string;
let emulatorKeysUrl = '';
let stack: AcsStack;
let call: Call;
const incoming: IncomingCall[] = [];

beforeAll(async () => {
  trusted = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  stranger = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  keyServer = createServer((_request, response) => {
    void fetch(emulatorKeysUrl)
      .then((answer) => answer.json() as Promise<{ keys: unknown[] }>)
      .then((emulatorKeys) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [...emulatorKeys.keys, ...trusted.jwks.keys] }));
      });
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keysUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/calling/keys`;
  stack = await startAcsStack({
    keysUrl: (emulator) => {
      emulatorKeysUrl = emulator.keysUrl;
      return keysUrl;
    },
  });
  stack.client.incomingCalls$.subscribe((call) => incoming.push(call));
  const party = stack.emulator.network.party(phone('+14255550120'));
  call = await stack.client.placeCall({ to: party.identity, callerId: phone('+18005550100') });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  await quiet();
});

afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => keyServer?.close(() => resolve()));
});

// Waits until the emulator's own callbacks have stopped arriving, so that counts compare like with like.
async function quiet(): Promise<void> {
  let seen = -1;
  while (seen !== stack.emulator.deliveries.length) {
    seen = stack.emulator.deliveries.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function disconnectedBody(eventId: string): string {
  return JSON.stringify([
    {
      id: eventId,
      source: `calling/callConnections/${call.id}`,
      type: 'Microsoft.Communication.CallDisconnected',
      data: {
        version: '2025-06-15',
        resultInformation: { code: 200, subCode: 0, message: 'forged' },
        callConnectionId: call.id,
        serverCallId: call.snapshot().serverCallId ?? 'server-call',
        correlationId: call.snapshot().correlationId ?? 'correlation',
        publicEventType: 'Microsoft.Communication.CallDisconnected',
      },
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: `calling/callConnections/${call.id}`,
    },
  ]);
}

async function post(
  body: string,
  headers: Record<string, string>,
  query = '',
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.webhookUrl}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('ACS adapter: webhook authentication against the emulator', () => {
  it('accepts the emulator’s signed callbacks (the call connected through them)', () => {
    expect(call.state).toBe('connected');
    expect(
      stack.emulator.deliveries.some((delivery) =>
        delivery.types.includes('Microsoft.Communication.CallConnected'),
      ),
    ).toBe(true);
    expect(stack.emulator.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  it.each([
    ['no token', async () => ({}), /missing token/],
    [
      'a bad signature',
      async () => {
        const [header, , signature] = (await trusted.sign({ audience: stack.emulator.resourceId })).split(
          '.',
        );
        const claims = Buffer.from(
          JSON.stringify({
            iss: acsCallbackIssuer,
            aud: stack.emulator.resourceId,
            exp: Math.floor(Date.now() / 1000) + 300,
            sub: 'forged',
          }),
        ).toString('base64url');
        return { authorization: `Bearer ${header}.${claims}.${signature}` };
      },
      /bad signature/,
    ],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await trusted.sign({ audience: stack.emulator.resourceId, expiresInSeconds: -600 })}`,
      }),
      /expired/,
    ],
    [
      'a wrong issuer',
      async () => ({
        authorization: `Bearer ${await trusted.sign({ audience: stack.emulator.resourceId, issuer: 'https://attacker.example.com' })}`,
      }),
      /wrong issuer/,
    ],
    [
      'a wrong audience',
      async () => ({ authorization: `Bearer ${await trusted.sign({ audience: 'another-acs-resource' })}` }),
      /wrong audience/,
    ],
    [
      'an unknown key',
      async () => ({
        authorization: `Bearer ${await stranger.sign({ audience: stack.emulator.resourceId })}`,
      }),
      /unknown key/,
    ],
  ])('answers 401 to a callback with %s and dispatches nothing', async (name, headers, why) => {
    const eventId = `forged-${name.replace(/\W+/g, '-')}`;
    await quiet();
    const before = stack.events.length;
    const { status, text } = await post(disconnectedBody(eventId), await headers());
    expect(status).toBe(401);
    expect(text).toMatch(why);
    expect(stack.events.length).toBe(before);
    expect(stack.events.some((event) => event.eventId === eventId)).toBe(false);
    expect(call.state).toBe('connected');
  });

  it('answers 401 to an Event Grid delivery with a wrong secret, and offers no call', async () => {
    const body = readFileSync(new URL('IncomingCall__docs-eventgrid-acsuser.json', fixtures), 'utf8');
    await quiet();
    const before = stack.events.length;
    const wrong = await post(body, { 'aeg-event-type': 'Notification' }, '?secret=not-the-secret');
    expect(wrong.status).toBe(401);
    const none = await post(body, { 'aeg-event-type': 'Notification' });
    expect(none.status).toBe(401);
    expect(stack.events.length).toBe(before);
    expect(incoming).toHaveLength(0);
  });

  it('answers the Event Grid validation handshake with the secret, and refuses it without', async () => {
    await expect(
      stack.emulator.subscribeEventGrid(stack.webhookUrl, { secret: stack.eventGridSecret }),
    ).resolves.toBeUndefined();
    await expect(stack.emulator.subscribeEventGrid(stack.webhookUrl)).rejects.toThrow(/401/);
    await expect(
      stack.emulator.subscribeEventGrid(stack.webhookUrl, { secret: `${stack.eventGridSecret}x` }),
    ).rejects.toThrow(/401/);
    // The failed attempts left the subscription in place: a caller still reaches the bot.
    await stack.emulator.subscribeEventGrid(stack.webhookUrl, { secret: stack.eventGridSecret });
    await stack.emulator.network.dial(phone('+14255550121'));
    expect(incoming.map((offer) => offer.from.rawId)).toContain('4:+14255550121');
  });

  it('accepts a callback whose token the configured keys verify (the checks above are not vacuous)', async () => {
    const eventId = 'trusted-disconnect';
    const token = await trusted.sign({ audience: stack.emulator.resourceId });
    const { status } = await post(disconnectedBody(eventId), { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(stack.events.some((event) => event.eventId === eventId)).toBe(true);
    await call.ended;
    expect(call.state).toBe('disconnected');
  });
});
