import { randomBytes } from 'node:crypto';
import { AcsBackend } from '@switchboard/acs-adapter';
import { createTelephonyClient, type TelephonyClient } from '@switchboard/core';
import {
  AcsEmulator,
  emulatedSpeechEndpoint,
  MemoryBackend,
  type SimulatedNetwork,
  startWebhookServer,
} from '@switchboard/testing';

/** The echo agent's client and the simulated callers around it, on one backend. */
export interface EchoHarness {
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  readonly description: string;
  close(): Promise<void>;
}

/** The in-memory backend: audio frames paced on the system clock. */
export async function memoryEchoHarness(): Promise<EchoHarness> {
  const backend = new MemoryBackend();
  const client = createTelephonyClient(backend);
  return {
    client,
    network: backend.network,
    description: 'the in-memory backend',
    close: () => client.close(),
  };
}

/**
 * The ACS backend against the loopback ACS emulator: webhooks and the media WebSocket on one `node:http` server;
 * the emulator opens the WebSocket with its bearer token and streams 20 ms frames in real time.
 */
export async function acsEchoHarness(): Promise<EchoHarness> {
  const emulator = await AcsEmulator.start({ promptDurationMs: 100 });
  const server = await startWebhookServer('/api/calls');
  const eventGridSecret = randomBytes(16).toString('hex');
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    allowInsecureConnection: true,
    callbackUrl: server.url,
    mediaStreamingUrl: `${server.url.replace(/^http/, 'ws')}/media`,
    // Text-to-speech needs speech services linked to the calls.
    cognitiveServicesEndpoint: emulatedSpeechEndpoint,
    auth: { resourceId: emulator.resourceId, keysUrl: emulator.keysUrl, eventGridSecret },
  });
  const client = createTelephonyClient(backend);
  server.mount(client.nodeHandler);
  server.mountUpgrade(backend.mediaStreams.upgradeHandler);
  await emulator.subscribeEventGrid(server.url, { secret: eventGridSecret });
  return {
    client,
    network: emulator.network,
    description: `the ACS backend, against the loopback ACS emulator at ${emulator.endpoint}`,
    async close() {
      await emulator.close();
      await client.close();
      await server.close();
    },
  };
}
