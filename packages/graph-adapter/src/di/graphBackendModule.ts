import { type BackendModule, TelephonyTokens } from '@switchboard/core';
import { ContainerModule } from 'inversify';
import { GraphBackend } from '../backend/GraphBackend.js';
import { readGraphConfig } from './readGraphConfig.js';

/**
 * The container module of the Graph backend, loaded by `createTelephonyContainer` for `backend: 'graph'`:
 * validates the `graph` section (throwing `invalidConfig` naming the setting) and binds `TelephonyTokens.Backend`
 * to a `GraphBackend` using the container's clock and logger.
 */
export const backendModule: BackendModule = {
  name: 'graph',
  containerModule(config) {
    const options = readGraphConfig(config);
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue((context) => {
          const clock = context.get(TelephonyTokens.Clock, { optional: true });
          const logger = context.get(TelephonyTokens.Logger, { optional: true });
          return new GraphBackend({
            ...options,
            ...(clock ? { clock } : {}),
            ...(logger ? { logger } : {}),
          });
        })
        .inSingletonScope();
    });
  },
};
