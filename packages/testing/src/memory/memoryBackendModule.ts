import { defineBackendModule, identityFromRawId, TelephonyTokens } from '@switchboard/core';
import { ContainerModule } from 'inversify';
import { MemoryBackend } from './MemoryBackend.js';
import { type MemorySettings, memoryConfigSchema } from './memoryConfigSchema.js';

/**
 * The in-memory backend as it registers itself (`{ "backend": "memory" }`): its configuration is
 * `memoryConfigSchema`; it binds `TelephonyTokens.Backend` to a `MemoryBackend` on `TelephonyTokens.Clock`.
 */
export const backendModule = defineBackendModule<MemorySettings>({
  name: 'memory',
  configSchema: memoryConfigSchema,
  containerModule(settings) {
    const { botIdentity, ...durations } = settings;
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue(
          (context) =>
            new MemoryBackend({
              ...durations,
              ...(botIdentity !== undefined ? { botIdentity: identityFromRawId(botIdentity) } : {}),
              clock: context.get(TelephonyTokens.Clock),
            }),
        )
        .inSingletonScope();
    });
  },
});
