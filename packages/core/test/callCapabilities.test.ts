import { describe, expect, it } from 'vitest';
import {
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type CallRouter,
  type CallRouterHost,
  type Capabilities,
  callOperationKinds,
  createTelephonyClient,
  type OperationAck,
  type OperationRequest,
  phone,
  type RouteDecision,
  type StoredCall,
  type TelephonyBackend,
  type TelephonyClient,
  TelephonyError,
  type TelephonyEvent,
  type TelephonyEventOf,
  type WebhookResult,
} from '../src/index.js';

// Per-call capabilities (docs/events.md, `call.capabilities`): a backend defined here, not one the core knows,
// says what one call allows; the core refuses what the call does not allow before the backend sees it, shows the
// change on `capabilities$` and `events$` once, and a takeover on another instance keeps it.

const caller = phone('+14255550100');
const third = phone('+14255550199');

/** A backend of a made-up PBX whose one-to-one calls cannot take a third party. */
class PbxBackend implements TelephonyBackend {
  readonly name = 'test-pbx';
  readonly capabilities: Capabilities = Object.fromEntries(callOperationKinds.map((kind) => [kind, true]));
  readonly requests: OperationRequest[] = [];
  #sink: BackendSink | undefined;
  #next = 1;

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }
  emit(...events: TelephonyEvent[]): void {
    this.#sink?.dispatch(events);
  }
  async placeCall(): Promise<CallHandle> {
    return { callId: `pbx-${this.#next++}`, state: 'connecting' };
  }
  async connect(): Promise<CallHandle> {
    return { callId: `pbx-${this.#next++}` };
  }
  async answer(incoming: { callId: string }): Promise<CallHandle> {
    return { callId: incoming.callId };
  }
  async reject(): Promise<void> {}
  async redirect(): Promise<void> {}
  async execute(request: OperationRequest): Promise<OperationAck> {
    this.requests.push(request);
    return { status: 'accepted' };
  }
  async handleWebhook(): Promise<WebhookResult> {
    return { response: { status: 404, headers: {} }, events: [] };
  }
  async getCall(callId: string): Promise<BackendCallSnapshot> {
    return { callId, state: 'connected', participants: [{ identity: caller, isMuted: false }] };
  }
  releaseCall(): void {}
  async close(): Promise<void> {}
}

function pbxEvent<T extends TelephonyEvent['type']>(
  type: T,
  callId: string,
  fields: Omit<TelephonyEventOf<T>, 'type' | 'callId' | 'backend' | 'at' | 'raw'>,
): TelephonyEvent {
  return { type, callId, backend: 'test-pbx', at: new Date(0).toISOString(), raw: null, ...fields } as never;
}

const oneToOne = (callId: string) =>
  pbxEvent('call.capabilities', callId, { capabilities: { addParticipant: false }, because: 'oneToOne' });

/** A router the test drives: it keeps what the client saved, as a shared store would. */
class KeepingRouter implements CallRouter {
  host: CallRouterHost | undefined;
  saved = new Map<string, StoredCall>();
  constructor(readonly instanceId: string) {}
  attach(host: CallRouterHost): void {
    this.host = host;
  }
  async route(): Promise<RouteDecision> {
    return { kind: 'local' };
  }
  async claim(call: StoredCall): Promise<readonly TelephonyEvent[]> {
    this.saved.set(call.callId, call);
    return [];
  }
  save(call: StoredCall): void {
    this.saved.set(call.callId, call);
  }
  release(call: StoredCall): void {
    this.saved.set(call.callId, call);
  }
  async close(): Promise<void> {}
}

function settled(client: TelephonyClient): Promise<void> {
  return (client as unknown as { settled(): Promise<void> }).settled();
}

async function connectedCall(router?: CallRouter) {
  const backend = new PbxBackend();
  const client = createTelephonyClient(backend, router ? { router } : {});
  const call = await client.placeCall({ to: caller });
  const events: TelephonyEvent[] = [];
  call.events$.subscribe((e) => events.push(e));
  const seen: Capabilities[] = [];
  call.capabilities$.subscribe((c) => seen.push(c));
  backend.emit(pbxEvent('call.state', call.id, { state: 'connected' }));
  await settled(client);
  return { backend, client, call, events, seen };
}

