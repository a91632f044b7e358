import { describeBackendConformance } from '@switchboard/testing/vitest';
import { startAcsStack } from './support/startAcsStack.js';

// The shared backend conformance suite, run on the ACS adapter against the emulator over real HTTP with the
// real SDK: the same scenarios the in-memory backend passes.
describeBackendConformance('acs', async () => {
  const stack = await startAcsStack();
  return { client: stack.client, network: stack.emulator.network, close: () => stack.close() };
});
