import { fork } from 'node:child_process';
import type { EmulatorCoordinates } from './EmulatorCoordinates.js';

/** A loopback emulator in a child process. */
export interface EmulatorProcess {
  readonly coordinates: EmulatorCoordinates;
  close(): Promise<void>;
}

/** Forks `emulatorProcess.js` for `kind` and waits for its coordinates. */
export function startEmulatorProcess(kind: 'acs' | 'graph'): Promise<EmulatorProcess> {
  const child = fork(new URL('./emulatorProcess.js', import.meta.url), [kind], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} emulator process exited (${code})`)));
    child.once('message', (message) => {
      resolve({
        coordinates: message as EmulatorCoordinates,
        async close() {
          if (child.connected) child.disconnect();
          const timer = setTimeout(() => child.kill(), 5_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}
