import { createTelephonyClient } from '@switchboard/core';
import { describeParityScenarios } from '../conformance/describeParityScenarios.js';
import { MemoryBackend } from './MemoryBackend.js';

// The parity scenarios on the in-memory backend: the same assertions the ACS and Graph adapters pass.
describeParityScenarios('memory', async () => {
  const backend = new MemoryBackend({ promptDurationMs: 200 });
  const client = createTelephonyClient(backend);
  return { client, network: backend.network, close: () => client.close() };
});
