import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTelephonyClient,
  jsonResponse,
  phone,
  type TelephonyClient,
  TelephonyError,
  type WebhookRequest,
  type WebhookResult,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

// The mounting examples of the README, run for real: each framework serves the client's webhook entry point on
// loopback, and the same requests must give the same answers and dispatch the same events.

/** Authenticates with a bearer token and turns `{ callId, tone }` into a `dtmf.received` event. */
class ToneBackend extends ScriptedBackend {
  override async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (request.headers.authorization !== 'Bearer good')
      throw new TelephonyError('unauthorized', 'no valid token');
    let parsed: { callId?: unknown; tone?: unknown };
    try {
      const body = request.body;
      parsed =
        typeof body === 'string' || body instanceof Uint8Array
          ? JSON.parse(Buffer.from(body as Uint8Array | string).toString('utf8'))
          : (body as typeof parsed);
    } catch {
      throw new TelephonyError('invalidPayload', 'the body is not JSON');
    }
    if (typeof parsed?.callId !== 'string') throw new TelephonyError('invalidPayload', 'no callId');
    return {
      response: jsonResponse(200, { ok: true }),
      events: [event('dtmf.received', parsed.callId, { tone: String(parsed.tone ?? '1') as '1' })],
    };
  }
}

type Mount = (client: TelephonyClient) => Promise<{ url: string; close: () => Promise<void> }>;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;
}

const mounts: Record<string, Mount> = {
  'node:http': async (client) => {
    // README: node:http (on any free port)
    const server = createServer(client.nodeHandler).listen(0);
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;
    return { url, close: async () => void server.close() };
  },
  'node:http with timeouts': async (client) => {
    // docs/security.md: Timeouts (the limits to set on your own server)
    const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, client.nodeHandler);
    server.keepAliveTimeout = 5_000;
    const url = await listen(server);
    return { url, close: async () => void server.close() };
  },
  Express: async (client) => {
    // README: Express (no body parser on this route: the handler reads the raw body itself)
    const app = express();
    app.post('/api/calls', client.nodeHandler);
    const server = createServer(app);
    const url = await listen(server);
    return { url, close: async () => void server.close() };
  },
  'Express after express.json()': async (client) => {
    // README: Express where express.json() already parsed the body: the handler takes `req.body`
    const app = express();
    app.use(express.json());
    app.post('/api/calls', client.nodeHandler);
    const server = createServer(app);
    const url = await listen(server);
    return { url, close: async () => void server.close() };
  },
  Fastify: async (client) => {
    // README: Fastify
    const app: FastifyInstance = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    app.post('/api/calls', async (request, reply) => {
      const response = await client.handleWebhook({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: request.body,
      });
      return reply
        .code(response.status)
        .headers(response.headers)
        .send(response.body ?? '');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/api/calls`, close: () => app.close() };
  },
};

let closeServer: (() => Promise<void>) | undefined;

afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

describe.each(Object.entries(mounts))('the webhook handler mounted in %s', (_name, mount) => {
  async function start() {
    const client = createTelephonyClient(new ToneBackend());
    const server = await mount(client);
    closeServer = async () => {
      await server.close();
      await client.close();
    };
    return { client, url: server.url };
  }

  it('authenticates a webhook, dispatches its event to the call and answers 200', async () => {
    const { client, url } = await start();
    const call = await client.placeCall({ to: phone('+14255550100') });
    const tones: string[] = [];
    call.events$.subscribe((e) => {
      if (e.type === 'dtmf.received') tones.push(e.tone);
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: JSON.stringify({ callId: call.id, tone: '5' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(tones).toEqual(['5']);
  });

  it('answers 401 to an unauthenticated webhook and dispatches nothing', async () => {
    const { client, url } = await start();
    const events: unknown[] = [];
    client.events$.subscribe((e) => events.push(e));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callId: 'call-1' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(events).toEqual([]);
  });

  it('answers 4xx to a body that is not JSON, never 5xx', async () => {
    const { url } = await start();
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
  });
});
