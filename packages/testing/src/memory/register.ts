// The in-memory backend registers itself when this entry (`@switchboard/testing/backend`) or the package is
// imported. This entry needs no test runner: `createTelephonyContainer` imports it for `backend: 'memory'`
// (named in package.json under `switchboard.backends`), so a bot runs on the memory backend without vitest.
import { registerBackend } from '@switchboard/core';
import { backendModule } from './memoryBackendModule.js';

registerBackend(backendModule);

export { backendModule };
