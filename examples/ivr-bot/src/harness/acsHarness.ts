import { randomBytes } from 'node:crypto';
import {
  configSection,
  createTelephonyContainer,
  type TelephonyConfig,
  TelephonyTokens,
} from '@switchboard/core';
import { AcsEmulator, startWebhookServer } from '@switchboard/testing';
import type { DemoHarness } from './DemoHarness.js';

/**
 * The demo on the ACS backend against the loopback ACS emulator: the real SDK over HTTP, callbacks signed by the
 * emulator and verified by the bot, IncomingCall through an Event Grid subscription with a secret.
 */
export async function acsHarness(config: TelephonyConfig): Promise<DemoHarness> {
  const emulator = await AcsEmulator.start({ promptDurationMs: 150 });
  const server = await startWebhookServer('/api/calls');
  const eventGridSecret = randomBytes(16).toString('hex');
  const container = await createTelephonyContainer(
    {
      ...config,
      acs: { ...emulator.botConfig(server.url, { eventGridSecret }), ...configSection(config, 'acs') },
    },
    { resolveFrom: import.meta.url },
  );
  const client = container.get(TelephonyTokens.Client);
  server.mount(client.nodeHandler);
  await emulator.subscribeEventGrid(server.url, { secret: eventGridSecret });
  return {
    client,
    network: emulator.network,
    description: `the ACS backend, against the loopback ACS emulator at ${emulator.endpoint}`,
    async close() {
      await client.close();
      await emulator.close();
      await server.close();
    },
  };
}
