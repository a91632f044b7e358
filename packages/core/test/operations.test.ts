import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Call,
  createTelephonyClient,
  phone,
  TelephonyError,
  type TelephonyEvent,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

async function connectedCall(backend = new ScriptedBackend(), options = {}) {
  const client = createTelephonyClient(backend, options);
  const call = await client.placeCall({ to: phone('+14255550100') });
  backend.emit(event('call.state', call.id, { state: 'connected' }));
  return { client, call, backend };
}

function lastOperationId(backend: ScriptedBackend): string {
  const request = backend.requests.at(-1);
  if (!request) throw new Error('no request was sent');
  return request.operationId;
}

describe('operation settling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves a play when its completion event arrives, not when the request returns', async () => {
    const { call, backend } = await connectedCall();
    let settled = false;
    const playing = call.play({ kind: 'text', text: 'Hello' }).then(() => {
      settled = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(backend.requests[0]?.operation).toEqual({
      kind: 'play',
      sources: [{ kind: 'text', text: 'Hello' }],
    });
    backend.emit(event('play.started', call.id, { operationId: lastOperationId(backend) }));
    await Promise.resolve();
    expect(settled).toBe(false);
    backend.emit(event('play.completed', call.id, { operationId: lastOperationId(backend) }));
    await playing;
    expect(settled).toBe(true);
  });

  it('exposes the operationId that correlates the events', async () => {
    const { call, backend } = await connectedCall();
    const playing = call.play({ kind: 'file', url: 'https://example.com/a.wav' });
    expect(playing.operationId).toBe(lastOperationId(backend));
    backend.emit(event('play.completed', call.id, { operationId: playing.operationId }));
    await expect(playing).resolves.toBeUndefined();
  });

  it('resolves recognize with the recognized tones', async () => {
    const { call, backend } = await connectedCall();
    const recognizing = call.recognizeDtmf({ maxTones: 4, stopTones: ['#'] });
    backend.emit(
      event('recognize.completed', call.id, {
        operationId: recognizing.operationId,
        result: { kind: 'dtmf', tones: '123#' },
      }),
    );
    await expect(recognizing).resolves.toEqual({ tones: '123#', digits: '123', stopTone: '#' });
  });

  it('rejects with operationFailed carrying the result of the failure event', async () => {
    const { call } = await connectedCall();
    const recognizing = call.recognize({ kind: 'dtmf', maxTones: 1 });
    const failure = { code: 400, subcode: 8510, message: 'Action failed, initial silence timeout reached.' };
    (call as unknown as { receive(e: TelephonyEvent): void }).receive(
      event('recognize.failed', call.id, { operationId: recognizing.operationId, reason: failure }),
    );
    const error = await recognizing.catch((e: unknown) => e);
    expect(TelephonyError.is(error)).toBe(true);
    expect(error).toMatchObject({
      reason: 'operationFailed',
      result: failure,
      operation: 'recognize',
      callId: call.id,
    });
  });

  it('rejects with canceled when the backend cancels the operation', async () => {
    const { call, backend } = await connectedCall();
    const playing = call.play({ kind: 'text', text: 'hold music' }, { loop: true });
    backend.emit(event('play.canceled', call.id, { operationId: playing.operationId }));
    await expect(playing).rejects.toMatchObject({ reason: 'canceled' });
  });

  it('does not lose a completion that arrives before the request returns', async () => {
    const backend = new ScriptedBackend();
    backend.replies.play = (request, self) => {
      self.emit(event('play.completed', request.callId, { operationId: request.operationId }));
      return { status: 'accepted' };
    };
    const { call } = await connectedCall(backend);
    await expect(call.play({ kind: 'text', text: 'fast' })).resolves.toBeUndefined();
  });

  it('settles at once when the backend acknowledges a final answer', async () => {
    const backend = new ScriptedBackend();
    backend.replies.startRecording = () => ({ status: 'completed', result: { recordingId: 'rec-1' } });
    backend.replies.hold = () => ({ status: 'completed' });
    const { call } = await connectedCall(backend);
    await expect(call.startRecording()).resolves.toEqual({ recordingId: 'rec-1' });
    await expect(call.hold(phone('+14255550100'))).resolves.toBeUndefined();
  });

  it('rejects with the backend error when the request fails', async () => {
    const backend = new ScriptedBackend();
    backend.replies.play = () => {
      throw new TelephonyError('throttled', 'slow down', { status: 429, retryAfterMs: 2000 });
    };
    const { call } = await connectedCall(backend);
    const error = await call.play({ kind: 'text', text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'throttled', retryAfterMs: 2000, isRetryable: true });
  });

  it('wraps an error of another kind as a TelephonyError', async () => {
    const backend = new ScriptedBackend();
    backend.replies.play = () => {
      throw new RangeError('boom');
    };
    const { call } = await connectedCall(backend);
    const error = await call.play({ kind: 'text', text: 'x' }).catch((e: unknown) => e);
    expect(TelephonyError.is(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'backend', message: 'boom' });
  });

  it('times out on the configured timeout, with no real waiting', async () => {
    vi.useFakeTimers();
    const { call } = await connectedCall(new ScriptedBackend(), { operationTimeoutMs: 60_000 });
    const playing = call.play({ kind: 'text', text: 'never completes' });
    const outcome = playing.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(59_999);
    const perCall = call.play({ kind: 'text', text: 'short' }, { timeoutMs: 10 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await perCall).toMatchObject({ reason: 'timeout', operation: 'play' });
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ reason: 'timeout' });
  });

  it('rejects with aborted when the signal fires, and at once when it already fired', async () => {
    const { call } = await connectedCall();
    const controller = new AbortController();
    const playing = call.play({ kind: 'text', text: 'x' }, { signal: controller.signal });
    controller.abort();
    await expect(playing).rejects.toMatchObject({ reason: 'aborted' });
    await expect(call.play({ kind: 'text', text: 'y' }, { signal: controller.signal })).rejects.toMatchObject(
      {
        reason: 'aborted',
      },
    );
  });

  it('rejects pending operations with callEnded when the call ends, with the end reason', async () => {
    const { call, backend } = await connectedCall();
    const recognizing = call.recognize({ kind: 'dtmf' });
    const reason = { code: 0, subcode: 0, message: 'The conversation has ended.' };
    backend.emit(event('call.state', call.id, { state: 'disconnected', reason }));
    await expect(recognizing).rejects.toMatchObject({ reason: 'callEnded', result: reason });
    await expect(call.ended).resolves.toMatchObject({ state: 'disconnected', reason });
    await expect(call.play({ kind: 'text', text: 'late' })).rejects.toMatchObject({ reason: 'callEnded' });
  });

  it('rejects an unsupported operation at once, naming the backend and the operation', async () => {
    const backend = new ScriptedBackend();
    backend.capabilities = { ...backend.capabilities, 'play.text': false, startTranscription: false };
    const { call } = await connectedCall(backend);
    await expect(call.play({ kind: 'text', text: 'x' })).rejects.toMatchObject({
      reason: 'unsupported',
      message: 'memory does not support play (play.text)',
    });
    await expect(call.startTranscription()).rejects.toMatchObject({
      reason: 'unsupported',
      operation: 'startTranscription',
    });
    expect(backend.requests).toHaveLength(0);
  });

  it('cancels a pending add when cancelAddParticipant succeeds', async () => {
    const { call, backend } = await connectedCall();
    const adding = call.addParticipant(phone('+14255550199'));
    const canceling = call.cancelAddParticipant(adding.operationId);
    expect(backend.requests[1]?.operation).toEqual({
      kind: 'cancelAddParticipant',
      addOperationId: adding.operationId,
    });
    backend.emit(event('participant.addCanceled', call.id, { operationId: canceling.operationId }));
    await expect(canceling).resolves.toBeUndefined();
    await expect(adding).rejects.toMatchObject({ reason: 'canceled' });
  });

  it('resolves addParticipant with the participant and invitation id', async () => {
    const { call } = await connectedCall();
    const target = phone('+14255550199');
    const adding = call.addParticipant(target, { invitationTimeoutSeconds: 30 });
    // It resolves once the party is in the roster (see test/parity.test.ts).
    (call as unknown as { receive(e: TelephonyEvent): void }).receive(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: target, isMuted: false }],
      }),
    );
    (call as unknown as { receive(e: TelephonyEvent): void }).receive(
      event('participant.added', call.id, {
        operationId: adding.operationId,
        participant: target,
        invitationId: 'inv-1',
      }),
    );
    await expect(adding).resolves.toEqual({ participant: target, invitationId: 'inv-1' });
  });
});

