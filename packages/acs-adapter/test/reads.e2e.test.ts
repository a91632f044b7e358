import { phone } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// The two read operations of the seed's 33 that have no place on `Call`: CallConnection_GetParticipant and
// CallRecording_GetRecordingProperties (REST R10 #51, R8), as methods of the ACS backend.

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

describe('ACS reads', () => {
  it('gets one participant (on hold after hold) and a recording’s properties', async () => {
    const party = stack.emulator.network.party(phone('+14255550801'));
    const call = await stack.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await call.hold(party.identity);
    const held = await stack.backend.getParticipant(call.id, party.identity);
    expect(held).toMatchObject({ identity: { rawId: '4:+14255550801' }, isOnHold: true, isBot: false });
    const { recordingId } = await call.startRecording();
    const recording = await stack.backend.getRecording(recordingId as string);
    expect(recording).toMatchObject({ recordingId, recordingKind: 'azureCommunicationServices' });
    expect(['inactive', 'active']).toContain(recording.state);
    await call.stopRecording();
    await call.hangUp();
  });
});
