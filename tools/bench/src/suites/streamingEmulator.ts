// Child process of the streaming suite: runs the ACS emulator, whose media streams send real-time 20 ms frames,
// so the parent process measures only the library's side (CPU, frames, latency).
import { AcsEmulator } from '@switchboard/testing';

const emulator = await AcsEmulator.start({ promptDurationMs: 20 });
process.send?.({
  connectionString: emulator.connectionString,
  keysUrl: emulator.keysUrl,
  resourceId: emulator.resourceId,
});
process.on('message', (message: unknown) => {
  if (message === 'close') void emulator.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
