import { describe, expect, it } from 'vitest';
import {
  CallEventQueues,
  createTelephonyClient,
  EventDeduplicator,
  jsonResponse,
  phone,
  requestPathname,
  type TelephonyEvent,
  type WebhookRequest,
  type WebhookResult,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

class EchoBackend extends ScriptedBackend {
  override async handleWebhook(_request: WebhookRequest): Promise<WebhookResult> {
    return { response: jsonResponse(200, { ok: true }), events: [] };
  }
}

function tone(callId: string, eventId: string | undefined, digit = '1'): TelephonyEvent {
  return event('dtmf.received', callId, {
    tone: digit as '1',
    ...(eventId === undefined ? {} : { eventId }),
  });
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a subscriber that holds the event loop
  }
}

describe('repeated deliveries', () => {
  it('recognizes a repeat that arrives after its call ended', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const call = await client.placeCall({ to: phone('+14255550100') });
    const all: TelephonyEvent[] = [];
    client.events$.subscribe((e) => all.push(e));
    const ended = event('call.state', call.id, { state: 'disconnected', eventId: 'end-1' });
    backend.emit(ended);
    expect(client.calls.size).toBe(0);
    backend.emit(ended);
    expect(all).toHaveLength(1);
    expect((client as unknown as { repeatedDeliveries: number }).repeatedDeliveries).toBe(1);
  });

  it('remembers a bounded number of recent ids per live call, and the same id on another call is another event', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const a = await client.placeCall({ to: phone('+14255550100') });
    const b = await client.placeCall({ to: phone('+14255550101') });
    const seen: string[] = [];
    a.events$.subscribe((e) => seen.push(`a:${e.eventId}`));
    b.events$.subscribe((e) => seen.push(`b:${e.eventId}`));
    backend.emit(tone(a.id, 'id-0'), tone(b.id, 'id-0'), tone(a.id, 'id-0'));
    expect(seen).toEqual(['a:id-0', 'b:id-0']);
    // After 32 newer ids, the oldest is forgotten: a very late repeat is applied again.
    for (let i = 1; i <= 32; i++) backend.emit(tone(a.id, `id-${i}`));
    backend.emit(tone(a.id, 'id-32'), tone(a.id, 'id-0'));
    expect(seen.filter((line) => line === 'a:id-32')).toHaveLength(1);
    expect(seen.filter((line) => line === 'a:id-0')).toHaveLength(2);
    expect((client as unknown as { repeatedDeliveries: number }).repeatedDeliveries).toBe(2);
  });

  it('applies an event delivered twice once, to the call and to the client stream', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const call = await client.placeCall({ to: phone('+14255550100') });
    const onCall: TelephonyEvent[] = [];
    const onClient: TelephonyEvent[] = [];
    call.events$.subscribe((e) => onCall.push(e));
    client.events$.subscribe((e) => onClient.push(e));
    backend.emit(tone(call.id, 'e1', '1'), tone(call.id, 'e1', '1'));
    backend.emit(tone(call.id, 'e1', '1'), tone(call.id, 'e2', '2'));
    expect(onCall.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect(onClient.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect((client as unknown as { repeatedDeliveries: number }).repeatedDeliveries).toBe(2);
  });

  it('keeps events without an id, and events of another type that share an id (one notification, two events)', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const call = await client.placeCall({ to: phone('+14255550100') });
    const seen: string[] = [];
    call.events$.subscribe((e) => seen.push(e.type));
    backend.emit(tone(call.id, undefined), tone(call.id, undefined));
    backend.emit(
      event('call.state', call.id, { state: 'transferAccepted', eventId: 'x' }),
      event('transfer.accepted', call.id, { eventId: 'x' }),
    );
    expect(seen).toEqual(['dtmf.received', 'dtmf.received', 'call.state', 'transfer.accepted']);
  });

  it('keeps memory bounded: the oldest ids are forgotten first, whatever call they belong to', () => {
    const dedup = new EventDeduplicator({ maxEvents: 3 });
    expect(dedup.isRepeat(tone('a', '1'))).toBe(false);
    expect(dedup.isRepeat(tone('a', '1'))).toBe(true);
    // The same event id on another call is another event.
    expect(dedup.isRepeat(tone('b', '1'))).toBe(false);
    dedup.isRepeat(tone('a', '2'));
    dedup.isRepeat(tone('c', '1'));
    // `a/1` was the oldest of four ids with room for three.
    expect(dedup.size).toBe(3);
    expect(dedup.isRepeat(tone('a', '1'))).toBe(false);
    expect(dedup.isRepeat(tone('c', '1'))).toBe(true);
    expect(dedup.repeats).toBe(2);
  });
});

