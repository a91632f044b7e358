import { loadTelephonyConfig, TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { redisRouterOptions } from '../src/di/redisStoreModule.js';

describe('store: redis configuration', () => {
  it('reads SWITCHBOARD_STORE and the redis section from the environment', () => {
    const config = loadTelephonyConfig({
      env: {
        SWITCHBOARD_BACKEND: 'memory',
        SWITCHBOARD_STORE: 'redis',
        SWITCHBOARD_REDIS_URL: 'redis://127.0.0.1:6379',
        SWITCHBOARD_REDIS_INSTANCE_ID: 'bot-a',
        SWITCHBOARD_REDIS_LEASE_TTL_MS: '5000',
      },
    });
    expect(config.store).toBe('redis');
    expect(redisRouterOptions(config)).toEqual({
      redis: 'redis://127.0.0.1:6379',
      instanceId: 'bot-a',
      leaseTtlMs: 5000,
    });
  });

  it('rejects an unknown store and a missing or invalid redis setting with invalidConfig', () => {
    expect(() =>
      loadTelephonyConfig({ env: { SWITCHBOARD_BACKEND: 'memory', SWITCHBOARD_STORE: 'disk' } }),
    ).toThrow(/store must be one of memory, redis/);
    const invalid = (redis: Record<string, unknown>) => {
      try {
        redisRouterOptions({ backend: 'memory', store: 'redis', redis });
        return undefined;
      } catch (error) {
        return TelephonyError.is(error) ? `${error.reason}: ${error.message}` : 'not a TelephonyError';
      }
    };
    expect(invalid({})).toMatch(/^invalidConfig: redis.url is required/);
    expect(invalid({ url: 'http://x' })).toMatch(/^invalidConfig: redis.url must be a redis/);
    expect(invalid({ url: 'redis://x', leaseTtlMs: -1 })).toMatch(/^invalidConfig: redis.leaseTtlMs/);
    expect(invalid({ url: 'http://x', leaseTtlMs: 0, instanceID: 'a' })).toBe(
      'invalidConfig: 3 configuration problems:\n' +
        '- redis.url must be a redis:// or rediss:// URL (SWITCHBOARD_REDIS_URL)\n' +
        '- redis.leaseTtlMs must be a positive number of milliseconds (SWITCHBOARD_REDIS_LEASE_TTL_MS)\n' +
        '- redis.instanceID is not a setting of redis; did you mean redis.instanceId?',
    );
  });
});