describe('hang-up and terminate', () => {
  it('resolve once the call is disconnected, and are idempotent', async () => {
    const { call, backend } = await connectedCall();
    const first = call.hangUp();
    const second = call.hangUp();
    expect(second).toBe(first);
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await expect(first).resolves.toBeUndefined();
    await expect(call.hangUp()).resolves.toBeUndefined();
    await expect(call.terminate()).resolves.toBeUndefined();
    expect(backend.requests.filter((r) => r.operation.kind === 'hangUp')).toHaveLength(1);
    expect(backend.requests.filter((r) => r.operation.kind === 'terminate')).toHaveLength(0);
  });

  it('treat a call the service no longer knows as ended', async () => {
    const backend = new ScriptedBackend();
    backend.replies.terminate = () => {
      throw new TelephonyError('callNotFound', 'gone', { status: 404 });
    };
    const { call } = await connectedCall(backend);
    await expect(call.terminate()).resolves.toBeUndefined();
    expect(call.state).toBe('disconnected');
    await expect(call.ended).resolves.toMatchObject({ state: 'disconnected' });
  });

  it('let a failed hang-up be tried again', async () => {
    const backend = new ScriptedBackend();
    let attempts = 0;
    backend.replies.hangUp = () => {
      attempts += 1;
      if (attempts === 1) throw new TelephonyError('transient', 'try again', { status: 503 });
      return { status: 'accepted' };
    };
    const { call } = await connectedCall(backend);
    await expect(call.hangUp()).rejects.toMatchObject({ reason: 'transient' });
    const retry = call.hangUp();
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await expect(retry).resolves.toBeUndefined();
    expect(attempts).toBe(2);
  });
});

