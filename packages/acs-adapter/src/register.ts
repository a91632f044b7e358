// The ACS backend registers itself when the package is imported; `createTelephonyContainer` finds this package
// for `backend: 'acs'` through its package.json (`switchboard.backends`).
import { registerBackend } from '@switchboard/core';
import { backendModule } from './di/acsBackendModule.js';

registerBackend(backendModule);
