import { describe, expect, it } from 'vitest';
import {
  type CallRouter,
  type Capabilities,
  createTelephonyClient,
  phone,
  type StoredCall,
  TelephonyError,
  type TelephonyEvent,
} from '../src/index.js';
import { caller, KeepingRouter, PbxBackend, pbxEvent, settled } from './support/pbx.js';

// Per-call capabilities (docs/events.md, `call.capabilities`): a backend defined here, not one the core knows,
// says what one call allows; the core refuses what the call does not allow before the backend sees it, shows the
// change on `capabilities$` and `events$` once, and a takeover on another instance keeps it.

const third = phone('+14255550199');

const oneToOne = (callId: string) =>
  pbxEvent('call.capabilities', callId, { capabilities: { addParticipant: false }, because: 'oneToOne' });

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