describe('events reach only their call', () => {
  it('routes by call id and releases an ended call', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const a = await client.placeCall({ to: phone('+14255550101') });
    const b = await client.placeCall({ to: phone('+14255550102') });
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.events$.subscribe((e) => seenA.push(e.type));
    b.events$.subscribe((e) => seenB.push(e.type));
    backend.emit(
      event('dtmf.received', a.id, { tone: '1' }),
      event('call.state', b.id, { state: 'connected' }),
    );
    expect(seenA).toEqual(['dtmf.received']);
    expect(seenB).toEqual(['call.state']);
    backend.emit(event('call.state', a.id, { state: 'disconnected' }));
    expect(client.getCall(a.id)).toBeUndefined();
    expect(client.calls.size).toBe(1);
    expect(backend.released).toEqual([a.id]);
  });

  it('holds events that arrive before the call is known and replays them', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    backend.emit(event('call.state', 'call-1', { state: 'connected' }));
    const call = await client.placeCall({ to: phone('+14255550101') });
    expect(call.id).toBe('call-1');
    expect(call.state).toBe('connected');
  });

  it('offers a repeated incoming call once', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const offered: string[] = [];
    client.incomingCalls$.subscribe((incoming) => offered.push(incoming.id));
    const incoming = event('call.incoming', 'server-1', {
      eventId: 'eg-1',
      from: phone('+14255550100'),
      to: phone('+18005550100'),
      incomingCallContext: 'ctx',
    });
    backend.emit(incoming, incoming);
    expect(offered).toEqual(['server-1']);
  });
});

