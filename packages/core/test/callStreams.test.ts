import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CallState, Participant, TelephonyEvent } from '../src/index.js';
import { createTelephonyClient, phone } from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

const caller: Participant = { identity: phone('+14255550100'), isMuted: false };

async function placedCall() {
  const backend = new ScriptedBackend();
  const client = createTelephonyClient(backend);
  const call = await client.placeCall({ to: phone('+14255550100') });
  return { backend, client, call };
}

// The streams of a call are made on first subscription (see CallStream); these are the observable contracts a
// bot relies on, whatever holds the subscribers.
describe("a call's streams", () => {
  it('replays the current state and roster to each subscriber, then sends changes in order', async () => {
    const { backend, call } = await placedCall();
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    const first: CallState[] = [];
    const second: CallState[] = [];
    call.state$.subscribe((state) => first.push(state));
    backend.emit(
      event('participants.updated', call.id, { participants: [caller], delta: false }),
      event('call.state', call.id, { state: 'onHold' }),
    );
    call.state$.subscribe((state) => second.push(state));
    const rosters: (readonly Participant[])[] = [];
    call.participants$.subscribe((roster) => rosters.push(roster));
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    expect(first).toEqual(['connected', 'onHold', 'connected']);
    expect(second).toEqual(['onHold', 'connected']);
    expect(rosters).toEqual([[caller]]);
  });

  it('delivers each event to every subscriber once, and not to one that unsubscribed', async () => {
    const { backend, call } = await placedCall();
    const a: string[] = [];
    const b: string[] = [];
    const c: string[] = [];
    const subA = call.events$.subscribe((e) => a.push(e.type));
    call.events$.subscribe((e) => b.push(e.type));
    const subC = call.events$.subscribe((e) => c.push(e.type));
    backend.emit(event('dtmf.received', call.id, { tone: '1' }));
    subA.unsubscribe();
    backend.emit(event('dtmf.received', call.id, { tone: '2' }));
    subC.unsubscribe();
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    expect(a).toEqual(['dtmf.received']);
    expect(b).toEqual(['dtmf.received', 'dtmf.received', 'call.state']);
    expect(c).toEqual(['dtmf.received', 'dtmf.received']);
  });

  it('does not give the event being delivered to a subscriber added by a subscriber', async () => {
    const { backend, call } = await placedCall();
    const late: TelephonyEvent[] = [];
    let added = false;
    call.events$.subscribe(() => {
      if (added) return;
      added = true;
      call.events$.subscribe((e) => late.push(e));
    });
    backend.emit(event('dtmf.received', call.id, { tone: '1' }));
    backend.emit(event('dtmf.received', call.id, { tone: '2' }));
    expect(late.map((e) => (e.type === 'dtmf.received' ? e.tone : ''))).toEqual(['2']);
  });

  it('completes every stream when the call ends, and completes a subscriber that comes later at once', async () => {
    const { backend, call } = await placedCall();
    const states = firstValueFrom(call.state$.pipe(toArray()));
    const events = firstValueFrom(call.events$.pipe(toArray()));
    backend.emit(
      event('call.state', call.id, { state: 'connected' }),
      event('call.state', call.id, { state: 'disconnected' }),
    );
    expect(await states).toEqual(['connecting', 'connected', 'disconnected']);
    expect((await events).map((e) => e.type)).toEqual(['call.state', 'call.state']);
    // Never subscribed before the end: the stream is made completed.
    expect(await firstValueFrom(call.participants$.pipe(toArray()))).toEqual([]);
    expect(await firstValueFrom(call.state$.pipe(toArray()))).toEqual([]);
    expect(await firstValueFrom(call.events$.pipe(toArray()))).toEqual([]);
  });

  it('settles `ended` whether it is read before or after the end, with the same promise each time', async () => {
    const { backend, call } = await placedCall();
    const early = call.ended;
    expect(call.ended).toBe(early);
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await expect(early).resolves.toMatchObject({ state: 'disconnected' });
    const other = await placedCall();
    other.backend.emit(event('call.state', other.call.id, { state: 'disconnected' }));
    const late = other.call.ended;
    expect(other.call.ended).toBe(late);
    await expect(late).resolves.toMatchObject({ state: 'disconnected' });
  });

  it('still knows the states a call went through (waitForState on a past state resolves)', async () => {
    const { backend, call } = await placedCall();
    backend.emit(
      event('call.state', call.id, { state: 'ringing' }),
      event('call.state', call.id, { state: 'connected' }),
      event('call.state', call.id, { state: 'onHold' }),
    );
    await expect(call.waitForState('ringing')).resolves.toBeUndefined();
    await expect(call.waitForState('connected')).resolves.toBeUndefined();
    const disconnecting = call.waitForState('disconnected');
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await expect(disconnecting).resolves.toBeUndefined();
  });

  it('recognizes a repeat among the 32 most recent event ids as the memory grows', async () => {
    const { backend, call } = await placedCall();
    const seen: TelephonyEvent[] = [];
    call.events$.subscribe((e) => seen.push(e));
    const tone = (n: number) => event('dtmf.received', call.id, { tone: '1', eventId: `e-${n}` });
    for (let n = 0; n < 40; n++) backend.emit(tone(n));
    expect(seen).toHaveLength(40);
    // 8..39 are remembered (the last 32); 0..7 were forgotten, so their repeats are applied again.
    for (let n = 8; n < 40; n++) backend.emit(tone(n));
    expect(seen).toHaveLength(40);
    backend.emit(tone(3));
    expect(seen).toHaveLength(41);
  });
});
