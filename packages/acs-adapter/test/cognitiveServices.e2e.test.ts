import { randomBytes } from 'node:crypto';
import {
  createTelephonyContainer,
  loadTelephonyConfig,
  phone,
  type TelephonyClient,
  TelephonyTokens,
} from '@switchboard/core';
import { AcsEmulator, startWebhookServer, type WebhookServer } from '@switchboard/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModule } from '../src/di/acsBackendModule.js';

// `acs.cognitiveServicesEndpoint` links the Azure AI services resource to every call the bot places, answers or
// connects: Call Automation takes it as `callIntelligenceOptions.cognitiveServicesEndpoint` on CreateCall,
// AnswerCall and Connect (REST spec 2024-09-15 and later; `CreateCallOptions`, `AnswerCallOptions` and
// `ConnectCallOptions` of @azure/communication-call-automation 1.6). Configured here by its environment variable.
const endpoint = 'https://switchboard-ai.cognitiveservices.azure.com/';

let emulator: AcsEmulator;
let server: WebhookServer;
let client: TelephonyClient;

beforeAll(async () => {
  emulator = await AcsEmulator.start({ promptDurationMs: 20 });
  server = await startWebhookServer('/api/acs');
  const eventGridSecret = randomBytes(16).toString('hex');
  const config = loadTelephonyConfig({
    env: { SWITCHBOARD_BACKEND: 'acs', SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT: endpoint },
  });
  const container = await createTelephonyContainer(
    { ...config, acs: { ...emulator.botConfig(server.url, { eventGridSecret }), ...(config.acs as object) } },
    { backendModules: { acs: backendModule } },
  );
  client = container.get(TelephonyTokens.Client);
  server.mount(client.nodeHandler);
  await emulator.subscribeEventGrid(server.url, { secret: eventGridSecret });
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await server?.close();
});

function lastBody(method: string, path: string): Record<string, unknown> | undefined {
  const request = emulator.requests
    .filter((r) => r.method === method && r.path.split('?')[0] === path)
    .at(-1);
  return request?.body as Record<string, unknown> | undefined;
}

describe('ACS: the speech services endpoint on create call, answer and connect', () => {
  it('sends callIntelligenceOptions.cognitiveServicesEndpoint with each', async () => {
    const party = emulator.network.party(phone('+14255550171'));
    const placed = await client.placeCall({ to: party.identity });
    await placed.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastBody('POST', '/calling/callConnections')?.callIntelligenceOptions).toEqual({
      cognitiveServicesEndpoint: endpoint,
    });

    const offered = firstValueFrom(client.incomingCalls$);
    await emulator.network.dial(phone('+14255550172'));
    const answered = await (await offered).answer();
    await answered.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastBody('POST', '/calling/callConnections:answer')?.callIntelligenceOptions).toEqual({
      cognitiveServicesEndpoint: endpoint,
    });

    const serverCallId = placed.snapshot().serverCallId;
    expect(serverCallId).toBeDefined();
    const joined = await client.connect({
      target: { kind: 'serverCall', serverCallId: serverCallId as string },
    });
    expect(lastBody('POST', '/calling/callConnections:connect')?.callIntelligenceOptions).toEqual({
      cognitiveServicesEndpoint: endpoint,
    });
    await Promise.allSettled([joined.hangUp(), answered.hangUp(), placed.hangUp()]);
  });

  it('sends no callIntelligenceOptions when the setting is not given', async () => {
    const plain = await createTelephonyContainer(
      { backend: 'acs', acs: emulator.botConfig(server.url, { speechServices: false }) },
      { backendModules: { acs: backendModule } },
    );
    const other = plain.get(TelephonyTokens.Client);
    try {
      const party = emulator.network.party(phone('+14255550173'));
      // The create call request is what is checked: its callbacks go to the first client's server.
      await other.placeCall({ to: party.identity });
      expect(lastBody('POST', '/calling/callConnections')).toMatchObject({ callbackUri: server.url });
      expect(lastBody('POST', '/calling/callConnections')).not.toHaveProperty('callIntelligenceOptions');
    } finally {
      await other.close();
    }
  });
});
