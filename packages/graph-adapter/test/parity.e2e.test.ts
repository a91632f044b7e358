import { describeParityScenarios } from '@switchboard/testing/vitest';
import { startGraphTestBed } from './graphTestBed.js';

// The parity scenarios on the Graph adapter against the emulator over real https: the same assertions as memory and ACS.
describeParityScenarios('graph', async () => {
  const bed = await startGraphTestBed({
    backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' },
    emulator: { promptDurationMs: 200 },
  });
  return { client: bed.client, network: bed.emulator.network, close: () => bed.close() };
});