describe('per-call ordering', () => {
  it('applies an event dispatched from a subscriber after the one being applied, so every subscriber sees order', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const call = await client.placeCall({ to: phone('+14255550100') });
    const first: string[] = [];
    const second: string[] = [];
    call.events$.subscribe((e) => {
      first.push(e.type === 'dtmf.received' ? e.tone : e.type);
      if (e.type === 'dtmf.received' && e.tone === '1') backend.emit(tone(call.id, 'nested', '2'));
    });
    call.events$.subscribe((e) => second.push(e.type === 'dtmf.received' ? e.tone : e.type));
    backend.emit(tone(call.id, 'outer', '1'));
    expect(first).toEqual(['1', '2']);
    expect(second).toEqual(['1', '2']);
  });

  it('lets another call’s event through while one call’s slow subscriber works through its queue', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend, { eventSliceMs: 5 });
    const slow = await client.placeCall({ to: phone('+14255550100') });
    const fast = await client.placeCall({ to: phone('+14255550101') });
    const order: string[] = [];
    slow.events$.subscribe((e) => {
      busyWait(20);
      order.push(`slow:${e.eventId}`);
    });
    fast.events$.subscribe((e) => order.push(`fast:${e.eventId}`));
    const slowEvents = Array.from({ length: 8 }, (_, i) => tone(slow.id, `s${i}`));
    backend.emit(...slowEvents, tone(fast.id, 'f0'));
    // The dispatch returned (the webhook could be answered) after one slice, not after the whole queue.
    expect(order.length).toBeLessThan(3);
    await (client as unknown as { settled(): Promise<void> }).settled();
    expect(order.indexOf('fast:f0')).toBeLessThanOrEqual(2);
    expect(order.filter((entry) => entry.startsWith('slow:'))).toEqual(
      slowEvents.map((e) => `slow:${e.eventId}`),
    );
  });

  it('goes on with the next event when applying one throws, and reports it', () => {
    const applied: string[] = [];
    const errors: unknown[] = [];
    const queues = new CallEventQueues(
      (e) => {
        if (e.eventId === 'bad') throw new Error('boom');
        applied.push(e.eventId ?? '');
      },
      { onError: (error) => errors.push(error) },
    );
    queues.enqueue([tone('a', 'ok1'), tone('a', 'bad'), tone('a', 'ok2')]);
    expect(applied).toEqual(['ok1', 'ok2']);
    expect(errors).toHaveLength(1);
    expect(queues.pending).toBe(0);
  });
});

describe('webhook paths', () => {
  const post = (path: string): WebhookRequest => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

  it('answers 404 to another path when webhookPath is set, and accepts its own with a query string', async () => {
    const client = createTelephonyClient(new EchoBackend(), { webhookPath: ['/api/acs', '/api/graph'] });
    expect((await client.handleWebhook(post('/other'))).status).toBe(404);
    expect((await client.handleWebhook(post('/api/acs/extra'))).status).toBe(404);
    expect((await client.handleWebhook(post('/api/acs?secret=s'))).status).toBe(200);
    expect((await client.handleWebhook(post('/api/graph/'))).status).toBe(200);
  });

  it('accepts any path when webhookPath is not set', async () => {
    const client = createTelephonyClient(new EchoBackend());
    expect((await client.handleWebhook(post('/anything/at/all'))).status).toBe(200);
  });

  it('reads the path of origin-form and absolute-form targets', () => {
    expect(requestPathname('/api/calls?x=1#f')).toBe('/api/calls');
    expect(requestPathname('http://bot.example.com:8080/api/calls?x=1')).toBe('/api/calls');
    expect(requestPathname('')).toBe('/');
  });

  it('answers 405, 415 and 413 before the backend sees the request', async () => {
    const client = createTelephonyClient(new EchoBackend(), { maxBodyBytes: 16 });
    expect((await client.handleWebhook({ ...post('/'), method: 'GET' })).status).toBe(405);
    expect(
      (await client.handleWebhook({ ...post('/'), headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(415);
    expect((await client.handleWebhook({ ...post('/'), body: 'x'.repeat(17) })).status).toBe(413);
  });
});
