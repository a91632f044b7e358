import { describeParityScenarios } from '@switchboard/testing/vitest';
import { startAcsStack } from './support/startAcsStack.js';

// The parity scenarios on the ACS adapter against the emulator over real HTTP: the same assertions as memory and Graph.
describeParityScenarios('acs', async () => {
  const stack = await startAcsStack({ promptDurationMs: 200 });
  return { client: stack.client, network: stack.emulator.network, close: () => stack.close() };
});
