import type { ContainerModule } from 'inversify';
import type { TelephonyConfig } from '../di/TelephonyConfig.js';

/**
 * What a store package exports as `storeModule`, so `createTelephonyContainer` can load it when the
 * configuration says `store: '<name>'`. `containerModule(config)` validates the store's section of the
 * configuration (throwing `TelephonyError('invalidConfig')`) and binds `TelephonyTokens.CallRouter`.
 */
export interface StoreModule {
  readonly name: 'redis';
  containerModule(config: TelephonyConfig): ContainerModule;
}
