import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { TelephonyEvent, TelephonyEventOf } from '@switchboard/core';
import { acceptedEventsChannelName, phone } from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// The order the live service shows (RECORDED-FLOWS "Ids: which exist when", flows 1, 3, 12): CreateCall answers
// before a serverCallId exists, ParticipantsUpdated comes before CallConnected, a recording is `inactive` then
// `active` and its events name the recording (their callConnectionId is the recorder's), CallDisconnected carries
// the create or answer context. The adapter must not rely on the eager order.

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

describe('ACS timing as the live service shows it', () => {
  it('creates a call whose 201 has no serverCallId; the call learns it, roster before connected', async () => {
    const party = stack.emulator.network.party(phone('+14255550601'));
    const call = await stack.client.placeCall({ to: party.identity });
    const create = stack.emulator.requests.findLast(
      (r) => r.method === 'POST' && r.path.startsWith('/calling/callConnections?'),
    );
    expect(create).toBeDefined();
    const handle = await stack.backend.getCall(call.id);
    await call.waitForState('connected', { timeoutMs: 5_000 });
    expect(handle.callId).toBe(call.id);
    expect(call.snapshot().serverCallId).toEqual(expect.any(String));
    const types = stack.events.filter((e) => e.callId === call.id).map((e) => e.type);
    expect(types.indexOf('participants.updated')).toBeLessThan(types.indexOf('call.state'));
    expect(call.participants.some((p) => p.identity.rawId === party.identity.rawId)).toBe(true);
    await call.hangUp();
  });

  it('routes recording events by recording: inactive, then active with kind and start time', async () => {
    const party = stack.emulator.network.party(phone('+14255550602'));
    const call = await stack.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    // What the service sent and the client routed to the call: inactive first, then active.
    const routed: string[] = [];
    const onAccepted = (message: unknown) => {
      const event = message as TelephonyEvent;
      if (event.type === 'recording.state' && event.callId === call.id) routed.push(event.state);
    };
    subscribe(acceptedEventsChannelName, onAccepted);
    // What the bot sees: the first inactive is no change (docs/events.md, Parity), so active, then inactive.
    const recordingState = (state: string) =>
      firstValueFrom(
        call.events$.pipe(
          filter(
            (e): e is TelephonyEventOf<'recording.state'> =>
              e.type === 'recording.state' && e.state === state,
          ),
        ),
      );
    const seen: string[] = [];
    call.events$.subscribe((e) => {
      if (e.type === 'recording.state') seen.push(e.state);
    });
    const activated = recordingState('active');
    const { recordingId } = await call.startRecording();
    const active = await activated;
    const deactivated = recordingState('inactive');
    await call.stopRecording({ recordingId });
    await deactivated;
    unsubscribe(acceptedEventsChannelName, onAccepted);
    expect(routed.slice(0, 2)).toEqual(['inactive', 'active']);
    expect(seen).toEqual(['active', 'inactive']);
    expect(active.recordingId).toBe(recordingId);
    expect(active.recordingKind).toBe('azureCommunicationServices');
    expect(active.startTime).toEqual(expect.any(String));
    expect(active.callId).toBe(call.id);
    const raw = active.raw as { source: string; data: { callConnectionId: string } };
    expect(raw.source.startsWith('calling/recordings/')).toBe(true);
    expect(raw.data.callConnectionId).not.toBe(call.id);
    await call.hangUp();
  });

  it('a declined call ends once, with the create context echoed on CallDisconnected', async () => {
    const party = stack.emulator.network.party(phone('+14255550603'), { declines: true });
    const call = await stack.client.placeCall({ to: party.identity });
    const end = await call.ended;
    expect(end.cause).toBe('declined');
    expect(end.reason).toMatchObject({ code: 603, subcode: 0 });
  });

  it('settles streaming and transcription on the state event, which carries no operationContext', async () => {
    const party = stack.emulator.network.party(phone('+14255550604'));
    const call = await stack.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await call.startMediaStreaming({ timeoutMs: 3_000 });
    await call.stopMediaStreaming({ timeoutMs: 3_000 });
    await call.startTranscription({ locale: 'en-US', timeoutMs: 3_000 });
    await call.stopTranscription({ timeoutMs: 3_000 });
    const states = stack.events.filter(
      (e) => e.callId === call.id && (e.type === 'mediaStreaming.state' || e.type === 'transcription.state'),
    );
    expect(states).toHaveLength(4);
    // As recorded (flow 14, 15): the service sent no context; the adapter matched each event to its operation.
    for (const event of states) {
      expect((event.raw as { data: Record<string, unknown> }).data).not.toHaveProperty('operationContext');
      expect(event.operationId).toEqual(expect.any(String));
    }
    await call.hangUp();
  });
});
