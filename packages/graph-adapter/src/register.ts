// The Graph backend registers itself when the package is imported; `createTelephonyContainer` finds this
// package for `backend: 'graph'` through its package.json (`switchboard.backends`).
import { registerBackend } from '@switchboard/core';
import { backendModule } from './di/graphBackendModule.js';

registerBackend(backendModule);
