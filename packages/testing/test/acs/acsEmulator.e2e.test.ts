import {
  CallAutomationClient,
  DtmfTone,
  parseCallAutomationEvent,
} from '@azure/communication-call-automation';
import { acsUser, phone } from '@switchboard/core';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsEmulator } from '../../src/emulators/acs/AcsEmulator.js';
import { CallbackReceiver as Receiver } from './CallbackReceiver.js';

// Text prompts need speech services linked to the call, as on the real service.
const speech = 'https://speech.example.cognitiveservices.azure.com/';

const bob = acsUser('8:acs:00000000-0000-0000-0000-00000000000b_00000020-0000-0000-0000-000000000001');

describe('AcsEmulator driven by the official SDK', () => {
  let emulator: AcsEmulator;
  let receiver: Receiver;
  let client: CallAutomationClient;

  beforeEach(async () => {
    emulator = await AcsEmulator.start({ promptDurationMs: 20 });
    receiver = await Receiver.start();
    client = new CallAutomationClient(emulator.connectionString, { allowInsecureConnection: true });
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function connectedCallToBob() {
    const party = emulator.network.party(bob);
    const { callConnectionProperties, callConnection } = await client.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
      { operationContext: 'create-1', callIntelligenceOptions: { cognitiveServicesEndpoint: speech } },
    );
    const callId = callConnectionProperties.callConnectionId ?? '';
    await receiver.waitFor(
      'Microsoft.Communication.CallConnected',
      (data) => data.callConnectionId === callId,
    );
    return { party, callId, callConnection };
  }

  it('creates a call that the party answers, with a CallConnected whose token verifies against the JWKS', async () => {
    const party = emulator.network.party(bob);
    const { callConnectionProperties } = await client.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
      { operationContext: 'create-1' },
    );
    expect(callConnectionProperties.callConnectionState).toBe('connecting');
    const callId = callConnectionProperties.callConnectionId;

    const { event, delivery } = await receiver.waitFor('Microsoft.Communication.CallConnected');
    const data = event.data as Record<string, unknown>;
    expect(data.callConnectionId).toBe(callId);
    expect(data.operationContext).toBe('create-1');
    expect(data.resultInformation).toMatchObject({ code: 200, subCode: 0 });
    expect(event).toMatchObject({ specversion: '1.0', subject: `calling/callConnections/${callId}` });
    expect(delivery.path).toBe('/api/callbacks');

    const token = String(delivery.headers.authorization).replace(/^Bearer /, '');
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(emulator.keysUrl)),
      {
        issuer: 'https://acscallautomation.communication.azure.com',
        audience: emulator.resourceId,
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);

    const roster = await receiver.waitFor('Microsoft.Communication.ParticipantsUpdated');
    // The bot itself is listed first, as the live service lists it (RECORDED-FLOWS "Facts").
    expect(roster.event.data).toMatchObject({
      sequenceNumber: 1,
      participants: [
        { identifier: { kind: 'communicationUser' }, isMuted: false, isOnHold: false },
        { identifier: { rawId: bob.rawId }, isMuted: false, isOnHold: false },
      ],
    });
    expect(party.inCall).toBe(true);
    expect(party.callId).toBe(callId);

    const parsed = parseCallAutomationEvent(delivery.body as unknown as Record<string, unknown>);
    expect(parsed.kind).toBe('CallConnected');
    const properties = await client.getCallConnection(callId ?? '').getCallConnectionProperties();
    expect(properties.callConnectionState).toBe('connected');
  });

  it('plays a prompt the party hears and reports PlayCompleted with the operationContext', async () => {
    const { party, callConnection } = await connectedCallToBob();
    await callConnection
      .getCallMedia()
      .playToAll([{ kind: 'textSource', text: 'Welcome to Contoso.' }], { operationContext: 'play-1' });
    await expect(party.waitToHear(/welcome/i)).resolves.toBe('Welcome to Contoso.');
    const started = await receiver.waitFor('Microsoft.Communication.PlayStarted');
    const completed = await receiver.waitFor('Microsoft.Communication.PlayCompleted');
    expect(completed.event.data).toMatchObject({
      operationContext: 'play-1',
      resultInformation: { code: 200, subCode: 0 },
    });
    expect(receiver.received.indexOf(started.delivery)).toBeLessThan(
      receiver.received.indexOf(completed.delivery),
    );
  });

  it('refuses a request signed with the wrong access key with 401 and the ACS error body', async () => {
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const intruder = new CallAutomationClient(`endpoint=${emulator.endpoint};accesskey=${wrongKey}`, {
      allowInsecureConnection: true,
    });
    const attempt = intruder.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
    );
    await expect(attempt).rejects.toMatchObject({ statusCode: 401, code: 'Denied' });
    expect(emulator.network.party(bob).inCall).toBe(false);
  });

  it('answers 404 with the ACS error body for an unknown call', async () => {
    const attempt = client
      .getCallConnection('1b5c8a55-0000-4000-8000-000000000000')
      .getCallConnectionProperties();
    await expect(attempt).rejects.toMatchObject({ statusCode: 404, code: '8522' });
    const response = await fetch(
      `${emulator.endpoint}calling/callConnections/unknown?api-version=2026-03-12`,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'Denied' } });
  });

  it('acts once on a request repeated with the same Repeatability-Request-ID', async () => {
    const { callConnection } = await connectedCallToBob();
    const carol = emulator.network.party(
      acsUser('8:acs:00000000-0000-0000-0000-00000000000c_00000020-0000-0000-0000-00000000000c'),
    );
    const first = await callConnection.addParticipant(
      { targetParticipant: { communicationUserId: carol.identity.rawId } },
      { operationContext: 'add-1' },
    );
    const sent = emulator.requests.find((r) => r.path.includes('participants:add'));
    expect(sent?.headers['repeatability-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    // The same bytes and headers again, as a client retrying after a lost response would send them.
    const headers = Object.fromEntries(
      Object.entries(sent?.headers ?? {}).filter(
        ([name]) => !['host', 'content-length', 'connection'].includes(name),
      ),
    );
    const replay = await fetch(new URL(sent?.path ?? '', emulator.endpoint), {
      method: 'POST',
      headers,
      body: JSON.stringify(sent?.body),
    });
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as { invitationId?: string }).invitationId).toBe(first.invitationId);

    await receiver.waitFor('Microsoft.Communication.AddParticipantSucceeded');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.events('Microsoft.Communication.AddParticipantSucceeded')).toHaveLength(1);
    expect(carol.inCall).toBe(true);
  });

  it('validates the Event Grid subscription, then delivers an IncomingCall the bot can answer', async () => {
    await emulator.subscribeEventGrid(`${receiver.url}/api/incoming`, { secret: 's3cret' });
    const [validation] = receiver.received;
    expect(validation?.headers['aeg-event-type']).toBe('SubscriptionValidation');
    expect(validation?.path).toBe('/api/incoming?secret=s3cret');

    const caller = await emulator.network.dial(phone('+14255550100'), { displayName: 'Alice' });
    const { event, delivery } = await receiver.waitFor('Microsoft.Communication.IncomingCall');
    expect(delivery.headers['aeg-event-type']).toBe('Notification');
    const data = event.data as {
      from: { rawId: string };
      callerDisplayName: string;
      incomingCallContext: string;
    };
    expect(data.from.rawId).toBe('4:+14255550100');
    expect(data.callerDisplayName).toBe('Alice');

    const { callConnectionProperties } = await client.answerCall(
      data.incomingCallContext,
      `${receiver.url}/api/callbacks`,
      {
        operationContext: 'answer-1',
        callIntelligenceOptions: { cognitiveServicesEndpoint: speech },
      },
    );
    const connected = await receiver.waitFor('Microsoft.Communication.CallConnected');
    expect(connected.event.data).toMatchObject({
      callConnectionId: callConnectionProperties.callConnectionId,
      operationContext: 'answer-1',
    });
    expect(caller.inCall).toBe(true);
    expect(caller.callId).toBe(callConnectionProperties.callConnectionId);

    await caller.hangUp();
    const disconnected = await receiver.waitFor('Microsoft.Communication.CallDisconnected');
    expect(disconnected.event.data).toMatchObject({
      callConnectionId: callConnectionProperties.callConnectionId,
    });
  });

  it('rejects the subscription when the webhook fails the validation handshake', async () => {
    receiver.answerValidation = 'wrong';
    await expect(emulator.subscribeEventGrid(`${receiver.url}/api/incoming`)).rejects.toThrow(/validation/i);
    await expect(emulator.network.dial(phone('+14255550100'))).rejects.toThrow(/subscription/i);
  });

  it('completes a DTMF recognize with the tones pressed, named as ACS names them', async () => {
    const { party, callConnection } = await connectedCallToBob();
    await callConnection.getCallMedia().startRecognizing(
      { communicationUserId: bob.rawId },
      {
        kind: 'callMediaRecognizeDtmfOptions',
        maxTonesToCollect: 4,
        stopDtmfTones: [DtmfTone.Pound],
        playPrompt: { kind: 'textSource', text: 'Enter your PIN, then press pound.' },
        operationContext: 'pin',
      },
    );
    await party.waitToHear('Enter your PIN');
    await party.pressDigits('12#');
    const { event, delivery } = await receiver.waitFor('Microsoft.Communication.RecognizeCompleted');
    expect(event.data).toMatchObject({
      operationContext: 'pin',
      recognitionType: 'dtmf',
      dtmfResult: { tones: ['one', 'two', 'pound'] },
      resultInformation: { code: 200, subCode: 8514 },
    });
    const parsed = parseCallAutomationEvent(delivery.body as unknown as Record<string, unknown>);
    expect(parsed.kind).toBe('RecognizeCompleted');
  });

  it('fails a DTMF recognize on the inter-digit timeout with 8532', async () => {
    const { party, callConnection } = await connectedCallToBob();
    await callConnection.getCallMedia().startRecognizing(
      { communicationUserId: bob.rawId },
      {
        kind: 'callMediaRecognizeDtmfOptions',
        maxTonesToCollect: 4,
        interToneTimeoutInSeconds: 1,
        operationContext: 'slow',
      },
    );
    await party.pressDigits('5');
    const { event } = await receiver.waitFor('Microsoft.Communication.RecognizeFailed', () => true, 3_000);
    expect(event.data).toMatchObject({
      operationContext: 'slow',
      resultInformation: { code: 400, subCode: 8532 },
    });
  });
  it('reports CallDisconnected 603 with the create context, then CreateCallFailed, when the callee declines', async () => {
    const callee = emulator.network.party(bob, { declines: true });
    const { callConnectionProperties } = await client.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
      { operationContext: 'declined' },
    );
    // As recorded (RECORDED-FLOWS flow 3): CallDisconnected first, echoing the create context, then
    // CreateCallFailed without it; both 603/0.
    const failed = await receiver.waitFor('Microsoft.Communication.CreateCallFailed');
    const disconnected = await receiver.waitFor('Microsoft.Communication.CallDisconnected');
    expect(disconnected.event.data).toMatchObject({
      callConnectionId: callConnectionProperties.callConnectionId,
      operationContext: 'declined',
      resultInformation: { code: 603, subCode: 0 },
    });
    expect(failed.event.data).toMatchObject({
      callConnectionId: callConnectionProperties.callConnectionId,
      resultInformation: { code: 603, subCode: 0 },
    });
    expect(failed.event.data).not.toHaveProperty('operationContext');
    const order = receiver.received
      .flatMap((delivery) => delivery.body)
      .filter(
        (event) =>
          (event.data as { callConnectionId?: string } | undefined)?.callConnectionId ===
          callConnectionProperties.callConnectionId,
      )
      .map((event) => event.type);
    expect(order.indexOf('Microsoft.Communication.CallDisconnected')).toBeLessThan(
      order.indexOf('Microsoft.Communication.CreateCallFailed'),
    );
    expect(callee.inCall).toBe(false);
    await expect(
      client.getCallConnection(callConnectionProperties.callConnectionId ?? '').getCallConnectionProperties(),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('requires a caller id to call a phone number, as the service does', async () => {
    const attempt = client.createCall(
      { targetParticipant: { phoneNumber: '+14255550199' } },
      `${receiver.url}/cb`,
    );
    await expect(attempt).rejects.toMatchObject({ statusCode: 400 });
    const placed = await client.createCall(
      {
        targetParticipant: { phoneNumber: '+14255550199' },
        sourceCallIdNumber: { phoneNumber: '+18005550100' },
      },
      `${receiver.url}/cb`,
    );
    expect(placed.callConnectionProperties.sourceCallerIdNumber).toEqual({ phoneNumber: '+18005550100' });
    await receiver.waitFor('Microsoft.Communication.CallConnected');
    // The raw id `4:+14255550199` travels percent-encoded in the path, and the signature still verifies.
    const participant = await placed.callConnection.getParticipant({ phoneNumber: '+14255550199' });
    expect(participant.identifier).toMatchObject({ phoneNumber: '+14255550199' });
    const { values } = await placed.callConnection.listParticipants();
    // The party and the bot itself (java-rest R3: GET participants lists the bot).
    expect(values).toHaveLength(2);
  });

  it('ends the call for everyone on terminate, and the party hears the hang-up', async () => {
    const { party, callId, callConnection } = await connectedCallToBob();
    await callConnection.hangUp(true);
    const { event } = await receiver.waitFor('Microsoft.Communication.CallDisconnected');
    expect(event.data).toMatchObject({ callConnectionId: callId, resultInformation: { subCode: 7000 } });
    await party.waitForHangUp();
    await expect(callConnection.hangUp(false)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('cancels a looping play and a queued recognize on cancel all media', async () => {
    const { party, callConnection } = await connectedCallToBob();
    const media = callConnection.getCallMedia();
    await media.playToAll([{ kind: 'fileSource', url: 'https://example.com/hold.wav' }], {
      loop: true,
      operationContext: 'music',
    });
    await media.startRecognizing(
      { communicationUserId: bob.rawId },
      { kind: 'callMediaRecognizeDtmfOptions', operationContext: 'queued' },
    );
    await party.waitToHear('https://example.com/hold.wav');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.events('Microsoft.Communication.PlayCompleted')).toHaveLength(0);
    await media.cancelAllOperations();
    const canceled = await receiver.waitFor('Microsoft.Communication.PlayCanceled');
    expect(canceled.event.data).toMatchObject({ operationContext: 'music' });
    const recognizeCanceled = await receiver.waitFor('Microsoft.Communication.RecognizeCanceled');
    expect(recognizeCanceled.event.data).toMatchObject({ operationContext: 'queued' });
  });

  it('reports continuous DTMF tones with increasing sequence ids until stopped', async () => {
    const { party, callConnection } = await connectedCallToBob();
    const media = callConnection.getCallMedia();
    await media.startContinuousDtmfRecognition(
      { communicationUserId: bob.rawId },
      { operationContext: 'keys' },
    );
    await party.pressDigits('5*');
    const second = await receiver.waitFor(
      'Microsoft.Communication.ContinuousDtmfRecognitionToneReceived',
      (data) => data.sequenceId === 2,
    );
    expect(second.event.data).toMatchObject({ tone: 'asterisk', operationContext: 'keys' });
    const tones = receiver.events('Microsoft.Communication.ContinuousDtmfRecognitionToneReceived');
    expect(tones.map(({ event }) => (event.data as { tone: string }).tone)).toEqual(['five', 'asterisk']);
    await media.stopContinuousDtmfRecognition(
      { communicationUserId: bob.rawId },
      { operationContext: 'stop-keys' },
    );
    const stopped = await receiver.waitFor('Microsoft.Communication.ContinuousDtmfRecognitionStopped');
    expect(stopped.event.data).toMatchObject({ operationContext: 'stop-keys' });
    await media.sendDtmfTones(
      ['one', 'pound'],
      { communicationUserId: bob.rawId },
      { operationContext: 'send' },
    );
    await receiver.waitFor(
      'Microsoft.Communication.SendDtmfTonesCompleted',
      (data) => data.operationContext === 'send',
    );
    expect(party.receivedTones).toBe('1#');
  });

  it('sends recording state changes to the recording state callback URI', async () => {
    const { callConnectionProperties } = await client.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
    );
    // The create answer has no serverCallId (REST R1); the call has one once connected (REST R8: GET call).
    expect(callConnectionProperties.serverCallId).toBeUndefined();
    await receiver.waitFor('Microsoft.Communication.CallConnected');
    const connected = await client
      .getCallConnection(callConnectionProperties.callConnectionId ?? '')
      .getCallConnectionProperties();
    expect(connected.callConnectionState).toBe('connected');
    const recording = client.getCallRecording();
    const started = await recording.start({
      callLocator: { kind: 'serverCallLocator', id: connected.serverCallId ?? '' },
      recordingStateCallbackEndpointUrl: `${receiver.url}/api/recording`,
    });
    // As recorded (REST R8, flow 12): 200 `inactive`, a RecordingStateChanged `inactive`, then `active`; the
    // events name the recording in `source`, and their callConnectionId is the recorder's endpoint.
    expect(started.recordingState).toBe('inactive');
    const active = await receiver.waitFor(
      'Microsoft.Communication.RecordingStateChanged',
      (data) => data.state === 'active',
    );
    expect(active.delivery.path).toBe('/api/recording');
    expect(active.event.data).toMatchObject({ recordingId: started.recordingId, state: 'active' });
    expect(String(active.event.source)).toMatch(/^calling\/recordings\/[^/]+\/[^/]+\/RecordingStateChanged$/);
    expect(active.event.subject).toBe(active.event.source);
    expect((active.event.data as { callConnectionId?: string }).callConnectionId).not.toBe(
      callConnectionProperties.callConnectionId,
    );
    const states = receiver
      .events('Microsoft.Communication.RecordingStateChanged')
      .map(({ event }) => (event.data as { state?: string }).state);
    expect(states.slice(0, 2)).toEqual(['inactive', 'active']);
    await recording.pause(started.recordingId);
    expect((await recording.getState(started.recordingId)).recordingState).toBe('inactive');
    await recording.stop(started.recordingId);
    await expect(recording.getState(started.recordingId)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("answers injected faults, and the SDK's retry of a 503 acts once", async () => {
    emulator.failNext({ method: 'POST', pathIncludes: '/calling/callConnections?' }, { status: 503 });
    const placed = await client.createCall(
      { targetParticipant: { communicationUserId: bob.rawId } },
      `${receiver.url}/api/callbacks`,
    );
    const creates = emulator.requests.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/calling/callConnections?'),
    );
    expect(creates).toHaveLength(2);
    expect(creates[0]?.headers['repeatability-request-id']).toBe(
      creates[1]?.headers['repeatability-request-id'],
    );
    await receiver.waitFor('Microsoft.Communication.CallConnected');
    expect(placed.callConnectionProperties.callConnectionId).toBeTruthy();

    emulator.failNext(
      { pathIncludes: ':play' },
      { status: 400, body: { error: { code: '8535', message: 'Action failed, file format is invalid.' } } },
    );
    const play = placed.callConnection.getCallMedia().playToAll([{ kind: 'textSource', text: 'hello' }]);
    await expect(play).rejects.toMatchObject({ statusCode: 400, code: '8535' });
    expect(
      emulator.deliveries.some(
        (d) => d.types.includes('Microsoft.Communication.CallConnected') && d.status === 200,
      ),
    ).toBe(true);
  });
});
