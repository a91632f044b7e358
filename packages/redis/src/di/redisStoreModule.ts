import type { StoreModule, TelephonyConfig } from '@switchboard/core';
import { TelephonyError, TelephonyTokens } from '@switchboard/core';
import { ContainerModule } from 'inversify';
import { RedisCallRouter, type RedisCallRouterOptions } from '../routing/RedisCallRouter.js';

function invalid(message: string): TelephonyError {
  return new TelephonyError('invalidConfig', message);
}

function positive(section: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = section[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0))
    throw invalid(`redis.${key} must be a positive number of milliseconds`);
  return value;
}

function text(section: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = section[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(`redis.${key} must be a non-empty string`);
  return value;
}

/**
 * Reads and validates the `redis` section (`url` required; `instanceId`, `keyPrefix`, `leaseTtlMs`,
 * `takeoverGraceMs`, `renewIntervalMs`, `sweepIntervalMs`, `endedCallTtlMs`, `earlyEventTtlMs` optional) into router options.
 */
export function redisRouterOptions(config: TelephonyConfig): Omit<RedisCallRouterOptions, 'logger'> {
  const section = config.redis ?? {};
  const url = text(section, 'url');
  if (url === undefined)
    throw invalid('redis.url is required with store "redis" (e.g. redis://127.0.0.1:6379)');
  if (!/^rediss?:\/\//.test(url)) throw invalid('redis.url must be a redis:// or rediss:// URL');
  const options: Record<string, unknown> = { redis: url };
  for (const key of ['instanceId', 'keyPrefix'] as const) {
    const value = text(section, key);
    if (value !== undefined) options[key] = value;
  }
  for (const key of [
    'leaseTtlMs',
    'takeoverGraceMs',
    'renewIntervalMs',
    'sweepIntervalMs',
    'endedCallTtlMs',
    'earlyEventTtlMs',
  ] as const) {
    const value = positive(section, key);
    if (value !== undefined) options[key] = value;
  }
  return options as unknown as Omit<RedisCallRouterOptions, 'logger'>;
}

/** The store module `createTelephonyContainer` loads for `store: 'redis'`: binds `TelephonyTokens.CallRouter`. */
export const storeModule: StoreModule = {
  name: 'redis',
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
