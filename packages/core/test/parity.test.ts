import { describe, expect, it } from 'vitest';
import {
  type Capabilities,
  createTelephonyClient,
  phone,
  type TelephonyClient,
  TelephonyError,
  type TelephonyEvent,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

// The parity contract of docs/events.md ("Parity") as the core enforces it, whatever the backend sends.

const caller = phone('+14255550100');

async function connectedCall(traits: Capabilities = {}) {
  const backend = new ScriptedBackend();
  backend.capabilities = { ...backend.capabilities, ...traits };
  const client = createTelephonyClient(backend);
  const clientEvents: TelephonyEvent[] = [];
  client.events$.subscribe((e) => clientEvents.push(e));
  const call = await client.placeCall({ to: caller });
  const callEvents: TelephonyEvent[] = [];
  call.events$.subscribe((e) => callEvents.push(e));
  backend.emit(
    event('call.state', call.id, { state: 'connected' }),
    event('participants.updated', call.id, {
      delta: false,
      participants: [{ identity: caller, isMuted: false }],
    }),
  );
  await settled(client);
  return { backend, client, call, callEvents, clientEvents };
}

function settled(client: TelephonyClient): Promise<void> {
  return (client as unknown as { settled(): Promise<void> }).settled();
}

function lastOperationId(backend: ScriptedBackend): string {
  const request = backend.requests.at(-1);
  if (!request) throw new Error('no request was sent');
  return request.operationId;
}

function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function types(events: readonly TelephonyEvent[]): string[] {
  return events.map((e) => (e.type === 'call.state' ? `call.state:${e.state}` : e.type));
}

describe('parity: what the bot sees', () => {
  it('does not repeat an unchanged call.state, on the call nor on the client', async () => {
    const { backend, client, call, callEvents, clientEvents } = await connectedCall();
    backend.emit(
      event('call.state', call.id, { state: 'connected' }),
      event('dtmf.received', call.id, { tone: '1' }),
      event('call.state', call.id, { state: 'connected' }),
      event('dtmf.received', call.id, { tone: '2' }),
      event('call.state', call.id, { state: 'connecting' }),
    );
    await settled(client);
    const forCall = (events: TelephonyEvent[]) => types(events.filter((e) => e.callId === call.id));
    expect(forCall(callEvents)).toEqual([
      'call.state:connected',
      'participants.updated',
      'dtmf.received',
      'dtmf.received',
    ]);
    expect(forCall(clientEvents)).toEqual(forCall(callEvents));
  });

  it('drops late events of an ended call from the client stream (a second disconnected)', async () => {
    const { backend, client, call, clientEvents } = await connectedCall();
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await call.ended;
    backend.emit(event('call.state', call.id, { state: 'disconnected' }));
    await settled(client);
    expect(clientEvents.filter((e) => e.type === 'call.state' && e.state === 'disconnected')).toHaveLength(1);
  });

  it('does not publish a roster update that changes nothing', async () => {
    const { backend, client, call, callEvents } = await connectedCall();
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: caller, isMuted: false }],
      }),
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: caller, isMuted: true }],
      }),
    );
    await settled(client);
    expect(callEvents.filter((e) => e.type === 'participants.updated')).toHaveLength(2);
  });

  it('resolves addParticipant only once the party is in call.participants', async () => {
    const { backend, client, call } = await connectedCall();
    const added = phone('+14255550199');
    let resolved = false;
    const adding = call.addParticipant(added).then((result) => {
      resolved = true;
      expect(call.participants.map((p) => p.identity.rawId)).toContain(added.rawId);
      return result;
    });
    backend.emit(
      event('participant.added', call.id, { operationId: lastOperationId(backend), participant: added }),
    );
    await settled(client);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [
          { identity: caller, isMuted: false },
          { identity: added, isMuted: false },
        ],
      }),
    );
    await expect(adding).resolves.toEqual({ participant: added });
  });

  it('gives a DTMF result its digits without the stop tone and the stop tone apart (tones unchanged)', async () => {
    const { backend, call } = await connectedCall();
    const recognizing = call.recognizeDtmf({ maxTones: 8, stopTones: ['#'] });
    backend.emit(
      event('recognize.completed', call.id, {
        operationId: lastOperationId(backend),
        result: { kind: 'dtmf', tones: '42#' },
      }),
    );
    await expect(recognizing).resolves.toEqual({ tones: '42#', digits: '42', stopTone: '#' });
    const plain = call.recognize({ kind: 'dtmf', maxTones: 2 });
    backend.emit(
      event('recognize.completed', call.id, {
        operationId: plain.operationId,
        result: { kind: 'dtmf', tones: '12' },
      }),
    );
    await expect(plain).resolves.toEqual({ kind: 'dtmf', tones: '12', digits: '12' });
  });

  it.each([
    [8510, 'noInput'],
    [8532, 'interToneTimeout'],
    [8534, 'noMatch'],
    [8547, 'noMatch'],
    [8511, 'promptFailed'],
    [9999, 'other'],
  ] as const)(
    'rejects a recognize that failed with subcode %i as %s, the raw code beside it',
    async (subcode, failure) => {
      const { backend, client, call, callEvents } = await connectedCall();
      const recognizing = outcomeOf(call.recognizeDtmf({ maxTones: 1 }));
      const reason = { code: 400, subcode, message: 'failed' };
      backend.emit(event('recognize.failed', call.id, { operationId: lastOperationId(backend), reason }));
      const { error } = (await recognizing) as { error: TelephonyError };
      expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
      expect(error.failure).toBe(failure);
      expect(error.result).toEqual(reason);
      await settled(client);
      expect(callEvents.find((e) => e.type === 'recognize.failed')).toMatchObject({ failure, reason });
    },
  );

  it('rejects a canceled recognize with failure canceled', async () => {
    const { backend, call } = await connectedCall();
    const recognizing = outcomeOf(call.recognizeDtmf({ maxTones: 1 }));
    backend.emit(event('recognize.canceled', call.id, { operationId: lastOperationId(backend) }));
    const { error } = (await recognizing) as { error: TelephonyError };
    expect(error.reason).toBe('canceled');
    expect(error.failure).toBe('canceled');
  });
});

