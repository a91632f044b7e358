import type { ContainerModule } from 'inversify';
import type { BackendName } from '../events/TelephonyEvent.js';
import type { TelephonyConfig } from './TelephonyConfig.js';

/**
 * What a backend package exports as `backendModule`, so `createTelephonyContainer` can load it by name.
 * `containerModule(config)` validates the backend's section of the configuration (throwing
 * `TelephonyError('invalidConfig')` that names the missing or invalid setting) and returns an inversify
 * `ContainerModule` that binds `TelephonyTokens.Backend`. It may read `TelephonyTokens.Clock` and
 * `TelephonyTokens.Logger`, which the core binds.
 */
export interface BackendModule {
  readonly name: BackendName;
  containerModule(config: TelephonyConfig): ContainerModule;
}
