import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { Client, type GraphError } from '@microsoft/microsoft-graph-client';
import { phone, teamsUser } from '@switchboard/core';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphEmulator } from './GraphEmulator.js';

type Json = Record<string, unknown>;

/** A received notification POST: the body, and whether its bearer token verified. */
interface Received {
  readonly path: string;
  readonly notification: Json & { changeType: string; resourceUrl: string; resourceData: unknown };
  readonly verified: boolean;
}

/** A plain https request trusting only the test CA; returns status, headers and text. */
function httpsRequest(
  agent: https.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers[name] = value;
            else if (Array.isArray(value)) headers[name] = value.join(', ');
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** A fetch over `node:https` with the test CA, for the Graph client (which calls the global fetch). */
function fetchTrusting(agent: https.Agent): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = ['GET', 'HEAD'].includes(request.method)
      ? undefined
      : Buffer.from(await request.arrayBuffer());
    const answer = await httpsRequest(agent, request.url, {
      method: request.method,
      headers,
      ...(body ? { body } : {}),
    });
    const empty = answer.status === 204 || answer.status === 304 || answer.body.length === 0;
    return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
}

/** MSAL's network client over `node:https` with the test CA. */
function msalNetwork(agent: https.Agent): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const answer = await httpsRequest(agent, url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    return {
      status: answer.status,
      headers: answer.headers,
      body: JSON.parse(answer.body.toString('utf8')) as T,
    };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

describe('GraphEmulator (real MSAL and Graph clients over loopback https)', () => {
  let graph: GraphEmulator;
  let agent: https.Agent;
  let receiver: http.Server;
  let receiverUrl: string;
  let keySet: ReturnType<typeof createLocalJWKSet>;
  const received: Received[] = [];
  let client: Client;
  let msal: ConfidentialClientApplication;

  async function verify(header: string | undefined): Promise<boolean> {
    if (!header?.startsWith('Bearer ')) return false;
    try {
      const { payload } = await jwtVerify(header.slice(7), keySet, {
        issuer: graph.notificationIssuer,
        audience: graph.appId,
        algorithms: ['RS256'],
      });
      return payload.tid === graph.tenantId;
    } catch {
      return false;
    }
  }

  /** Resolves with the first notification (already received or later) that matches. */
  async function waitFor(match: (r: Received) => boolean, timeoutMs = 5_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('notification not received in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const forCall = (callId: string) => received.filter((r) => r.notification.resourceUrl.includes(callId));
  const callData = (r: Received) => r.notification.resourceData as Json;

  async function placeCallTo(targetUserId: string, extra: Json = {}): Promise<Json> {
    return (await client.api('/communications/calls').post({
      '@odata.type': '#microsoft.graph.call',
      callbackUri: `${receiverUrl}/callback`,
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: { user: { id: targetUserId, displayName: 'Alex' } },
        },
      ],
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      ...extra,
    })) as Json;
  }

  async function establishedCall(userId: string): Promise<string> {
    const call = await placeCallTo(userId);
    const callId = call.id as string;
    await waitFor((r) => r.notification.resourceUrl === `/communications/calls/${callId}/participants`);
    return callId;
  }

  beforeAll(async () => {
    graph = await GraphEmulator.start({ promptDurationMs: 20 });
    agent = new https.Agent({ ca: graph.caCertificatePem });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void verify(req.headers.authorization).then((verified) => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            value: Received['notification'][];
          };
          for (const notification of body.value)
            received.push({ path: req.url ?? '', notification, verified });
          res.writeHead(202).end();
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    graph.setBotNotificationUrl(`${receiverUrl}/incoming`);

    // The bot's side of notification auth: keys found through the emulator's OpenID document.
    const openId = JSON.parse(
      (await httpsRequest(agent, graph.openIdConfigurationUrl)).body.toString(),
    ) as Json;
    const jwks = JSON.parse(
      (await httpsRequest(agent, openId.jwks_uri as string)).body.toString(),
    ) as JSONWebKeySet;
    expect(openId.issuer).toBe('https://api.botframework.com');
    keySet = createLocalJWKSet(jwks);

    const authorityHost = new URL(graph.baseUrl).host;
    msal = new ConfidentialClientApplication({
      auth: {
        clientId: graph.appId,
        clientSecret: graph.appSecret,
        authority: graph.authority,
        knownAuthorities: [authorityHost],
      },
      system: { networkClient: msalNetwork(agent) },
    });
    vi.stubGlobal('fetch', fetchTrusting(agent));
    client = Client.init({
      baseUrl: graph.baseUrl,
      customHosts: new Set(['localhost']),
      defaultVersion: 'v1.0',
      authProvider: (done) => {
        msal
          .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
          .then((result) => done(null, result?.accessToken ?? null))
          .catch((error: unknown) => done(error, null));
      },
    });
  });

  afterEach(() => {
    expect(received.every((r) => r.verified)).toBe(true);
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await graph?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    agent?.destroy();
  });

  it('issues an access token to MSAL for the app id and secret, and refuses a wrong secret', async () => {
    const result = await msal.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.accessToken).toMatch(/^ey/);

    const wrong = new ConfidentialClientApplication({
      auth: {
        clientId: graph.appId,
        clientSecret: 'not-the-secret',
        authority: graph.authority,
        knownAuthorities: [new URL(graph.baseUrl).host],
      },
      system: { networkClient: msalNetwork(agent) },
    });
    await expect(
      wrong.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('answers 401 with Graph error body without a valid bearer token', async () => {
    const missing = await httpsRequest(agent, `${graph.baseUrl}/v1.0/communications/calls/abc`);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body.toString())).toMatchObject({
      error: { code: 'InvalidAuthenticationToken' },
    });

    const forged = await httpsRequest(agent, `${graph.baseUrl}/v1.0/communications/calls/abc`, {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhcHBpZCI6IngifQ.' },
    });
    expect(forged.status).toBe(401);
  });

  it('answers 404 itemNotFound for an unknown call and 400 for an invalid create', async () => {
    await expect(client.api('/communications/calls/does-not-exist').get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'itemNotFound',
    } satisfies Partial<GraphError>);
    await expect(
      client.api('/communications/calls').post({ requestedModalities: ['audio'], targets: [] }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });

  it('creates a call that the party answers: establishing, established, then the roster', async () => {
    const alex = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000001'));
    const call = await placeCallTo('7f7a0000-0000-0000-0000-000000000001');
    expect(call).toMatchObject({ state: 'establishing', direction: 'outgoing', tenantId: graph.tenantId });
    const callId = call.id as string;

    const roster = await waitFor(
      (r) => r.notification.resourceUrl === `/communications/calls/${callId}/participants`,
    );
    const states = forCall(callId)
      .filter((r) => r.notification.resourceUrl === `/communications/calls/${callId}`)
      .map((r) => callData(r).state);
    expect(states).toEqual(['establishing', 'established']);
    expect(received.every((r) => r.path === '/callback' || r.path === '/incoming')).toBe(true);
    const participants = roster.notification.resourceData as Json[];
    expect(
      participants.map((p) =>
        Object.keys((p.info as Json).identity as Json).filter((k) => !k.startsWith('@')),
      ),
    ).toEqual([['application'], ['user']]);
    expect(alex.inCall).toBe(true);
    expect(alex.callId).toBe(callId);

    expect(await client.api(`/communications/calls/${callId}`).get()).toMatchObject({ state: 'established' });
    const list = (await client.api(`/communications/calls/${callId}/participants`).get()) as {
      value: Json[];
    };
    expect(list.value).toHaveLength(2);
  });

  it('plays a prompt: running at once, the party hears the file, then a deleted operation notification', async () => {
    const alex = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000002'));
    const callId = await establishedCall('7f7a0000-0000-0000-0000-000000000002');
    const operation = (await client.api(`/communications/calls/${callId}/playPrompt`).post({
      clientContext: 'play-ctx-1',
      prompts: [
        {
          '@odata.type': '#microsoft.graph.mediaPrompt',
          mediaInfo: {
            '@odata.type': '#microsoft.graph.mediaInfo',
            uri: 'https://cdn.contoso.com/welcome.wav',
          },
        },
      ],
    })) as Json;
    expect(operation).toMatchObject({ status: 'running', clientContext: 'play-ctx-1' });
    await alex.waitToHear('welcome.wav');

    const done = await waitFor(
      (r) =>
        r.notification.resourceUrl === `/communications/calls/${callId}/operations/${operation.id as string}`,
    );
    expect(done.notification.changeType).toBe('deleted');
    expect(done.notification.resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.playPromptOperation',
      status: 'completed',
      clientContext: 'play-ctx-1',
      resultInfo: { code: 200 },
    });
  });

  it('delivers tones only after subscribeToTone, as toneInfo updates', async () => {
    const alex = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000003'));
    const callId = await establishedCall('7f7a0000-0000-0000-0000-000000000003');
    await alex.pressDigits('9');
    const subscribed = (await client
      .api(`/communications/calls/${callId}/subscribeToTone`)
      .post({ clientContext: 'tones' })) as Json;
    expect(subscribed).toMatchObject({ status: 'completed', clientContext: 'tones' });

    await alex.pressDigits('1#');
    const tones = forCall(callId)
      .map((r) => callData(r).toneInfo as Json | undefined)
      .filter((t) => t !== undefined);
    expect(tones).toMatchObject([
      { sequenceId: 1, tone: 'tone1' },
      { sequenceId: 2, tone: 'pound' },
    ]);
  });

  it('offers an incoming call, answers it with a delta roster, and ends it when the caller hangs up', async () => {
    const caller = await graph.network.dial(phone('+14255550100'), { displayName: 'Pat' });
    const offer = await waitFor((r) => r.notification.changeType === 'created');
    expect(offer.path).toBe('/incoming');
    const data = callData(offer);
    expect(data).toMatchObject({ state: 'incoming', direction: 'incoming' });
    expect((data.source as Json).identity).toMatchObject({
      phone: { id: '+14255550100', displayName: 'Pat' },
    });
    const callId = data.id as string;
    expect(caller.callId).toBe(callId);

    await client.api(`/communications/calls/${callId}/answer`).post({
      callbackUri: `${receiverUrl}/callback`,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      callOptions: { '@odata.type': '#microsoft.graph.incomingCallOptions', isDeltaRosterEnabled: true },
    });
    const roster = await waitFor(
      (r) => r.notification.resourceUrl === `/communications/calls/${callId}/participants`,
    );
    expect(roster.notification.resourceData).toMatchObject([
      { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber: 1 },
    ]);

    // v1 call-keepalive: no request body; one is refused.
    await expect(client.api(`/communications/calls/${callId}/keepAlive`).post({})).rejects.toMatchObject({
      statusCode: 400,
    });
    await client.api(`/communications/calls/${callId}/keepAlive`).post(undefined);
    await caller.hangUp();
    const gone = await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${callId}`,
    );
    expect(callData(gone)).toMatchObject({ state: 'terminated', resultInfo: { code: 0 } });
    const states = forCall(callId)
      .filter((r) => r.notification.resourceUrl === `/communications/calls/${callId}`)
      .map((r) => `${r.notification.changeType}:${String(callData(r).state)}`);
    expect(states).toEqual([
      'created:incoming',
      'updated:establishing',
      'updated:established',
      'updated:terminated',
      'deleted:terminated',
    ]);
    await expect(
      client.api(`/communications/calls/${callId}/keepAlive`).post(undefined),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(graph.requests.filter((r) => r.path.endsWith(`${callId}/keepAlive`))).toHaveLength(3);
  });

  it('transfers: transferring, transferAccepted, then terminated with 7015; a declined transfer returns with 7000', async () => {
    graph.network.party(phone('+14255550111'), { declines: true });
    const callId = await establishedCall('7f7a0000-0000-0000-0000-000000000004');
    await client.api(`/communications/calls/${callId}/transfer`).post({
      transferTarget: { identity: { phone: { id: '+14255550111' } } },
    });
    const failed = await waitFor(
      (r) =>
        r.notification.resourceUrl === `/communications/calls/${callId}` &&
        callData(r).resultInfo !== undefined,
    );
    expect(callData(failed)).toMatchObject({
      state: 'established',
      resultInfo: { code: 500, subCode: 7000 },
    });

    const target = graph.network.party(phone('+14255550112'));
    await client.api(`/communications/calls/${callId}/transfer`).post({
      transferTarget: { identity: { phone: { id: '+14255550112' } } },
    });
    await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${callId}`,
    );
    const states = forCall(callId)
      .filter((r) => r.notification.resourceUrl === `/communications/calls/${callId}`)
      .map((r) => callData(r).state);
    expect(states).toEqual([
      'establishing',
      'established',
      'transferring',
      'established',
      'transferring',
      'transferAccepted',
      'terminated',
      'terminated',
    ]);
    const terminated = forCall(callId).find((r) => callData(r).state === 'terminated');
    expect(callData(terminated as Received).resultInfo).toMatchObject({ code: 0, subcode: 7015 });
    expect(target.inCall).toBe(true);
  });

  it('records a response: the party speaks, the operation completes with a downloadable recording', async () => {
    const alex = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000005'));
    const callId = await establishedCall('7f7a0000-0000-0000-0000-000000000005');
    const operation = (await client.api(`/communications/calls/${callId}/recordResponse`).post({
      clientContext: 'record-ctx',
      prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/after-the-beep.wav' } }],
      maxRecordDurationInSeconds: 10,
      stopTones: ['#'],
    })) as Json;
    expect(operation).toMatchObject({ status: 'running', clientContext: 'record-ctx' });
    await alex.waitToHear('after-the-beep.wav');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await alex.say('I would like to leave a message');
    const done = await waitFor((r) =>
      r.notification.resourceUrl.endsWith(`/operations/${operation.id as string}`),
    );
    const result = done.notification.resourceData as Json;
    expect(result).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status: 'completed' });
    const download = await httpsRequest(agent, result.recordingLocation as string, {
      headers: { authorization: `Bearer ${result.recordingAccessToken as string}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('audio/wav');
    expect(download.body.subarray(0, 4).toString()).toBe('RIFF');
  });

  it('invites a participant into a group call, sends DTMF, cancels media and hangs up', async () => {
    const alex = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000006'));
    const kai = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000016'));
    const sam = graph.network.party(phone('+14255550120'));
    // Two targets make a group call: invite is only supported for group calls (v1 participant-invite).
    const group = await placeCallTo('7f7a0000-0000-0000-0000-000000000006', {
      targets: ['7f7a0000-0000-0000-0000-000000000006', '7f7a0000-0000-0000-0000-000000000016'].map((id) => ({
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        identity: { user: { id } },
      })),
    });
    const callId = group.id as string;
    await waitFor((r) => r.notification.resourceUrl === `/communications/calls/${callId}/participants`);

    const invite = (await client.api(`/communications/calls/${callId}/participants/invite`).post({
      clientContext: 'invite-ctx',
      participants: [{ identity: { phone: { id: '+14255550120' } } }],
    })) as Json;
    expect(invite).toMatchObject({ status: 'running', clientContext: 'invite-ctx' });
    const invited = await waitFor((r) =>
      r.notification.resourceUrl.endsWith(`/operations/${invite.id as string}`),
    );
    expect(invited.notification.resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
      status: 'completed',
      clientContext: 'invite-ctx',
    });
    expect(sam.inCall).toBe(true);

    const dtmf = (await client.api(`/communications/calls/${callId}/sendDtmfTones`).post({
      clientContext: 'dtmf-ctx',
      tones: ['tone1', 'tone2', 'pound'],
    })) as Json;
    await waitFor((r) => r.notification.resourceUrl.endsWith(`/operations/${dtmf.id as string}`));
    expect(alex.receivedTones).toBe('12#');

    const prompts = Array.from({ length: 20 }, (_, i) => ({
      mediaInfo: { uri: `https://cdn.contoso.com/${i}.wav` },
    }));
    const play = (await client
      .api(`/communications/calls/${callId}/playPrompt`)
      .post({ clientContext: 'long', prompts })) as Json;
    await client
      .api(`/communications/calls/${callId}/cancelMediaProcessing`)
      .post({ clientContext: 'cancel' });
    const canceled = await waitFor((r) =>
      r.notification.resourceUrl.endsWith(`/operations/${play.id as string}`),
    );
    expect(canceled.notification.resourceData).toMatchObject({
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508 },
    });

    // DELETE ends only the bot's leg of a group call: the others stay connected (Graph docs: call-delete).
    await client.api(`/communications/calls/${callId}`).delete();
    await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${callId}`,
    );
    expect(alex.inCall).toBe(true);
    expect(sam.inCall).toBe(true);
    await alex.hangUp();
    await kai.hangUp();
    await sam.waitForHangUp();
    const states = forCall(callId)
      .filter((r) => r.notification.resourceUrl === `/communications/calls/${callId}`)
      .map((r) => callData(r).state);
    expect(states.slice(-3)).toEqual(['terminating', 'terminated', 'terminated']);
  });

  it('rings a party that answers by hand, ends a declined call, and mutes, holds and removes', async () => {
    const kim = graph.network.party(teamsUser('7f7a0000-0000-0000-0000-000000000007'), { autoAnswer: false });
    const call = await placeCallTo('7f7a0000-0000-0000-0000-000000000007');
    const callId = call.id as string;
    await kim.waitForRing();
    expect(kim.inCall).toBe(false);
    await kim.answer();
    const roster = await waitFor(
      (r) => r.notification.resourceUrl === `/communications/calls/${callId}/participants`,
    );
    const kimId = (roster.notification.resourceData as Json[])[1]?.id as string;

    // v1 call-mute: "only supported for group calls"; this call is one-to-one (GraphEmulator.rules.e2e.test.ts).
    await expect(
      client.api(`/communications/calls/${callId}/mute`).post({ clientContext: 'm' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest' });
    // v1 call-updaterecordingstatus: refused outside policy-based recording.
    await expect(
      client.api(`/communications/calls/${callId}/updateRecordingStatus`).post({ status: 'recording' }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const hold = (await client
      .api(`/communications/calls/${callId}/participants/${kimId}/startHoldMusic`)
      .post({
        clientContext: 'hold',
        customPrompt: { mediaInfo: { uri: 'https://cdn.contoso.com/hold.wav' } },
      })) as Json;
    await kim.waitToHear('hold.wav');
    const held = await waitFor((r) =>
      r.notification.resourceUrl.endsWith(`/operations/${hold.id as string}`),
    );
    expect(held.notification.resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.startHoldMusicOperation',
      status: 'completed',
      clientContext: 'hold',
    });
    await kim.hold();
    await kim.unhold();
    await client.api(`/communications/calls/${callId}/participants/${kimId}`).delete();
    await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${callId}`,
    );
    const states = forCall(callId)
      .filter((r) => r.notification.resourceUrl === `/communications/calls/${callId}`)
      .map((r) => callData(r).state);
    expect(states).toEqual([
      'establishing',
      'established',
      'hold',
      'established',
      'terminated',
      'terminated',
    ]);
    expect(kim.inCall).toBe(false);

    graph.network.party(phone('+14255550130'), { declines: true });
    const declined = (await client.api('/communications/calls').post({
      callbackUri: `${receiverUrl}/callback`,
      targets: [{ identity: { phone: { id: '+14255550130' } } }],
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    })) as Json;
    const end = await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${declined.id as string}`,
    );
    expect(callData(end)).toMatchObject({ state: 'terminated', resultInfo: { code: 603 } });
  });

  it('rejects and redirects incoming calls', async () => {
    const first = await graph.network.dial(phone('+14255550140'));
    const rejectedId = first.callId as string;
    await client.api(`/communications/calls/${rejectedId}/reject`).post({ reason: 'busy' });
    await first.waitForHangUp();
    const rejected = await waitFor(
      (r) =>
        r.notification.changeType === 'deleted' &&
        r.notification.resourceUrl === `/communications/calls/${rejectedId}`,
    );
    expect(callData(rejected)).toMatchObject({ resultInfo: { code: 486 } });

    const second = await graph.network.dial(phone('+14255550141'));
    const target = graph.network.party(phone('+14255550142'));
    await client.api(`/communications/calls/${second.callId as string}/redirect`).post({
      targets: [{ identity: { phone: { id: '+14255550142' } } }],
    });
    await target.waitForRing();
    await vi.waitFor(() => expect(target.inCall).toBe(true));
    expect(second.inCall).toBe(true);
    await second.hangUp();
    expect(target.inCall).toBe(false);
  });

  it('answers the next matching requests as told by failNext (the Graph client retries a 429)', async () => {
    graph.failNext(
      { method: 'GET', pathIncludes: '/communications/calls/throttled' },
      {
        status: 429,
        body: { error: { code: 'TooManyRequests', message: 'slow down' } },
        headers: { 'retry-after': '0' },
      },
      4,
    );
    await expect(client.api('/communications/calls/throttled').get()).rejects.toMatchObject({
      statusCode: 429,
    });
    expect(graph.requests.filter((r) => r.path.endsWith('/throttled'))).toHaveLength(4);
    await expect(client.api('/communications/calls/throttled').get()).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
