import {
  configError,
  parseSettings,
  type StoreModule,
  type TelephonyConfig,
  TelephonyTokens,
} from '@switchboard/core';
import { ContainerModule } from 'inversify';
import { RedisCallRouter, type RedisCallRouterOptions } from '../routing/RedisCallRouter.js';
import { redisConfigSchema } from './redisConfigSchema.js';

/**
 * Reads and validates the `redis` section (`url` required; `instanceId`, `keyPrefix`, `leaseTtlMs`,
 * `renewIntervalMs`, `sweepIntervalMs`, `endedCallTtlMs`, `earlyEventTtlMs` optional) into router options.
 * Throws one `TelephonyError('invalidConfig')` naming every invalid setting.
 */
export function redisRouterOptions(config: TelephonyConfig): Omit<RedisCallRouterOptions, 'logger'> {
  const parsed = parseSettings(redisConfigSchema, config.redis, 'redis');
  if (!parsed.ok) throw configError(parsed.problems);
  const { url, ...rest } = parsed.value;
  return { redis: url, ...rest };
}

/**
 * The store module `createTelephonyContainer` loads for `store: 'redis'`: binds `TelephonyTokens.CallRouter`.
 * Its `configSchema` lets the container report the section's problems with the backend's.
 */
export const storeModule: StoreModule & { readonly configSchema: typeof redisConfigSchema } = {
  name: 'redis',
  configSchema: redisConfigSchema,
  containerModule(config: TelephonyConfig): ContainerModule {
    const options = redisRouterOptions(config);
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.CallRouter)
        .toDynamicValue((context) => {
          const logger = context.get(TelephonyTokens.Logger, { optional: true });
          return new RedisCallRouter({ ...options, ...(logger ? { logger } : {}) });
        })
        .inSingletonScope();
    });
  },
};