describe('parity: the core helpers for what a service does not do (traits)', () => {
  const toneTraits: Capabilities = { 'recognize.fromTones': true, 'dtmf.sequenced': true };

  it('recognizes DTMF from the tone stream: the prompt is part of the recognize, tones are not events', async () => {
    const { backend, client, call, callEvents } = await connectedCall(toneTraits);
    const recognizing = call.recognizeDtmf({
      prompt: { kind: 'file', url: 'https://example.com/menu.wav' },
      maxTones: 3,
      stopTones: ['#'],
      initialSilenceTimeoutMs: 5_000,
    });
    const operationId = recognizing.operationId;
    backend.emit(
      event('play.started', call.id, { operationId }),
      event('play.completed', call.id, { operationId }),
      event('dtmf.received', call.id, { tone: '4', sequenceId: 1 }),
      // Out of order: 3 before 2; the core puts them back in sequence order.
      event('dtmf.received', call.id, { tone: '#', sequenceId: 3 }),
      event('dtmf.received', call.id, { tone: '2', sequenceId: 2 }),
    );
    await expect(recognizing).resolves.toEqual({ tones: '42#', digits: '42', stopTone: '#' });
    await settled(client);
    expect(types(callEvents.slice(2))).toEqual(['recognize.completed']);
    expect(callEvents.at(-1)).toMatchObject({ type: 'recognize.completed', operationId, backend: 'memory' });
  });

  it('goes on with a tone recognition another instance started (scale-out adoption)', async () => {
    const { backend, call } = await connectedCall(toneTraits);
    const adopted = (
      call as unknown as { adoptOperation(id: string, op: unknown, timeoutMs: number): Promise<unknown> }
    ).adoptOperation(
      'op-elsewhere',
      {
        kind: 'recognize',
        options: { kind: 'dtmf', maxTones: 2, prompt: { kind: 'file', url: 'https://example.com/menu.wav' } },
      },
      5_000,
    );
    backend.emit(
      event('dtmf.received', call.id, { tone: '1', sequenceId: 1 }),
      event('dtmf.received', call.id, { tone: '2', sequenceId: 2 }),
    );
    await expect(adopted).resolves.toEqual({ kind: 'dtmf', tones: '12', digits: '12' });
  });

  it('passes tones on as dtmf.received only while continuous DTMF is on', async () => {
    const { backend, client, call, callEvents } = await connectedCall(toneTraits);
    backend.replies.startContinuousDtmf = () => ({ status: 'completed' });
    backend.replies.stopContinuousDtmf = () => ({ status: 'completed' });
    backend.emit(event('dtmf.received', call.id, { tone: '1', sequenceId: 1 }));
    await call.startContinuousDtmf();
    backend.emit(event('dtmf.received', call.id, { tone: '2', sequenceId: 2 }));
    await settled(client);
    await call.stopContinuousDtmf();
    backend.emit(event('dtmf.received', call.id, { tone: '3', sequenceId: 3 }));
    await settled(client);
    expect(
      callEvents.filter((e) => e.type === 'dtmf.received').map((e) => (e as { tone: string }).tone),
    ).toEqual(['2']);
  });

  it('fails a tone recognition without input as noInput, and one whose prompt failed as promptFailed', async () => {
    const { backend, call } = await connectedCall(toneTraits);
    const silent = outcomeOf(call.recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 20 }));
    const { error } = (await silent) as { error: TelephonyError };
    expect(error.failure).toBe('noInput');
    expect(error.result?.subcode).toBe(8510);
    const prompted = call.recognizeDtmf({ prompt: { kind: 'file', url: 'https://example.com/x.wav' } });
    backend.emit(
      event('play.failed', call.id, {
        operationId: prompted.operationId,
        reason: { code: 404, subcode: 0, message: 'not found' },
      }),
    );
    const failed = (await outcomeOf(prompted)) as { error: TelephonyError };
    expect(failed.error.failure).toBe('promptFailed');
  });

  it('cancels tone recognitions with cancelMedia (failure canceled)', async () => {
    const { backend, call } = await connectedCall(toneTraits);
    backend.replies.cancelMedia = () => ({ status: 'completed' });
    const recognizing = outcomeOf(call.recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 5_000 }));
    await call.cancelMedia();
    const { error } = (await recognizing) as { error: TelephonyError };
    expect(error.reason).toBe('canceled');
    expect(error.failure).toBe('canceled');
  });

  it('marks a hold in the roster when the backend has no roster.holdState, and undoes it on hold.failed', async () => {
    const { backend, client, call } = await connectedCall();
    backend.replies.hold = () => ({ status: 'completed' });
    const holding = call.hold(caller);
    await holding;
    expect(call.participants.find((p) => p.identity.rawId === caller.rawId)?.isOnHold).toBe(true);
    // A later roster from the backend, which never says who is on hold, keeps the mark.
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: caller, isMuted: true }],
      }),
    );
    await settled(client);
    expect(call.participants[0]).toMatchObject({ isMuted: true, isOnHold: true });
    backend.emit(event('hold.failed', call.id, { operationId: holding.operationId }));
    await settled(client);
    expect(call.participants[0]?.isOnHold).toBe(false);
  });

  it('resolves a hold once the roster of a backend with roster.holdState shows it', async () => {
    const { backend, client, call } = await connectedCall({ 'roster.holdState': true });
    backend.replies.hold = () => ({ status: 'completed' });
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: caller, isMuted: false, isOnHold: false }],
      }),
    );
    await settled(client);
    let resolved = false;
    const holding = call.hold(caller).then(() => {
      resolved = true;
    });
    await settled(client);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    expect(call.participants[0]?.isOnHold).toBe(false);
    backend.emit(
      event('participants.updated', call.id, {
        delta: false,
        participants: [{ identity: caller, isMuted: false, isOnHold: true }],
      }),
    );
    await holding;
    expect(call.participants[0]?.isOnHold).toBe(true);
  });

  it('correlates a transfer outcome that carries no operation id', async () => {
    const { backend, call } = await connectedCall();
    const transferring = call.transfer(phone('+14255550111'));
    backend.emit(event('transfer.accepted', call.id, {}));
    await expect(transferring).resolves.toBeUndefined();
  });
});
