import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Call, createTelephonyClient, PlaySources, phone, TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock, virtualEpoch } from '../clock/VirtualClock.js';
import { describeBackendConformance } from '../conformance/describeBackendConformance.js';
import { MemoryBackend } from './MemoryBackend.js';

describeBackendConformance('memory', async () => {
  const backend = new MemoryBackend();
  const client = createTelephonyClient(backend);
  return { client, network: backend.network, close: () => client.close() };
});

function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly outcome: Promise<unknown> } {
  const state = { settled: false, outcome: Promise.resolve<unknown>(undefined) };
  state.outcome = promise.then(
    (value) => {
      state.settled = true;
      return value;
    },
    (error: unknown) => {
      state.settled = true;
      return error;
    },
  );
  return state;
}

describe('MemoryBackend as a backend port', () => {
  it('answers webhooks 404, rejects unknown calls with callNotFound and ended ones with callEnded', async () => {
    const backend = new MemoryBackend();
    const client = createTelephonyClient(backend);
    const webhook = await backend.handleWebhook();
    expect(webhook.response.status).toBe(404);
    expect(webhook.events).toEqual([]);
    expect(
      TelephonyError.hasReason(await backend.getCall('nope').catch((e: unknown) => e), 'callNotFound'),
    ).toBe(true);

    const party = backend.network.party(phone('+14255550150'));
    const call = await client.placeCall({ to: party.identity });
    await call.waitForState('connected');
    const snapshot = await backend.getCall(call.id);
    expect(snapshot.state).toBe('connected');
    expect(snapshot.participants.map((p) => p.identity.rawId)).toEqual([
      backend.botIdentity.rawId,
      party.identity.rawId,
    ]);
    await call.hangUp();
    const late = await backend
      .execute({
        callId: call.id,
        operationId: 'late',
        operation: { kind: 'cancelMedia' },
        call: call.snapshot(),
      })
      .catch((e: unknown) => e);
    expect(TelephonyError.hasReason(late, 'callEnded')).toBe(true);
    await client.close();
  });

  it('ends the bot call of an accepted transfer with code 0, subcode 7015', async () => {
    const backend = new MemoryBackend();
    const client = createTelephonyClient(backend);
    const caller = backend.network.party(phone('+14255550160'));
    const agent = backend.network.party(phone('+14255550161'));
    const call = await client.placeCall({ to: caller.identity });
    await call.waitForState('connected');
    const states: string[] = [];
    call.state$.subscribe((state) => states.push(state));
    await call.transfer(agent.identity);
    const end = await call.ended;
    expect(end.reason).toMatchObject({ code: 0, subcode: 7015 });
    expect(states).toEqual(['connected', 'transferring', 'transferAccepted', 'disconnected']);
    expect(caller.inCall && agent.inCall).toBe(true);
    await client.close();
  });

  it('fails an add after the invitation timeout when the party does not answer', async () => {
    const clock = new VirtualClock();
    const backend = new MemoryBackend({ clock });
    const client = createTelephonyClient(backend, { clock });
    const caller = backend.network.party(phone('+14255550170'));
    const absent = backend.network.party(phone('+14255550171'), { autoAnswer: false });
    const call = await client.placeCall({ to: caller.identity });
    await call.waitForState('connected');
    const adding = track(call.addParticipant(absent.identity, { invitationTimeoutSeconds: 30 }));
    await absent.waitForRing();
    await clock.advance(30_000);
    const error = await adding.outcome;
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect((error as TelephonyError).result?.code).toBe(408);
    expect(absent.ringing).toBe(false);
    await client.close();
  });

  it('rings a group call to several parties and keeps the call when one of them hangs up', async () => {
    const backend = new MemoryBackend();
    const client = createTelephonyClient(backend);
    const [a, b] = [
      backend.network.party(phone('+14255550180')),
      backend.network.party(phone('+14255550181')),
    ];
    const call = await client.placeCall({ to: [a.identity, b.identity] });
    await call.waitForState('connected');
    await a.hangUp();
    await call.play(PlaySources.text('Still here'));
    expect(b.heard).toEqual(['Still here']);
    expect(call.state).toBe('connected');
    await b.hangUp();
    await call.ended;
    await client.close();
  });
});

