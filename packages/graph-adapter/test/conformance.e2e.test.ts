import { describeBackendConformance } from '@switchboard/testing/vitest';
import { startGraphTestBed } from './graphTestBed.js';

// The whole Call contract against the Graph emulator over real https, with the real Graph client and MSAL.
describeBackendConformance('graph', async () => {
  const bed = await startGraphTestBed({
    // Calls to phone numbers come from an application instance that owns a number.
    backend: {
      applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
      botDisplayName: 'Switchboard bot',
    },
  });
  return { client: bed.client, network: bed.emulator.network, close: () => bed.close() };
});
