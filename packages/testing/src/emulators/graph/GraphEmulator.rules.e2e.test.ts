import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { phone } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphEmulator } from './GraphEmulator.js';

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Json;
}

/** What Graph refuses and what it sends, by its documentation (GraphCallRules.ts), over plain loopback https. */
describe('GraphEmulator follows the Graph docs', () => {
  let graph: GraphEmulator;
  let lenient: GraphEmulator;
  let agent: https.Agent;
  let receiver: http.Server;
  let callbackUri: string;
  const notified: Json[] = [];
  const tokens = new Map<GraphEmulator, string>();
  let user = 0;

  function request(url: string, init: { method?: string; headers?: Json; body?: string } = {}) {
    return new Promise<Answer>((resolve, reject) => {
      const req = https.request(
        url,
        { method: init.method ?? 'GET', headers: init.headers as http.OutgoingHttpHeaders, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? JSON.parse(text) : {},
            });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  }

  async function token(emulator: GraphEmulator): Promise<string> {
    const known = tokens.get(emulator);
    if (known) return known;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.appId,
      client_secret: emulator.appSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString();
    const answer = await request(`${emulator.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const accessToken = answer.body.access_token as string;
    tokens.set(emulator, accessToken);
    return accessToken;
  }

  async function post(path: string, body: Json = {}, emulator = graph): Promise<Answer> {
    return request(`${emulator.baseUrl}/v1.0/communications/calls${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(emulator)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  const userTarget = (id: string) => ({
    '@odata.type': '#microsoft.graph.invitationParticipantInfo',
    identity: { user: { id } },
  });
  const nextUser = () => `6e6e0000-0000-0000-0000-${String(++user).padStart(12, '0')}`;
  const createBody = (targets: Json[], extra: Json = {}) => ({
    callbackUri,
    targets,
    requestedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    ...extra,
  });

  async function waitForRoster(callId: string): Promise<Json[]> {
    for (let i = 0; i < 500; i++) {
      const roster = notified.find((n) => n.resourceUrl === `/communications/calls/${callId}/participants`);
      if (roster) return roster.resourceData as Json[];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no roster for ${callId}`);
  }

  /** An established call the bot placed to `count` users: one-to-one for one, a group call for more. */
  async function establishedCall(count: number, emulator = graph): Promise<{ id: string; roster: Json[] }> {
    const answer = await post(
      '',
      createBody(Array.from({ length: count }, () => userTarget(nextUser()))),
      emulator,
    );
    expect(answer.status).toBe(201);
    const id = answer.body.id as string;
    return { id, roster: await waitForRoster(id) };
  }

  const firstParty = (roster: Json[]) =>
    roster.find((p) => !('application' in ((p.info as Json).identity as Json)))?.id as string;

  beforeAll(async () => {
    graph = await GraphEmulator.start({ promptDurationMs: 10 });
    lenient = await GraphEmulator.start({ promptDurationMs: 10, lenientOneToOneCalls: true });
    agent = new https.Agent({ ca: [graph.caCertificatePem, lenient.caCertificatePem] });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: Json[] };
        notified.push(...body.value);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callbackUri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
  });

  afterAll(async () => {
    await graph?.close();
    await lenient?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    agent?.destroy();
  });

  it('refuses invite on a one-to-one call (400) and takes it on a group call, with a Location', async () => {
    const oneToOne = await establishedCall(1);
    const refused = await post(`/${oneToOne.id}/participants/invite`, {
      participants: [userTarget(nextUser())],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining('only supported for group calls') },
    });

    const group = await establishedCall(2);
    const invited = await post(`/${group.id}/participants/invite`, {
      participants: [userTarget(nextUser())],
    });
    expect(invited.status).toBe(200);
    expect(invited.headers.location).toBe(
      `${graph.baseUrl}/v1.0/communications/calls/${group.id}/operations/${invited.body.id as string}`,
    );
  });

  it('refuses participant mute and the bot muting itself on a one-to-one call, not on a group call', async () => {
    const oneToOne = await establishedCall(1);
    const party = firstParty(oneToOne.roster);
    expect((await post(`/${oneToOne.id}/participants/${party}/mute`)).status).toBe(400);
    expect((await post(`/${oneToOne.id}/mute`)).status).toBe(400);
    expect((await post(`/${oneToOne.id}/unmute`)).status).toBe(400);

    const group = await establishedCall(2);
    for (const path of [`/participants/${firstParty(group.roster)}/mute`, '/mute', '/unmute']) {
      const answer = await post(`/${group.id}${path}`, { clientContext: 'c' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'completed', clientContext: 'c' });
      expect(answer.headers.location).toContain(`/communications/calls/${group.id}/operations/`);
    }
  });

  it('takes them on a one-to-one call when started lenient', async () => {
    const oneToOne = await establishedCall(1, lenient);
    expect((await post(`/${oneToOne.id}/mute`, {}, lenient)).status).toBe(200);
    const invited = await post(
      `/${oneToOne.id}/participants/invite`,
      { participants: [userTarget(nextUser())] },
      lenient,
    );
    expect(invited.status).toBe(200);
  });

  it('answers completed operations with their Location (subscribeToTone, cancelMediaProcessing)', async () => {
    const call = await establishedCall(1);
    for (const action of ['subscribeToTone', 'cancelMediaProcessing']) {
      const answer = await post(`/${call.id}/${action}`, { clientContext: action });
      expect(answer.status).toBe(200);
      expect(answer.headers.location).toBe(
        `${graph.baseUrl}/v1.0/communications/calls/${call.id}/operations/${answer.body.id as string}`,
      );
    }
  });

  it('refuses more than 5 invitees at once and a group call of more than 350', async () => {
    const group = await establishedCall(2);
    const six = Array.from({ length: 6 }, () => userTarget(nextUser()));
    const tooMany = await post(`/${group.id}/participants/invite`, { participants: six });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: 'BadRequest' } });

    const crowd = Array.from({ length: 351 }, () => userTarget(nextUser()));
    const created = await post('', createBody(crowd));
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: { message: expect.stringContaining('350') } });
  });

  it('sends a one-to-one call state notifications only when asked (peerToPeerStateOnly)', async () => {
    graph.quirks.set({ peerToPeerStateOnly: true });
    try {
      const answer = await post('', createBody([userTarget(nextUser())]));
      const id = answer.body.id as string;
      const forCall = () =>
        notified.filter((n) => (n.resourceUrl as string).startsWith(`/communications/calls/${id}`));
      for (
        let i = 0;
        i < 500 && !forCall().some((n) => (n.resourceData as Json).state === 'established');
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await graph.idle();
      expect(forCall().map((n) => (n.resourceData as Json).state)).toEqual(['establishing', 'established']);
      expect(forCall().every((n) => n.resourceUrl === `/communications/calls/${id}`)).toBe(true);
      // A group call still gets its roster.
      expect((await establishedCall(2)).roster.length).toBeGreaterThanOrEqual(2);
    } finally {
      graph.quirks.set({ peerToPeerStateOnly: false });
    }
  });

  it('ends a recordResponse failed 408/8510 after the initial silence, and 8508 when canceled', async () => {
    const call = await establishedCall(1);
    const ended = async (operationId: string): Promise<Json> => {
      const url = `/communications/calls/${call.id}/operations/${operationId}`;
      for (let i = 0; i < 500; i++) {
        const found = notified.find((n) => n.resourceUrl === url);
        if (found) return found.resourceData as Json;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`operation ${operationId} did not end`);
    };
    const silent = await post(`/${call.id}/recordResponse`, { initialSilenceTimeoutInSeconds: 1 });
    expect(await ended(silent.body.id as string)).toMatchObject({
      '@odata.type': '#microsoft.graph.recordOperation',
      status: 'failed',
      resultInfo: { code: 408, subcode: 8510 },
    });
    const canceled = await post(`/${call.id}/recordResponse`, {
      prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/beep.wav' } }],
    });
    await post(`/${call.id}/cancelMediaProcessing`);
    expect(await ended(canceled.body.id as string)).toMatchObject({
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508 },
      completionReason: 'mediaOperationCanceled',
    });
  });

  it('refuses an http callbackUri off loopback, on create and on answer', async () => {
    const created = await post('', {
      ...createBody([userTarget(nextUser())]),
      callbackUri: 'http://bot.contoso.com/cb',
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining('https') },
    });

    graph.setBotNotificationUrl(callbackUri);
    const caller = await graph.network.dial(phone('+14255550190'));
    const callId = caller.callId as string;
    const answer = await post(`/${callId}/answer`, {
      callbackUri: 'http://bot.contoso.com/cb',
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    expect(answer.status).toBe(400);
    const accepted = await post(`/${callId}/answer`, {
      callbackUri: 'https://127.0.0.1:1/cb',
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    expect(accepted.status).toBe(202);
  });
});
