import { type BackendModule, defineBackendModule, TelephonyTokens } from '@switchboard/core';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { GraphBackend } from '../backend/GraphBackend.js';
import type { GraphSettings } from './graphConfigSchema.js';
import { graphConfigSchema } from './graphConfigSchema.js';
import { graphOptionsFromSettings } from './readGraphConfig.js';

/**
 * The Graph backend's own service identifiers: `GraphTokens.Backend` resolves the same `GraphBackend` as
 * `TelephonyTokens.Backend`, typed with what only Graph has.
 */
export const GraphTokens = {
  Backend: Symbol.for('@switchboard/graph-adapter/GraphBackend') as ServiceIdentifier<GraphBackend>,
} as const;

/**
 * The Graph backend as it registers itself (`backend: 'graph'`): its configuration is `graphConfigSchema`; it
 * binds `TelephonyTokens.Backend` and `GraphTokens.Backend` to one `GraphBackend` using the container's clock and
 * logger. Typed by its settings' name, so the API report does not spell out (and reorder) their fields.
 */
export const backendModule: BackendModule<GraphSettings> = defineBackendModule<GraphSettings>({
  name: 'graph',
  configSchema: graphConfigSchema,
  containerModule(settings) {
    const options = graphOptionsFromSettings(settings);
    return new ContainerModule(({ bind }) => {
      bind(GraphTokens.Backend)
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
      bind(TelephonyTokens.Backend).toService(GraphTokens.Backend);
    });
  },
});
