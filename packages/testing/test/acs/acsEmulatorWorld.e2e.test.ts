import { CallAutomationClient } from '@azure/communication-call-automation';
import { acsUser } from '@switchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsEmulator } from '../../src/emulators/acs/AcsEmulator.js';
import { PhoneParty } from '../../src/simulation/PhoneParty.js';
import { CallbackReceiver } from './CallbackReceiver.js';

const user = (n: number) =>
  acsUser(`8:acs:00000000-0000-0000-0000-00000000000b_00000020-0000-0000-0000-00000000000${n}`);
const bob = user(1);
const carol = user(2);
const dave = user(3);

// The emulator's parties are the simulated world's parties: the rings, lines and bridges of
// src/simulation, driven over the emulated REST API.
describe('AcsEmulator on the simulated world', () => {
  let emulator: AcsEmulator;
  let receiver: CallbackReceiver;
  let client: CallAutomationClient;

  beforeEach(async () => {
    emulator = await AcsEmulator.start({ promptDurationMs: 20 });
    receiver = await CallbackReceiver.start();
    client = new CallAutomationClient(emulator.connectionString, { allowInsecureConnection: true });
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function callTo(target: ReturnType<typeof acsUser>) {
    const { callConnectionProperties, callConnection } = await client.createCall(
      { targetParticipant: { communicationUserId: target.rawId } },
      `${receiver.url}/api/callbacks`,
    );
    const callId = callConnectionProperties.callConnectionId ?? '';
    await receiver.waitFor(
      'Microsoft.Communication.CallConnected',
      (data) => data.callConnectionId === callId,
    );
    return { callId, callConnection };
  }

  it('gives tests the world party: a PhoneParty from the network', () => {
    expect(emulator.network.party(bob)).toBeInstanceOf(PhoneParty);
    expect(emulator.network.party(bob)).toBe(emulator.network.party(bob));
  });

  it('hanging up a connect()-ed leg leaves the other party in the original call (flow 13)', async () => {
    const original = await callTo(bob);
    const party = emulator.network.party(bob);
    const { serverCallId } = await original.callConnection.getCallConnectionProperties();
    const connected = await client.connectCall(
      { kind: 'serverCallLocator', id: serverCallId ?? '' },
      `${receiver.url}/api/callbacks`,
    );
    const legId = connected.callConnectionProperties.callConnectionId ?? '';
    await receiver.waitFor(
      'Microsoft.Communication.CallConnected',
      (data) => data.callConnectionId === legId,
    );

    await connected.callConnection.hangUp(false);
    await receiver.waitFor(
      'Microsoft.Communication.CallDisconnected',
      (data) => data.callConnectionId === legId,
    );
    expect(party.inCall).toBe(true);
    expect(party.callId).toBe(original.callId);
    const still = await original.callConnection.getCallConnectionProperties();
    expect(still.callConnectionState).toBe('connected');

    await party.hangUp();
    const ended = await receiver.waitFor(
      'Microsoft.Communication.CallDisconnected',
      (data) => data.callConnectionId === original.callId,
    );
    expect(ended.event.data).toMatchObject({ resultInformation: { code: 200, subCode: 5002 } });
  });

  it('the bot leaving a call with two others leaves them talking on a bridge', async () => {
    const { callId, callConnection } = await callTo(bob);
    await callConnection.addParticipant({ targetParticipant: { communicationUserId: carol.rawId } });
    await receiver.waitFor('Microsoft.Communication.AddParticipantSucceeded');

    await callConnection.hangUp(false);
    await receiver.waitFor(
      'Microsoft.Communication.CallDisconnected',
      (data) => data.callConnectionId === callId,
    );
    const [b, c] = [emulator.network.party(bob), emulator.network.party(carol)];
    expect(b.inCall && c.inCall).toBe(true);
    expect(b.peers.map((peer) => peer.rawId)).toEqual([carol.rawId]);
    expect(c.peers.map((peer) => peer.rawId)).toEqual([bob.rawId]);

    await c.hangUp();
    expect(b.inCall).toBe(false);
  });

  it('a transfer leaves the transferee with the target; a busy party refuses an invitation with 486', async () => {
    const { callId, callConnection } = await callTo(bob);
    await callConnection.transferCallToParticipant({ communicationUserId: carol.rawId });
    await receiver.waitFor('Microsoft.Communication.CallTransferAccepted');
    await receiver.waitFor(
      'Microsoft.Communication.CallDisconnected',
      (data) => data.callConnectionId === callId,
    );
    expect(emulator.network.party(bob).peers.map((peer) => peer.rawId)).toEqual([carol.rawId]);

    const second = await callTo(dave);
    await second.callConnection.addParticipant({ targetParticipant: { communicationUserId: bob.rawId } });
    const failed = await receiver.waitFor('Microsoft.Communication.AddParticipantFailed');
    expect(failed.event.data).toMatchObject({ resultInformation: { code: 486, subCode: 560486 } });
  });
});