describe('per-call capabilities', () => {
  it('refuses an operation the call no longer allows, without asking the backend', async () => {
    const { backend, client, call, seen } = await connectedCall();
    expect(call.capabilities.addParticipant).toBe(true);
    backend.emit(oneToOne(call.id));
    await settled(client);
    expect(call.capabilities.addParticipant).toBe(false);
    // Everything else the backend supports stays.
    expect(call.capabilities.play).toBe(true);
    const sent = backend.requests.length;
    const error = await call.addParticipant(third).catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'unsupported')).toBe(true);
    expect((error as Error).message).toContain('addParticipant');
    expect((error as Error).message).toContain('oneToOne');
    expect(backend.requests.length).toBe(sent);
    expect(seen.map((c) => c.addParticipant)).toEqual([true, false]);
    // The client's capabilities are the backend's: one call's entries do not change them.
    expect(client.capabilities.addParticipant).toBe(true);
  });

  it('shows a change once on events$; an unchanged entry is not an event; a later entry wins', async () => {
    const { backend, client, call, events, seen } = await connectedCall();
    backend.emit(oneToOne(call.id), oneToOne(call.id));
    backend.emit(pbxEvent('call.capabilities', call.id, { capabilities: { play: true }, because: 'group' }));
    await settled(client);
    expect(events.filter((e) => e.type === 'call.capabilities')).toHaveLength(1);
    expect(seen).toHaveLength(2);
    backend.emit(
      pbxEvent('call.capabilities', call.id, { capabilities: { addParticipant: true }, because: 'group' }),
    );
    await settled(client);
    expect(events.filter((e) => e.type === 'call.capabilities')).toHaveLength(2);
    expect(seen.map((c) => c.addParticipant)).toEqual([true, false, true]);
    const adding = call.addParticipant(third);
    adding.catch(() => undefined);
    expect(backend.requests.at(-1)?.operation.kind).toBe('addParticipant');
  });

  it('completes capabilities$ when the call ends; a late subscriber gets the value and completes', async () => {
    const { backend, client, call } = await connectedCall();
    backend.emit(oneToOne(call.id));
    let completed = false;
    call.capabilities$.subscribe({ complete: () => (completed = true) });
    backend.emit(pbxEvent('call.state', call.id, { state: 'disconnected' }));
    await settled(client);
    expect(completed).toBe(true);
    let late = false;
    call.capabilities$.subscribe({ complete: () => (late = true) });
    expect(late).toBe(true);
  });

  it('keeps what the call allows across a takeover by another instance', async () => {
    const first = new KeepingRouter('bot-1');
    const { backend, client, call } = await connectedCall(first);
    backend.emit(oneToOne(call.id));
    await settled(client);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stored = first.saved.get(call.id);
    expect(stored?.capabilityOverrides).toEqual([
      { capability: 'addParticipant', allowed: false, because: 'oneToOne' },
    ]);
    // The stored call goes through JSON, as in a shared store.
    const carried = JSON.parse(JSON.stringify(stored)) as StoredCall;

    const second = new KeepingRouter('bot-2');
    const otherBackend = new PbxBackend();
    const other = createTelephonyClient(otherBackend, { router: second });
    await second.host?.takeOver(carried, []);
    const taken = other.getCall(call.id);
    expect(taken?.state).toBe('connected');
    expect(taken?.capabilities.addParticipant).toBe(false);
    const seen: Capabilities[] = [];
    taken?.capabilities$.subscribe((c) => seen.push(c));
    expect(seen.map((c) => c.addParticipant)).toEqual([false]);
    const error = await taken?.addParticipant(third).catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'unsupported')).toBe(true);
    expect(otherBackend.requests.filter((r) => r.operation.kind === 'addParticipant')).toHaveLength(0);
    // And the new owner saves it on in turn.
    expect(second.saved.get(call.id)?.capabilityOverrides).toEqual(stored?.capabilityOverrides);
  });
});
