import { describe, expect, it } from 'vitest';
import { createTelephonyClient, type OperationRequest, type StoredCall } from '../src/index.js';
import { caller, KeepingRouter, PbxBackend, pbxEvent, settled } from './support/pbx.js';

// Stop, pause and resume without a recording id address the call's recording: the one `startRecording` answered
// with or a `recording.state` event reported last. The shared store keeps it, so the instance that takes a call
// over stops the recording the first one started.

function recordingAnswers(backend: PbxBackend, recordingId: string): void {
  backend.respond = (request) =>
    request.operation.kind === 'startRecording'
      ? { status: 'completed', result: { recordingId } }
      : { status: 'completed' };
}

function recordingIdOf(request: OperationRequest | undefined): string | undefined {
  const operation = request?.operation;
  return operation !== undefined && 'recordingId' in operation ? operation.recordingId : undefined;
}

async function connectedCall(backend: PbxBackend, router?: KeepingRouter) {
  const client = createTelephonyClient(backend, router ? { router } : {});
  const call = await client.placeCall({ to: caller });
  backend.emit(pbxEvent('call.state', call.id, { state: 'connected' }));
  await settled(client);
  return { client, call };
}

describe('recording controls without an id', () => {
  it('address the recording startRecording answered with', async () => {
    const backend = new PbxBackend();
    recordingAnswers(backend, 'rec-1');
    const { call } = await connectedCall(backend);
    expect(await call.startRecording()).toEqual({ recordingId: 'rec-1' });
    await call.pauseRecording();
    expect(recordingIdOf(backend.requests.at(-1))).toBe('rec-1');
    await call.stopRecording({ recordingId: 'named' });
    expect(recordingIdOf(backend.requests.at(-1))).toBe('named');
  });

  it('address the recording the last recording.state reported (one the bot did not start)', async () => {
    const backend = new PbxBackend();
    recordingAnswers(backend, 'unused');
    const { client, call } = await connectedCall(backend);
    backend.emit(pbxEvent('recording.state', call.id, { state: 'active', recordingId: 'policy-rec' }));
    await settled(client);
    await call.stopRecording();
    expect(recordingIdOf(backend.requests.at(-1))).toBe('policy-rec');
  });

  it('leave the id to the backend when the call knows no recording', async () => {
    const backend = new PbxBackend();
    recordingAnswers(backend, 'unused');
    const { call } = await connectedCall(backend);
    await call.stopRecording();
    expect(backend.requests.at(-1)?.operation).toEqual({ kind: 'stopRecording' });
  });

  it('address the first instance’s recording after another instance took the call over', async () => {
    const first = new KeepingRouter('bot-1');
    const backend = new PbxBackend();
    recordingAnswers(backend, 'rec-7');
    const { client, call } = await connectedCall(backend, first);
    await call.startRecording();
    backend.emit(pbxEvent('recording.state', call.id, { state: 'active', recordingId: 'rec-7' }));
    await settled(client);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const stored = first.saved.get(call.id);
    expect(stored?.recording).toEqual({ recordingId: 'rec-7', state: 'active' });
    // Through JSON, as in a shared store.
    const carried = JSON.parse(JSON.stringify(stored)) as StoredCall;

    const second = new KeepingRouter('bot-2');
    const otherBackend = new PbxBackend();
    recordingAnswers(otherBackend, 'unused');
    const other = createTelephonyClient(otherBackend, { router: second });
    await second.host?.takeOver(carried, []);
    const taken = other.getCall(call.id);
    expect(taken).toBeDefined();
    await taken?.stopRecording();
    expect(recordingIdOf(otherBackend.requests.at(-1))).toBe('rec-7');
    // A repeated `active` is no news on the new owner either; `inactive` is.
    const seen: string[] = [];
    taken?.events$.subscribe((e) => {
      if (e.type === 'recording.state') seen.push(e.state);
    });
    otherBackend.emit(pbxEvent('recording.state', call.id, { state: 'active', recordingId: 'rec-7' }));
    otherBackend.emit(pbxEvent('recording.state', call.id, { state: 'inactive', recordingId: 'rec-7' }));
    await settled(other);
    expect(seen).toEqual(['inactive']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(second.saved.get(call.id)?.recording).toEqual({ recordingId: 'rec-7', state: 'inactive' });
  });
});
