import { describe, expect, it } from 'vitest';
import {
  type CallRouter,
  type CallRouterHost,
  createTelephonyClient,
  phone,
  type RouteDecision,
  type StoredCall,
  TelephonyError,
  type TelephonyEvent,
  type WebhookRequest,
  type WebhookResult,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

// The client's side of fencing, with a router the test drives: operations wait while the lease cannot be proved,
// a lost call ends here as moved and refuses every operation, close() lets nothing of a call run, and a store
// that cannot route an event makes the webhook answer 503 with Retry-After (the service delivers it again).

class TestRouter implements CallRouter {
  readonly instanceId = 'bot-1';
  host: CallRouterHost | undefined;
  fenced:
    | { promise: Promise<void>; resolve: () => void; reject: (error: TelephonyError) => void }
    | undefined;
  storeDown = false;
  closed = false;

  attach(host: CallRouterHost): void {
    this.host = host;
  }
  async route(): Promise<RouteDecision> {
    if (this.storeDown)
      throw new TelephonyError('transient', 'the call store (Redis) failed to route an event');
    return { kind: 'local' };
  }
  async claim(): Promise<readonly TelephonyEvent[]> {
    return [];
  }
  save(_call: StoredCall): void {}
  release(_call: StoredCall): void {}
  async close(): Promise<void> {
    this.closed = true;
  }
  fence(): Promise<void> | undefined {
    return this.fenced?.promise;
  }
  suspend(): void {
    let resolve = () => {};
    let reject = (_error: TelephonyError) => {};
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    this.fenced = { promise, resolve, reject };
  }
}

class WebhookBackend extends ScriptedBackend {
  next: TelephonyEvent[] = [];
  override async handleWebhook(_request: WebhookRequest): Promise<WebhookResult> {
    const events = this.next;
    this.next = [];
    return { response: { status: 202, headers: {} }, events };
  }
}

async function setUp() {
  const backend = new WebhookBackend();
  const router = new TestRouter();
  const client = createTelephonyClient(backend, { router });
  const call = await client.placeCall({ to: phone('+14255550100') });
  backend.emit(event('call.state', call.id, { state: 'connected' }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { backend, router, client, call };
}

const request: WebhookRequest = { method: 'POST', path: '/api/calls', headers: {}, body: '[]' };

describe('scale-out fencing in the client', () => {
  it('holds an operation while the lease cannot be proved, and sends it once the lease is proved', async () => {
    const { backend, router, call } = await setUp();
    router.suspend();
    const play = call.play({ kind: 'text', text: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(backend.requests.filter((r) => r.operation.kind === 'play')).toHaveLength(0);
    router.fenced?.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(backend.requests.filter((r) => r.operation.kind === 'play')).toHaveLength(1);
    backend.emit(event('play.completed', call.id, { operationId: play.operationId }));
    await expect(play).resolves.toBeUndefined();
  });

  it('ends a lost call here as moved: nothing more goes to the service, every operation rejects callEnded', async () => {
    const { backend, router, client, call } = await setUp();
    router.suspend();
    const waiting = call.play({ kind: 'text', text: 'held' });
    const sentBefore = backend.requests.length;
    router.fenced?.reject(new TelephonyError('callEnded', 'moved'));
    router.host?.lost(call.id, 'bot-2');
    await expect(waiting).rejects.toMatchObject({ reason: 'callEnded' });
    await expect(call.ended).resolves.toMatchObject({ state: 'disconnected', movedTo: 'bot-2' });
    const later = call.recognize({ kind: 'dtmf', maxTones: 4 } as never);
    await expect(later).rejects.toMatchObject({ reason: 'callEnded' });
    await call.hangUp();
    expect(backend.requests.length).toBe(sentBefore);
    expect(client.calls.has(call.id)).toBe(false);
    const error = await later.catch((caught: unknown) => caught);
    expect(TelephonyError.is(error) && error.isRetryable).toBe(false);
  });

  it('after close() nothing of a handed-off call runs here', async () => {
    const { backend, router, client, call } = await setUp();
    const pending = call.play({ kind: 'text', text: 'in flight' });
    await client.close();
    expect(router.closed).toBe(true);
    await expect(pending).rejects.toMatchObject({ reason: 'callEnded' });
    await expect(call.ended).resolves.toMatchObject({ movedTo: 'another instance' });
    const sent = backend.requests.length;
    await expect(call.play({ kind: 'text', text: 'late' })).rejects.toMatchObject({ reason: 'callEnded' });
    expect(backend.requests.length).toBe(sent);
  });

  it('answers 503 with Retry-After when the store cannot route an event of a call it does not own', async () => {
    const { backend, router, client } = await setUp();
    router.storeDown = true;
    backend.next = [event('call.state', 'someone-elses-call', { state: 'connected' })];
    const response = await client.handleWebhook(request);
    expect(response.status).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('applies an event of its own call while the store is unreachable (2xx means applied)', async () => {
    const { backend, router, client, call } = await setUp();
    router.storeDown = true;
    const seen: string[] = [];
    call.events$.subscribe((e) => seen.push(e.type));
    // A roster that changes something (an unchanged one is not an event).
    const caller = { identity: phone('+14255550123'), isMuted: false };
    backend.next = [event('participants.updated', call.id, { participants: [caller], delta: false })];
    const response = await client.handleWebhook(request);
    expect(response.status).toBe(202);
    expect(seen).toContain('participants.updated');
  });
});
