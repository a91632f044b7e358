import {
  configSection,
  createTelephonyContainer,
  type TelephonyConfig,
  TelephonyTokens,
} from '@switchboard/core';
import { GraphEmulator, startWebhookServer } from '@switchboard/testing';
import type { DemoHarness } from './DemoHarness.js';

/**
 * The demo on the Graph backend against the loopback Graph emulator: MSAL and the Graph client over https (a
 * test CA made at start-up), notifications signed by the emulator and verified by the bot.
 */
export async function graphHarness(config: TelephonyConfig): Promise<DemoHarness> {
  const emulator = await GraphEmulator.start({ promptDurationMs: 150 });
  const server = await startWebhookServer('/api/calls');
  const container = await createTelephonyContainer(
    {
      ...config,
      graph: { ...emulator.botConfig(server.url), ...configSection(config, 'graph') },
    },
    { resolveFrom: import.meta.url },
  );
  const client = container.get(TelephonyTokens.Client);
  server.mount(client.nodeHandler);
  emulator.setBotNotificationUrl(server.url);
  return {
    client,
    network: emulator.network,
    description: `the Graph backend, against the loopback Graph emulator at ${emulator.baseUrl}`,
    async close() {
      await client.close();
      await emulator.close();
      await server.close();
    },
  };
}