describe('call state', () => {
  it('moves only forward: a late connecting after connected changes nothing', async () => {
    const { call, backend } = await connectedCall();
    const states: string[] = [];
    call.state$.subscribe((s) => states.push(s));
    backend.emit(event('call.state', call.id, { state: 'connecting' }));
    backend.emit(event('call.state', call.id, { state: 'onHold' }));
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    expect(states).toEqual(['connected', 'onHold', 'connected', 'disconnected']);
  });

  it('replays the current state and roster to a late subscriber', async () => {
    const { call, backend } = await connectedCall();
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: phone('+14255550100'), isMuted: false }],
      }),
    );
    let state: string | undefined;
    let roster: readonly unknown[] | undefined;
    call.state$.subscribe((s) => {
      state = s;
    });
    call.participants$.subscribe((p) => {
      roster = p;
    });
    expect(state).toBe('connected');
    expect(roster).toHaveLength(1);
    expect(call.snapshot()).toMatchObject({
      state: 'connected',
      participants: [{ identity: { rawId: '4:+14255550100' } }],
    });
  });

  it('waitForState resolves when reached and rejects when the call ends first', async () => {
    const backend = new ScriptedBackend();
    const client = createTelephonyClient(backend);
    const call: Call = await client.placeCall({ to: phone('+14255550101') });
    const connected = call.waitForState('connected');
    backend.emit(event('call.state', call.id, { state: 'connected' }));
    await expect(connected).resolves.toBeUndefined();
    const other = await client.placeCall({ to: phone('+14255550102') });
    const never = other.waitForState('connected');
    backend.emit(event('call.state', other.id, { state: 'disconnected' }));
    await expect(never).rejects.toMatchObject({ reason: 'callEnded' });
    await expect(other.waitForState('disconnected')).resolves.toBeUndefined();
  });
});

describe('rehydrate', () => {
  it('rebuilds a call this client does not know from the backend, and refreshes one it knows', async () => {
    const backend = new ScriptedBackend();
    const roster = [{ identity: phone('+14255550100'), isMuted: false }];
    backend.getCall = async (callId) => ({
      callId,
      state: 'connected',
      participants: roster,
      direction: 'outbound',
    });
    const client = createTelephonyClient(backend);
    const call = await client.rehydrate('existing-1');
    expect(call).toMatchObject({ id: 'existing-1', state: 'connected', direction: 'outbound' });
    expect(call.participants).toEqual(roster);
    expect(client.getCall('existing-1')).toBe(call);
    const playing = call.play({ kind: 'text', text: 'welcome back' });
    backend.emit(event('play.completed', call.id, { operationId: playing.operationId }));
    await expect(playing).resolves.toBeUndefined();
    backend.getCall = async (callId) => ({ callId, state: 'disconnected', participants: [] });
    expect(await client.rehydrate('existing-1')).toBe(call);
    await expect(call.ended).resolves.toMatchObject({ state: 'disconnected' });
    expect(client.calls.size).toBe(0);
  });

  it('rejects with callNotFound for a call the service does not know', async () => {
    const client = createTelephonyClient(new ScriptedBackend());
    await expect(client.rehydrate('nope')).rejects.toMatchObject({ reason: 'callNotFound' });
  });
});

describe('rehydrate of an ended call', () => {
  it('releases a call the service reports as disconnected', async () => {
    const backend = new ScriptedBackend();
    backend.getCall = async (callId) => ({ callId, state: 'disconnected', participants: [] });
    const client = createTelephonyClient(backend);
    const call = await client.rehydrate('gone-1');
    await expect(call.ended).resolves.toMatchObject({ state: 'disconnected' });
    expect(client.calls.size).toBe(0);
  });
});
