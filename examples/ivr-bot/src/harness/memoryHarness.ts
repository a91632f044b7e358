import {
  configSection,
  createTelephonyContainer,
  type TelephonyConfig,
  TelephonyTokens,
} from '@switchboard/core';
import { MemoryBackend } from '@switchboard/testing';
import type { DemoHarness } from './DemoHarness.js';

/** The demo on the in-memory backend: the container is built from configuration, as a bot's would be. */
export async function memoryHarness(config: TelephonyConfig): Promise<DemoHarness> {
  const container = await createTelephonyContainer(
    { ...config, memory: { promptDurationMs: 150, ringDurationMs: 100, ...configSection(config, 'memory') } },
    { resolveFrom: import.meta.url },
  );
  const client = container.get(TelephonyTokens.Client);
  const backend = container.get(TelephonyTokens.Backend);
  if (!(backend instanceof MemoryBackend))
    throw new Error('the memory configuration did not give the in-memory backend');
  return {
    client,
    network: backend.network,
    description: 'the in-memory backend',
    close: () => client.close(),
  };
}
