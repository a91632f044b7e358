// Child process entry: starts one loopback emulator and sends its coordinates to the parent, so the emulator's
// own memory (it records every request) stays out of the bench's heap readings. Exits when the parent leaves.
import { silentLogger } from '@switchboard/core';
import { AcsEmulator, GraphEmulator } from '@switchboard/testing';
import type { EmulatorCoordinates } from './EmulatorCoordinates.js';

async function start(
  kind: string | undefined,
): Promise<{ coordinates: EmulatorCoordinates; close(): Promise<void> }> {
  if (kind === 'acs') {
    const emulator = await AcsEmulator.start({ logger: silentLogger });
    return {
      coordinates: { kind, connectionString: emulator.connectionString },
      close: () => emulator.close(),
    };
  }
  const emulator = await GraphEmulator.start();
  return {
    coordinates: {
      kind: 'graph',
      tenantId: emulator.tenantId,
      appId: emulator.appId,
      appSecret: emulator.appSecret,
      authority: emulator.authority,
      baseUrl: emulator.baseUrl,
      caCertificatePem: emulator.caCertificatePem,
    },
    close: () => emulator.close(),
  };
}

const emulator = await start(process.argv[2]);
process.send?.(emulator.coordinates);
process.on('disconnect', () => {
  void emulator.close().finally(() => process.exit(0));
});
