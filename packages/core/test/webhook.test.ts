import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTelephonyClient,
  jsonResponse,
  phone,
  TelephonyError,
  type TelephonyEvent,
  type WebhookResult,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

class WebhookBackend extends ScriptedBackend {
  seen: unknown[] = [];
  override async handleWebhook(request: {
    body: unknown;
    headers: Readonly<Record<string, unknown>>;
  }): Promise<WebhookResult> {
    if (request.headers.authorization !== 'Bearer good')
      throw new TelephonyError('unauthorized', 'no valid token');
    const text = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : JSON.stringify(request.body);
    let parsed: { callId?: string; tone?: string };
    try {
      parsed = JSON.parse(text) as { callId?: string; tone?: string };
    } catch {
      throw new TelephonyError('invalidPayload', 'the body is not valid JSON');
    }
    this.seen.push(parsed);
    const events: TelephonyEvent[] = parsed.callId
      ? [event('dtmf.received', parsed.callId, { tone: (parsed.tone ?? '1') as '1' })]
      : [];
    return { response: jsonResponse(200, { ok: true }), events };
  }
}

let server: Server | undefined;

afterEach(async () => {
  server?.close();
  server = undefined;
});

async function serve(backend: WebhookBackend, maxBodyBytes?: number, bodyTimeoutMs?: number) {
  const client = createTelephonyClient(backend, {
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs }),
  });
  server = createServer(client.nodeHandler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { client, url: `http://127.0.0.1:${port}/api/calls` };
}

describe('the webhook entry point over node:http', () => {
  it('authenticates, dispatches the events to their call and answers', async () => {
    const backend = new WebhookBackend();
    const { client, url } = await serve(backend);
    const call = await client.placeCall({ to: phone('+14255550100') });
    const tones: string[] = [];
    call.events$.subscribe((e) => {
      if (e.type === 'dtmf.received') tones.push(e.tone);
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: JSON.stringify({ callId: call.id, tone: '7' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(tones).toEqual(['7']);
  });

  it('answers 401 and emits nothing for an unauthenticated request', async () => {
    const backend = new WebhookBackend();
    const { client, url } = await serve(backend);
    const events: unknown[] = [];
    client.events$.subscribe((e) => events.push(e));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"callId":"x"}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(events).toEqual([]);
  });

  it.each([
    ['GET', 'application/json', '{}', 405],
    ['PUT', 'application/json', '{}', 405],
    ['POST', 'text/plain', '{}', 415],
    ['POST', 'application/json', 'not json', 400],
  ])('answers %s with %s and body %s: %i', async (method, contentType, body, status) => {
    const backend = new WebhookBackend();
    const { url } = await serve(backend);
    const response = await fetch(url, {
      method,
      headers: { authorization: 'Bearer good', 'content-type': contentType },
      ...(method === 'GET' ? {} : { body }),
    });
    expect(response.status).toBe(status);
  });

  it('answers 413 to a body over the limit without reading it all', async () => {
    const backend = new WebhookBackend();
    const { url } = await serve(backend, 1024);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(4096) }),
    });
    expect(response.status).toBe(413);
    expect(backend.seen).toEqual([]);
  });

  it('answers 413 to a streamed body over the limit and lets go of the connection of a sender that keeps on', async () => {
    const backend = new WebhookBackend();
    const { url } = await serve(backend, 1024, 300);
    const { port } = new URL(url);
    const socket = connect({ host: '127.0.0.1', port: Number(port), allowHalfOpen: true });
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    const ended = once(socket, 'end');
    socket.write(
      'POST /api/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = `258\r\n${'x'.repeat(600)}\r\n`;
    const pump = setInterval(() => socket.writable && socket.write(chunk), 20);
    await ended;
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(backend.seen).toEqual([]);
    // The server let go of the socket too (bodyTimeoutMs after the request), not only of its writing side.
    const open = () =>
      new Promise<number>((resolve) => server?.getConnections((_error, count) => resolve(count)));
    const deadline = Date.now() + 3_000;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(pump);
    socket.destroy();
    expect(await open()).toBe(0);
  });

  it('uses a body a framework already parsed', async () => {
    const backend = new WebhookBackend();
    const client = createTelephonyClient(backend);
    const response = await client.handleWebhook({
      method: 'POST',
      path: '/api/calls',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: { callId: 'c1' },
    });
    expect(response.status).toBe(200);
    expect(backend.seen).toEqual([{ callId: 'c1' }]);
  });

  it('answers 500 without crashing when a backend fails unexpectedly', async () => {
    const backend = new WebhookBackend();
    backend.handleWebhook = async () => {
      throw new Error('bug');
    };
    const client = createTelephonyClient(backend);
    const response = await client.handleWebhook({ method: 'POST', path: '/', headers: {}, body: '{}' });
    expect(response.status).toBe(500);
  });
});
