import { randomUUID } from 'node:crypto';
import { type Logger, phone, silentLogger } from '@switchboard/core';
import { type KeySet, ShiftableClock, SwitchableKeyServer, TestTokenIssuer } from '@switchboard/testing';
import { describeWebhookAttackSuite, type WebhookAttackTarget } from '@switchboard/testing/vitest';
import { acsCallbackIssuer } from '../src/webhook/AcsWebhookAuth.js';
import { startAcsStack } from './support/startAcsStack.js';

const topic = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Communication/communicationServices/z';
const bodyTimeoutMs = 500;
const headersTimeoutMs = 1_000;
const mediaPath = '/api/acs/media';

function disconnectedData(callId: string, marker: string) {
  return {
    version: '2025-06-15',
    resultInformation: { code: 200, subCode: 0, message: marker },
    callConnectionId: callId,
    serverCallId: 'server-call',
    correlationId: 'correlation',
    publicEventType: 'Microsoft.Communication.CallDisconnected',
  };
}

function disconnected(callId: string, marker: string): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      source: `calling/callConnections/${callId}`,
      type: 'Microsoft.Communication.CallDisconnected',
      data: disconnectedData(callId, marker),
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: `calling/callConnections/${callId}`,
    },
  ]);
}

// The same event in the Event Grid schema, as a sender holding only the Event Grid secret would write it.
function disconnectedAsEventGrid(callId: string, marker: string): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      topic,
      subject: `calling/callConnections/${callId}`,
      data: disconnectedData(callId, marker),
      eventType: 'Microsoft.Communication.CallDisconnected',
      eventTime: new Date().toISOString(),
      metadataVersion: '1',
      dataVersion: '1.0',
    },
  ]);
}

// Shaped as in fixtures/microsoft/acs/IncomingCall__docs-eventgrid-acsuser.json (Event Grid schema).
function incomingCallData(marker: string) {
  return {
    to: { kind: 'phoneNumber', rawId: '4:+18005550100', phoneNumber: { value: '+18005550100' } },
    from: { kind: 'phoneNumber', rawId: '4:+14255550177', phoneNumber: { value: '+14255550177' } },
    serverCallId: `server-${marker}`,
    callerDisplayName: marker,
    incomingCallContext: `context-${marker}`,
    correlationId: randomUUID(),
  };
}

function incomingCall(marker: string): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      topic,
      subject: '/caller/4:+14255550177/recipient/4:+18005550100',
      data: incomingCallData(marker),
      eventType: 'Microsoft.Communication.IncomingCall',
      eventTime: new Date().toISOString(),
      metadataVersion: '1',
      dataVersion: '1.0',
    },
  ]);
}

function incomingCallAsCallback(marker: string): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      source: topic,
      type: 'Microsoft.Communication.IncomingCall',
      data: incomingCallData(marker),
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: '/caller/4:+14255550177/recipient/4:+18005550100',
    },
  ]);
}

async function startAcsAttackTarget(): Promise<WebhookAttackTarget> {
  const trusted = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  let emulatorKeysUrl = '';
  const keys = await SwitchableKeyServer.start(acsCallbackIssuer, async () => {
    const emulatorKeys = (await (await fetch(emulatorKeysUrl)).json()) as KeySet;
    return { keys: [...emulatorKeys.keys, ...trusted.jwks.keys] };
  });
  const warnings: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  const clock = new ShiftableClock();
  const stack = await startAcsStack({
    logger,
    clock,
    mediaPath,
    bodyTimeoutMs,
    serverTimeouts: { headersTimeoutMs },
    keysUrl: (emulator) => {
      emulatorKeysUrl = emulator.keysUrl;
      return keys.jwksUrl;
    },
  });
  const party = stack.emulator.network.party(phone('+14255550130'));
  const call = await stack.client.placeCall({ to: party.identity, callerId: phone('+18005550100') });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  const validationCode = randomUUID();
  return {
    url: stack.webhookUrl,
    issuer: trusted,
    token: { audience: stack.emulator.resourceId },
    keys,
    acceptedStatus: 200,
    call,
    events: stack.events,
    warnings,
    forgedBody: (marker) => disconnected(call.id, marker),
    benignBody: (marker) => disconnected(`unknown-${randomUUID()}`, marker),
    openClientPorts: () => stack.server.openClientPorts(),
    clock,
    bodyTimeoutMs,
    headersTimeoutMs,
    eventGrid: {
      query: `?secret=${stack.eventGridSecret}`,
      callbackEventAsEventGrid: (marker) => disconnectedAsEventGrid(call.id, marker),
      incomingCall,
      incomingCallAsCallback,
    },
    media: {
      url: new URL(mediaPath, stack.webhookUrl).href,
      callId: call.id,
      maxPendingHandshakes: 64,
      maxConnectionsPerCall: 4,
      stats: () => {
        const { connections, pendingHandshakes } = stack.backend.mediaStreams.stats;
        return { connections, pendingHandshakes };
      },
    },
    validationHandshake: () => ({
      query: `?secret=${stack.eventGridSecret}`,
      headers: { 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        {
          id: randomUUID(),
          topic,
          subject: '',
          data: { validationCode, validationUrl: 'https://rp-eastus2.eventgrid.azure.net/validate' },
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: new Date().toISOString(),
          metadataVersion: '1',
          dataVersion: '2',
        },
      ]),
    }),
    async close() {
      await stack.close();
      await keys.close();
    },
  };
}

describeWebhookAttackSuite('ACS', startAcsAttackTarget, { eventGrid: true, media: true });
