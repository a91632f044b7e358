import { describe, expect, it } from 'vitest';
import {
  type Call,
  createTelephonyClient,
  handleCall,
  type IncomingCall,
  isCallEnded,
  phone,
  TelephonyError,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

async function ringing(backend = new ScriptedBackend()) {
  const client = createTelephonyClient(backend);
  const offered = new Promise<IncomingCall>((resolve) => {
    client.incomingCalls$.subscribe(resolve);
  });
  backend.emit(
    event('call.incoming', 'server-1', {
      from: phone('+14255550100'),
      to: phone('+18005550100'),
      incomingCallContext: 'ctx',
    }),
  );
  return { backend, client, incoming: await offered };
}

const callId = 'answered-server-1';

describe('handleCall', () => {
  it('answers, waits for connected, then runs the handler on the call', async () => {
    const { backend, incoming } = await ringing();
    const seen: string[] = [];
    const handled = handleCall(incoming, async (call) => {
      seen.push(call.state);
    });
    await Promise.resolve();
    expect(seen).toEqual([]);
    backend.emit(event('call.state', callId, { state: 'connected' }));
    await handled;
    expect(seen).toEqual(['connected']);
  });

  it('resolves quietly when the caller hangs up under an operation', async () => {
    const { backend, incoming } = await ringing();
    let reached = false;
    const handled = handleCall(incoming, async (call) => {
      const playing = call.play({ kind: 'text', text: 'Hello' });
      backend.emit(event('call.state', callId, { state: 'disconnected' }));
      await playing;
      reached = true;
    });
    backend.emit(event('call.state', callId, { state: 'connected' }));
    await expect(handled).resolves.toBeUndefined();
    expect(reached).toBe(false);
  });

  it('resolves quietly when the call ends before it connected', async () => {
    const { backend, incoming } = await ringing();
    let ran = false;
    const handled = handleCall(incoming, () => {
      ran = true;
    });
    await Promise.resolve();
    backend.emit(event('call.state', callId, { state: 'disconnected' }));
    await expect(handled).resolves.toBeUndefined();
    expect(ran).toBe(false);
  });

  it('resolves quietly when the call is gone before the answer', async () => {
    const backend = new ScriptedBackend();
    backend.answer = async () => {
      throw new TelephonyError('callNotFound', 'the caller hung up');
    };
    const { incoming } = await ringing(backend);
    await expect(handleCall(incoming, () => undefined)).resolves.toBeUndefined();
  });

  it('hangs up and rejects on any other failure, or hands it to onError', async () => {
    const { backend, incoming } = await ringing();
    const bug = new Error('a bug in the bot');
    const rejected = handleCall(incoming, () => {
      throw bug;
    });
    backend.emit(event('call.state', callId, { state: 'connected' }));
    await expect(rejected).rejects.toBe(bug);
    expect(backend.requests.map((request) => request.operation.kind)).toContain('hangUp');

    const second = await ringing();
    const reported: [unknown, Call | undefined][] = [];
    const handled = handleCall(
      second.incoming,
      () => {
        throw bug;
      },
      { onError: (error, call) => reported.push([error, call]) },
    );
    second.backend.emit(event('call.state', callId, { state: 'connected' }));
    await expect(handled).resolves.toBeUndefined();
    expect(reported).toHaveLength(1);
    expect(reported[0]?.[0]).toBe(bug);
    expect(reported[0]?.[1]?.id).toBe(callId);
  });
});

describe('waitForState on a call that already ended', () => {
  it('rejects at once with callEnded (it used to throw inside the subscription and wait for the timeout)', async () => {
    const { backend, incoming } = await ringing();
    const call = await incoming.answer();
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    const error = await call.waitForState('connected', { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(error, 'callEnded')).toBe(true);
  });
});

describe('isCallEnded', () => {
  it('is true for callEnded, and for any TelephonyError once the call has ended', async () => {
    const { backend, incoming } = await ringing();
    const call = await incoming.answer();
    const late = new TelephonyError('callNotFound', 'no such call');
    expect(isCallEnded(new TelephonyError('callEnded', 'ended'))).toBe(true);
    expect(isCallEnded(late, call)).toBe(false);
    expect(isCallEnded(new Error('callEnded'))).toBe(false);
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    expect(isCallEnded(late, call)).toBe(true);
    expect(isCallEnded(new Error('a bug'), call)).toBe(false);
  });
});
