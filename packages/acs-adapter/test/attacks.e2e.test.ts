import { randomUUID } from 'node:crypto';
import { type Logger, phone, silentLogger } from '@switchboard/core';
import { type KeySet, SwitchableKeyServer, TestTokenIssuer } from '@switchboard/testing';
import { describeWebhookAttackSuite, type WebhookAttackTarget } from '@switchboard/testing/vitest';
import { acsCallbackIssuer } from '../src/webhook/AcsWebhookAuth.js';
import { startAcsStack } from './support/startAcsStack.js';

function disconnected(callId: string, marker: string): string {
  return JSON.stringify([
    {
      id: randomUUID(),
      source: `calling/callConnections/${callId}`,
      type: 'Microsoft.Communication.CallDisconnected',
      data: {
        version: '2025-06-15',
        resultInformation: { code: 200, subCode: 0, message: marker },
        callConnectionId: callId,
        serverCallId: 'server-call',
        correlationId: 'correlation',
        publicEventType: 'Microsoft.Communication.CallDisconnected',
      },
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: `calling/callConnections/${callId}`,
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
  const stack = await startAcsStack({
    logger,
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
    validationHandshake: () => ({
      query: `?secret=${stack.eventGridSecret}`,
      headers: { 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        {
          id: randomUUID(),
          topic:
            '/subscriptions/x/resourceGroups/y/providers/Microsoft.Communication/communicationServices/z',
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

describeWebhookAttackSuite('ACS', startAcsAttackTarget);
