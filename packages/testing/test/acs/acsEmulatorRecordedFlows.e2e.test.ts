import {
  CallAutomationClient,
  type CallAutomationClientOptions,
  type CreateCallOptions,
} from '@azure/communication-call-automation';
import { acsUser } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AcsEmulator, type AcsEmulatorOptions } from '../../src/emulators/acs/AcsEmulator.js';
import { CallbackReceiver } from './CallbackReceiver.js';

const user = (n: number) =>
  acsUser(`8:acs:00000000-0000-0000-0000-00000000000c_00000020-0000-0000-0000-00000000000${n}`);
const bob = user(1);
const carol = user(2);

// Removes `operationContext` from a request body before it is signed, as an SDK that does not fill one sends it.
type PipelinePolicy = NonNullable<CallAutomationClientOptions['additionalPolicies']>[number]['policy'];
const stripOperationContext: PipelinePolicy = {
  name: 'stripOperationContext',
  sendRequest: (request, next) => {
    if (typeof request.body === 'string') {
      const { operationContext: _dropped, ...rest } = JSON.parse(request.body) as Record<string, unknown>;
      request.body = JSON.stringify(rest);
    }
    return next(request);
  },
};

async function statusOf(action: Promise<unknown>): Promise<{ status: number; code?: string }> {
  try {
    await action;
    return { status: 202 };
  } catch (error) {
    const { statusCode, code } = error as { statusCode?: number; code?: string };
    return { status: statusCode ?? 0, ...(code !== undefined ? { code } : {}) };
  }
}

describe('AcsEmulator: recorded flows and refusals', () => {
  let emulator: AcsEmulator;
  let receiver: CallbackReceiver;
  let client: CallAutomationClient;

  async function start(options: AcsEmulatorOptions = {}): Promise<void> {
    emulator = await AcsEmulator.start({ promptDurationMs: 20, ...options });
    receiver = await CallbackReceiver.start();
    client = new CallAutomationClient(emulator.connectionString, { allowInsecureConnection: true });
  }

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function callTo(target: ReturnType<typeof acsUser>, options: CreateCallOptions = {}) {
    const { callConnectionProperties, callConnection } = await client.createCall(
      { targetParticipant: { communicationUserId: target.rawId } },
      `${receiver.url}/api/callbacks`,
      options,
    );
    const callId = callConnectionProperties.callConnectionId ?? '';
    await receiver.waitFor(
      'Microsoft.Communication.CallConnected',
      (data) => data.callConnectionId === callId,
    );
    return { callId, media: callConnection.getCallMedia(), callConnection };
  }

  it('refuses transcription and media streaming on a call created without their options (400/8585)', async () => {
    await start({ refuseStreamingWithoutOptions: true });
    const { media } = await callTo(bob);
    const refused = { status: 400, code: '8585' };
    expect(await statusOf(media.startTranscription({ locale: 'en-US' }))).toEqual(refused);
    expect(await statusOf(media.updateTranscription('fr-FR'))).toEqual(refused);
    expect(await statusOf(media.stopTranscription())).toEqual(refused);
    expect(await statusOf(media.startMediaStreaming())).toEqual(refused);
    expect(await statusOf(media.stopMediaStreaming())).toEqual(refused);
    expect(receiver.events('Microsoft.Communication.TranscriptionStarted')).toHaveLength(0);
    expect(receiver.events('Microsoft.Communication.MediaStreamingStarted')).toHaveLength(0);
  });

  it('accepts them on a call created with their options, started later', async () => {
    await start({ refuseStreamingWithoutOptions: true });
    const { media } = await callTo(bob, {
      transcriptionOptions: { transportType: 'websocket', locale: 'en-US', startTranscription: false },
      mediaStreamingOptions: {
        transportType: 'websocket',
        audioChannelType: 'mixed',
        startMediaStreaming: false,
      },
    });
    expect(await statusOf(media.startTranscription({ locale: 'en-US' }))).toEqual({ status: 202 });
    expect(await statusOf(media.startMediaStreaming())).toEqual({ status: 202 });
    await receiver.waitFor('Microsoft.Communication.TranscriptionStarted');
    await receiver.waitFor('Microsoft.Communication.MediaStreamingStarted');
  });

  // java createVOIPCallAndAnswerThenAddParticipantFinallyCancelAddParticipant (2025-06-15): the cancel was sent
  // without a context, and CancelAddParticipantSucceeded carries only the invitation id and 487/5234; no
  // AddParticipantFailed follows for the canceled add (js and java flow 5).
  it('cancels a ringing add: CancelAddParticipantSucceeded names the invitation, no context, no AddParticipantFailed', async () => {
    await start();
    const { callId, callConnection } = await callTo(bob);
    const withoutContext = new CallAutomationClient(emulator.connectionString, {
      allowInsecureConnection: true,
      additionalPolicies: [{ policy: stripOperationContext, position: 'perCall' }],
    });
    emulator.network.party(carol, { autoAnswer: false });
    const added = await callConnection.addParticipant(
      { targetParticipant: { communicationUserId: carol.rawId } },
      { operationContext: 'add-1' },
    );
    await emulator.network.party(carol).waitForRing();
    const invitationId = added.invitationId ?? '';
    expect(invitationId).not.toBe('');

    // The JS SDK fills in a random context when none is given; the java test sent none (REST as recorded).
    await withoutContext.getCallConnection(callId).cancelAddParticipantOperation(invitationId);
    const cancelBody = emulator.requests.find((r) => r.path.includes('cancelAddParticipant'))?.body;
    expect(cancelBody).toEqual({ invitationId });
    const canceled = await receiver.waitFor('Microsoft.Communication.CancelAddParticipantSucceeded');
    const data = canceled.event.data as Record<string, unknown>;
    expect(data).toMatchObject({
      invitationId,
      callConnectionId: callId,
      resultInformation: { code: 487, subCode: 5234 },
    });
    expect(data).not.toHaveProperty('operationContext');
    expect(emulator.network.party(carol).ringing).toBe(false);

    await callConnection.hangUp(true);
    await receiver.waitFor('Microsoft.Communication.CallDisconnected', (d) => d.callConnectionId === callId);
    const types = receiver.callbacks(callId).map((callback) => callback.type);
    expect(types).not.toContain('AddParticipantFailed');
    expect(types.indexOf('CancelAddParticipantSucceeded')).toBeLessThan(types.indexOf('CallDisconnected'));
  });

  // js and net flow 5: a context on the cancel is echoed.
  it("echoes the cancel request's own context when it has one", async () => {
    await start();
    const { callConnection } = await callTo(bob);
    emulator.network.party(carol, { autoAnswer: false });
    const added = await callConnection.addParticipant({
      targetParticipant: { communicationUserId: carol.rawId },
    });
    await emulator.network.party(carol).waitForRing();
    await callConnection.cancelAddParticipantOperation(added.invitationId ?? '', {
      operationContext: 'cancelOp',
    });
    const canceled = await receiver.waitFor('Microsoft.Communication.CancelAddParticipantSucceeded');
    expect(canceled.event.data).toMatchObject({
      operationContext: 'cancelOp',
      invitationId: added.invitationId,
    });
  });
});