describe('MemoryBackend on virtual time', () => {
  it('settles a 5 s initial silence and a 60 s operation timeout by advancing the clock, without real waiting', async () => {
    const clock = new VirtualClock();
    const backend = new MemoryBackend({ clock });
    const client = createTelephonyClient(backend, { clock });
    const caller = backend.network.party(phone('+14255550100'));
    const startedAt = performance.now();

    const call = await client.placeCall({ to: caller.identity });
    await call.waitForState('connected');
    const silent = track(
      call.recognizeDtmf({ prompt: PlaySources.text('Enter your PIN'), initialSilenceTimeoutMs: 5_000 }),
    );
    const slow = track(
      call.recognize({ kind: 'speech', initialSilenceTimeoutMs: 120_000, timeoutMs: 60_000 }),
    );
    await caller.waitToHear('Enter your PIN');

    await clock.advance(4_999);
    expect(silent.settled).toBe(false);
    await clock.advance(1);
    const silence = await silent.outcome;
    expect(TelephonyError.hasReason(silence, 'operationFailed')).toBe(true);
    expect((silence as TelephonyError).result?.subcode).toBe(8510);

    await clock.advance(54_999);
    expect(slow.settled).toBe(false);
    await clock.advance(1);
    expect(TelephonyError.hasReason(await slow.outcome, 'timeout')).toBe(true);

    expect(clock.now()).toBe(virtualEpoch + 60_000);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    await call.hangUp();
    await client.close();
  });
});

describe('MemoryBackend lifetime', () => {
  async function placeAndEnd(count: number, refs: WeakRef<Call>[]): Promise<{ calls: number; held: number }> {
    const backend = new MemoryBackend();
    const client = createTelephonyClient(backend);
    const party = backend.network.party(phone('+14255550111'));
    for (let i = 0; i < count; i++) {
      const call = await client.placeCall({ to: party.identity });
      await call.waitForState('connected');
      await call.hangUp();
      refs.push(new WeakRef(call));
    }
    const sizes = { calls: client.calls.size, held: backend.callCount };
    await client.close();
    return sizes;
  }

  it('leaves no call behind after 10,000 calls were placed and ended', { timeout: 120_000 }, async () => {
    const refs: WeakRef<Call>[] = [];
    const sizes = await placeAndEnd(10_000, refs);
    expect(sizes).toEqual({ calls: 0, held: 0 });

    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // WeakRef targets stay alive until the job that created them ends: let it end, then collect.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs).toHaveLength(10_000);
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});

describe('A simulated caller, as a bot developer tests an IVR', () => {
  it('dials the bot, hears the greeting, presses 1 and hears the balance', async () => {
    const backend = new MemoryBackend({ promptDurationMs: 20 });
    const client = createTelephonyClient(backend);
    const botErrors: unknown[] = [];
    client.incomingCalls$.subscribe((incoming) => {
      void (async () => {
        const call = await incoming.answer();
        await call.waitForState('connected');
        await call.play(PlaySources.text('Welcome to Contoso Bank.'));
        const { tones } = await call.recognizeDtmf({
          prompt: PlaySources.text('Press 1 for your balance, or 2 for an agent.'),
          maxTones: 1,
        });
        await call.play(PlaySources.text(tones === '1' ? 'Your balance is 42 dollars.' : 'Connecting you.'));
        await call.hangUp();
      })().catch((error: unknown) => botErrors.push(error));
    });

    const caller = await backend.network.dial(phone('+14255550123'), { displayName: 'Grace' });
    await caller.waitToHear('Welcome to Contoso Bank.');
    await caller.waitToHear(/press 1/i);
    await caller.pressDigits('1');
    await caller.waitToHear('Your balance is 42 dollars.');
    await caller.waitForHangUp();

    expect(caller.heard).toEqual([
      'Welcome to Contoso Bank.',
      'Press 1 for your balance, or 2 for an agent.',
      'Your balance is 42 dollars.',
    ]);
    expect(caller.inCall).toBe(false);
    expect(botErrors).toEqual([]);
    await client.close();
  });
});
